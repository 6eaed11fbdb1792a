"""The WSGI entry point for gunicorn: `gunicorn hotline.wsgi:app`."""

import sys

from hotline import create_app
from hotline.logs import configure_logging

# A thread waiting for the interpreter (say, one that holds SQLite's write lock and has just
# finished a statement) gets it after 0.2 ms instead of 5 ms: under load the lock is held for
# less time, and the slowest answers come sooner (measured with benchmarks/webhooks.py).
sys.setswitchinterval(0.0002)

configure_logging()
app = create_app()

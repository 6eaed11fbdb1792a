"""The benchmark's floor on PostgreSQL: the baseline that also commits one row before it answers.

No webhook that stores anything can cost less: one INSERT of the CallSid, in autocommit (a single
round trip, no BEGIN or COMMIT), straight on psycopg. Its ratio to the baseline is the most any
app that keeps its calls in PostgreSQL on the same machine can reach.
Started by `benchmarks/webhooks.py` under the same gunicorn settings, with FLOOR_DATABASE_URL naming
a database where it has created the table `floor_requests`.
"""

from __future__ import annotations

import functools
import os

import psycopg
from baseline_app import app
from flask import Response, request

__all__ = ["app"]


@app.after_request
def commit_call(response: Response) -> Response:
    """Commit the CallSid of every webhook the baseline answered, before the answer leaves."""
    if request.method == "POST" and response.status_code == 200:
        _connection().execute("INSERT INTO floor_requests (call_sid) VALUES (%s)", (request.form["CallSid"],))
    return response


@functools.cache
def _connection() -> psycopg.Connection:
    """This worker's connection, opened on its first webhook: after gunicorn forked."""
    return psycopg.connect(os.environ["FLOOR_DATABASE_URL"], autocommit=True)

"""`hotline serve`: the embedded default's web and worker as child processes that are kept up.

A child that exits is started again after a short, growing pause; the other one keeps serving, so
a crashing worker never takes the phone line down. This is what `make run` uses; on a server,
systemd restarts the processes instead (see the README's Deployment section).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import click

from hotline.config import Settings
from hotline.web.urls import is_loopback

logger = logging.getLogger(__name__)

# Pauses before restarting a child that keeps failing; one that ran a minute starts afresh at 1 s.
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
STABLE_SECONDS = 60.0
STOP_SECONDS = 15.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    """One supervised process: its command line, the running process and its restart state."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None

    def start(self, echo: Callable[[str], None]) -> None:
        """Start (or start again) the process."""
        self.process = subprocess.Popen(self.argv)  # noqa: S603 - our own fixed command lines
        self.started_at = time.monotonic()
        self.restart_at = None
        echo(f"{self.name} gestartet (PID {self.process.pid})")

    def check(self, now: float, echo: Callable[[str], None]) -> None:
        """Schedule a restart when the process has exited; restart it when its pause is over."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start(echo)
            return
        code = self.process.poll() if self.process else None
        if code is None:
            return
        if now - self.started_at >= STABLE_SECONDS:
            self.failures = 0
        delay = RESTART_DELAYS[min(self.failures, len(RESTART_DELAYS) - 1)]
        self.failures += 1
        self.restart_at = now + delay
        echo(f"{self.name} ist beendet (Code {code}); Neustart in {delay:.0f} s.")


def supervise(children: list[Child], echo: Callable[[str], None]) -> None:
    """Run the children until SIGINT or SIGTERM, then stop them all."""
    stopping = False

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        # Only a flag: a signal handler must not take locks the interrupted loop might hold.
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    for child in children:
        child.start(echo)
    while not stopping:
        for child in children:
            child.check(time.monotonic(), echo)
        time.sleep(POLL_SECONDS)
    echo("Wird beendet ...")
    _stop_all([child.process for child in children if child.process and child.process.poll() is None])


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            logger.warning("process %s did not stop in time; killed", process.pid)
            process.kill()
            process.wait()


def service_children(host: str, port: int) -> list[Child]:
    """The web process (gunicorn, as in the Procfile) and the worker."""
    web = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}",
           "--workers", os.environ.get("WEB_CONCURRENCY", "3"), "--worker-class", "sync",
           "--logger-class", "hotline.logs.RedactingGunicornLogger", "--access-logfile", "-", "hotline.wsgi:app"]
    worker = [sys.executable, "-c", "from hotline.cli import main; main()", "worker"]
    return [Child("web", web), Child("worker", worker)]


@click.command("serve")
@click.option("--host", envvar="HOST", default="127.0.0.1", show_default=True, help="Address the web serves on.")
@click.option("--port", envvar="PORT", type=int, default=8000, show_default=True, help="Port the web serves on.")
def serve_command(host: str, port: int) -> None:
    """Serve web and worker, restarting either one that exits, until stopped."""
    if not is_loopback(host) and not Settings.from_env().public_base_url:
        # Without it the web builds the URLs it gives Twilio from whatever Host a visitor sends.
        raise click.ClickException(
            f"Die Adresse {host} ist von außen erreichbar: bitte PUBLIC_BASE_URL setzen "
            "(die Adresse, unter der Twilio den Dienst erreicht), oder nur auf 127.0.0.1 lauschen.")
    supervise(service_children(host, port), click.echo)

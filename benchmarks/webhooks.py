"""Webhook load benchmark: the real service under gunicorn against a bare Flask app, same settings.

    python benchmarks/webhooks.py [--callers 50] [--seconds 20] [--pause 1.0] [--postgres URL]

In one run it starts, side by side under identical gunicorn settings:
  1. a bare Flask app that answers every POST with one fixed TwiML document (the baseline),
  2. the hotline on the embedded default (SQLite, file queue),
  3. the hotline on PostgreSQL (when --postgres is given or DATABASE_URL names one).
Simulated callers walk full journeys with requests signed as Twilio signs them: greeting and main
menu, the activities (next, back), a message with consent and recording (including Twilio's
recording callbacks), number confirmation, goodbye and the final status callback. Every answer is
parsed and the next request goes to the URL the TwiML names, as Twilio would do.

Only one server is under load at a time. The measurements take turns (bare, SQLite, PostgreSQL,
then again) for --rounds rounds, so that a slow moment of the machine hits every server alike; it
prints every measurement, then the medians per server and the ratios ours/bare of the medians.
Loads stay on 127.0.0.1, are bounded in time and stop by themselves.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import requests
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "benchmark-auth-token"  # noqa: S105 - a throw-away token for local servers
LINE_NUMBER = "+492214710100"  # the demo's Bilk line
# Chosen for 2 cores: one process per core plus one, threads to overlap database waits.
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
GUNICORN_ARGS = ["--workers", str(GUNICORN_WORKERS), "--threads", os.environ.get("BENCH_THREADS", "4"),
                 "--worker-class", "gthread", "--backlog", "256"]

BARE_APP = textwrap.dedent('''
    from flask import Flask, Response
    app = Flask(__name__)
    TWIML = ('<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/step" input="dtmf" '
             'numDigits="1" timeout="8"><Say language="de-DE" voice="Polly.Vicki-Neural">'
             'Für aktuelle Angebote drücken Sie die 1.</Say></Gather></Response>')

    @app.post("/", defaults={"path": ""})
    @app.post("/<path:path>")
    def answer(path):
        return Response(TWIML, mimetype="text/xml")
''')


@dataclass
class Stats:
    """Latencies of every request and the errors seen."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


class Caller:
    """One simulated caller: posts signed requests and follows the TwiML it gets back."""

    def __init__(self, base_url: str, stats: Stats, full_journey: bool, pause: float) -> None:
        self.base = base_url
        self.pause = pause
        self.stats = stats
        self.full = full_journey
        self.http = requests.Session()
        self.validator = RequestValidator(TOKEN)
        self.call_sid = "CA" + uuid.uuid4().hex
        self.params = {"CallSid": self.call_sid, "AccountSid": "AC" + "0" * 32, "From": "+4915112345678",
                       "To": LINE_NUMBER, "CallStatus": "in-progress", "Direction": "inbound",
                       "ApiVersion": "2010-04-01"}

    def post(self, url: str, extra: dict[str, str] | None = None) -> ET.Element | None:
        """POST like Twilio and return the parsed answer (None for an empty one)."""
        url = url if url.startswith("http") else self.base + url
        data = {**self.params, **(extra or {})}
        # The caller listens to the prompt before pressing the next key; callers are not in step.
        time.sleep(random.uniform(0.5, 1.5) * self.pause)  # noqa: S311 - not cryptography
        headers = {"X-Twilio-Signature": self.validator.compute_signature(url, data)}
        started = time.perf_counter()
        try:
            response = self.http.post(url, data=data, headers=headers, timeout=15)
            error = None if response.status_code < 400 else f"HTTP {response.status_code} {url}"
            body = response.content
        except requests.RequestException as exc:
            error, body = f"{type(exc).__name__} {url}", b""
        self.stats.add(time.perf_counter() - started, error)
        return ET.fromstring(body) if body.strip() and not error else None  # noqa: S314 - our own local server's answer

    def journey(self) -> None:
        """Greeting, activities, message with consent and recording, confirmation, goodbye."""
        answer = self.post("/twilio/voice")
        for key in ("1", "1", "9", "3", "1"):  # activities, next, main menu, message, consent
            if answer is None:
                return
            answer = self._press(answer, key)
        if not self.full or answer is None:
            return
        record = answer.find(".//Record")
        if record is None:
            return
        recording_sid = "RE" + uuid.uuid4().hex
        recording = {"RecordingSid": recording_sid, "RecordingDuration": "12", "RecordingStatus": "completed",
                     "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{recording_sid}"}
        self.post(record.get("recordingStatusCallback"), recording)
        answer = self.post(record.get("action"), {**recording, "Digits": "#"})
        if answer is not None:
            self._press(answer, "1")  # yes, call me back on this number
        self.post("/twilio/status", {"CallStatus": "completed", "CallDuration": "95"})

    def _press(self, answer: ET.Element, key: str) -> ET.Element | None:
        gather = answer.find(".//Gather")
        if gather is None:
            return None
        return self.post(gather.get("action"), {"Digits": key})


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the shared settings; return the process and its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}", app_spec],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/healthz", timeout=1)
            return process, base
        except requests.RequestException:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn for {app_spec} did not start")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn gracefully."""
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def drive(base: str, callers: int, seconds: float, full_journey: bool, pause: float) -> tuple[Stats, float]:
    """Run `callers` concurrent journeys again and again for `seconds`; return stats and elapsed time."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def loop() -> None:
        while time.monotonic() < deadline:
            Caller(base, stats, full_journey, pause).journey()

    with ThreadPoolExecutor(callers) as pool:
        for future in [pool.submit(loop) for _ in range(callers)]:
            future.result()
    return stats, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, stats: Stats, elapsed: float) -> dict[str, float]:
    """Print and return throughput and latency percentiles (ms)."""
    figures = {
        "rps": len(stats.latencies) / elapsed,
        "p50": statistics.median(stats.latencies) * 1000,
        "p95": percentile(stats.latencies, 0.95) * 1000,
        "p99": percentile(stats.latencies, 0.99) * 1000,
        "errors": len(stats.errors),
    }
    print(f"{name:<40} {len(stats.latencies):>8} {figures['rps']:>8.1f} {figures['p50']:>8.1f} "
          f"{figures['p95']:>8.1f} {figures['p99']:>8.1f} {len(stats.errors):>7}")
    for error in sorted(set(stats.errors))[:5]:
        print(f"    error: {error}")
    return figures


def hotline_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """Environment for a hotline server with the demo loaded."""
    env = {**os.environ, "HOTLINE_DATA_DIR": str(data_dir), "TWILIO_AUTH_TOKEN": TOKEN,
           "SECRET_KEY": "benchmark", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    for command in (["init-db"], ["demo"]):
        subprocess.run([sys.executable, "-c", "from hotline.cli import main; main()", *command],
                       env=env, cwd=data_dir, check=True, stdout=subprocess.DEVNULL)
    return env


def fresh_postgres(server_url: str) -> tuple[str, callable]:
    """Create an empty database for this run on the server; return its URL and a drop function."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"hotline_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@dataclass
class Server:
    """A server under test: its name, base URL and whether callers walk the whole journey."""

    name: str
    base: str
    full_journey: bool
    runs: dict[str, list[dict[str, float]]] = field(default_factory=lambda: {"latency": [], "throughput": []})

    def median(self, measurement: str, figure: str) -> float:
        """The median of one figure over the rounds."""
        return statistics.median(run[figure] for run in self.runs[measurement])


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds a caller listens before each request in the latency measurement")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", "").startswith("postgres")
                        and os.environ["DATABASE_URL"] or "")
    args = parser.parse_args()

    print(f"{os.cpu_count()} CPUs, gunicorn {' '.join(GUNICORN_ARGS)}, {args.seconds:.0f} s per measurement, "
          f"{args.rounds} rounds")
    print(f"latency: {args.callers} concurrent callers, each pausing {args.pause} s before every request; "
          f"throughput: {args.callers} callers without pauses (saturation)")
    print(f"{'server / measurement':<40} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7}")

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as cleanup:
        workdir = Path(tmp)
        (workdir / "bare_app.py").write_text(BARE_APP)
        targets = [("bare Flask", "bare_app:app", {**os.environ, "PYTHONPATH": tmp}, workdir, False)]
        databases: list[tuple[str, str | None]] = [("hotline SQLite", None)]
        if args.postgres:
            database_url, drop = fresh_postgres(args.postgres)
            cleanup.callback(drop)
            databases.append(("hotline PostgreSQL", database_url))
        for name, database_url in databases:
            data_dir = workdir / uuid.uuid4().hex
            data_dir.mkdir()
            targets.append((name, "hotline.wsgi:app", hotline_env(data_dir, database_url), ROOT, True))
        servers = []
        for name, app_spec, env, cwd, full_journey in targets:
            process, base = start_gunicorn(app_spec, env, cwd)
            cleanup.callback(stop, process)
            # Warm up every gunicorn worker (imports, compiled statements, cached line content).
            drive(base, GUNICORN_WORKERS * 4, 3, full_journey, 0)
            servers.append(Server(name, base, full_journey))

        for _round in range(args.rounds):
            for server in servers:
                for measurement, pause in (("latency", args.pause), ("throughput", 0)):
                    stats, elapsed = drive(server.base, args.callers, args.seconds, server.full_journey, pause)
                    server.runs[measurement].append(report(f"{server.name}, {measurement}", stats, elapsed))

    bare, *ours = servers
    print(f"medians of {args.rounds} rounds:")
    for server in servers:
        print(f"{server.name:<20} p50/p95/p99 at {args.callers} callers "
              + "/".join(f"{server.median('latency', p):.1f}" for p in ("p50", "p95", "p99"))
              + f" ms; throughput {server.median('throughput', 'rps'):.0f} req/s; errors in all "
              + str(sum(run["errors"] for runs in server.runs.values() for run in runs)))
    for server in ours:
        each_round = " ".join(f"{run['rps'] / bare_run['rps']:.2f}"
                              for run, bare_run in zip(server.runs["throughput"], bare.runs["throughput"], strict=True))
        print(f"{server.name}: p99 at {args.callers} callers {server.median('latency', 'p99'):.1f} ms "
              f"(bare {bare.median('latency', 'p99'):.1f} ms); throughput ours/bare "
              f"{server.median('throughput', 'rps') / bare.median('throughput', 'rps'):.2f} "
              f"(round by round: {each_round})")


if __name__ == "__main__":
    main()

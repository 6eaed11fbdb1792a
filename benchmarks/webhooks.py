"""Webhook benchmark: the hotline against a correct minimal Twilio app, driven by wrk.

    python benchmarks/webhooks.py [--seconds 10] [--rounds 3] [--connections 64] [--postgres URL]
                                  [--journeys JOURNEY ...] [--no-capacity]

It starts, side by side under identical gunicorn settings (the Procfile's): the baseline
(`benchmarks/baseline_app.py`: checks the signature, answers TwiML built with `VoiceResponse`),
the hotline on the embedded default (SQLite, file queue) and, with --postgres or a PostgreSQL
DATABASE_URL, the hotline on PostgreSQL and the floor (`benchmarks/floor_app.py`: the baseline
that also commits one row to PostgreSQL in a single round trip, the least any app that keeps its
calls there can do). The load comes from wrk replaying requests signed beforehand
(`benchmarks/replay.lua`), so the client is never the bottleneck.

Journeys, each measured at saturation (--connections, no pauses):
  call starts   a new CallSid every request,
  menu steps    the first key of known calls,
  activities    the activities path (next offer, back to the menu),
  message       the message path with consent, Twilio's recording callbacks, confirmation, status.
Paths are walked once in Python to learn the URLs the TwiML names; wrk replays those requests.
The baseline and the floor answer the very same requests. Measurements take turns (journey by
journey, each server in turn) for --rounds rounds; the medians are printed, and each server's
throughput of the baseline's as the median of the rounds' ratios (a round measures the servers one
right after the other).

Capacity: callers who pause 5 s between keys, as people do; each key press is a new connection
made when the caller presses (as Twilio does), from an asyncio client: wrk connects first and
then pauses, and an idle connection would hold one of gunicorn's workers. The number of callers
doubles until a webhook's p99 passes 100 ms or an answer fails, then the gap is halved twice; per
backend.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import requests
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "benchmark-auth-token"  # noqa: S105 - a throw-away token for local servers
ACCOUNT_SID = "AC" + "0" * 32
LINE_NUMBER = "+492214710100"  # the demo's Bilk line
GUNICORN_ARGS = ["--workers", "3", "--worker-class", "sync", "--backlog", "2048"]
JOURNEYS = ("call starts", "menu steps", "activities", "message")
CALLS_PER_PATH = 300  # known calls whose walked paths are replayed
CAPACITY_PAUSE_MS = 5000
CAPACITY_P99_MS = 100.0
CAPACITY_FIRST_CALLERS = 100
CAPACITY_MAX_CALLERS = 12800

Request = tuple[str, dict[str, str]]  # path with query, form parameters


@dataclass
class Server:
    """A server under test and its measurements per journey."""

    name: str
    base: str
    runs: dict[str, list[dict[str, float]]] = field(default_factory=dict)

    def median(self, journey: str, figure: str) -> float:
        """The median of one figure over the rounds."""
        return statistics.median(run[figure] for run in self.runs[journey])

    def ratio(self, baseline: Server, journey: str) -> float:
        """The median over the rounds of this server's throughput against the baseline's in the same round.

        A round measures the servers one right after the other, so a machine that slows down or
        speeds up during the run (seen here: the baseline from 2900 to 2000 req/s within one run)
        moves both figures of a round alike.
        """
        return statistics.median(ours["rps"] / theirs["rps"]
                                 for ours, theirs in zip(self.runs[journey], baseline.runs[journey], strict=True))


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


def hotline_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """Environment for a hotline server with the demo loaded."""
    env = {**os.environ, "HOTLINE_DATA_DIR": str(data_dir), "TWILIO_AUTH_TOKEN": TOKEN,
           "SECRET_KEY": "benchmark", "TWILIO_ACCOUNT_SID": ACCOUNT_SID}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    for command in (["init-db"], ["demo"]):
        subprocess.run([sys.executable, "-c", "from hotline.cli import main; main()", *command],
                       env=env, cwd=data_dir, check=True, stdout=subprocess.DEVNULL)
    return env


def fresh_postgres(server_url: str) -> tuple[str, Callable[[], None]]:
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


def floor_database(database_url: str) -> str:
    """Create the floor app's table in the database; return the database's URL as psycopg takes it."""
    from sqlalchemy.engine import make_url

    libpq_url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url, autocommit=True) as connection:
        connection.execute("CREATE TABLE floor_requests (id bigserial PRIMARY KEY, call_sid text NOT NULL)")
    return libpq_url


def call_params(call_sid: str) -> dict[str, str]:
    """What Twilio sends with every webhook of an inbound call."""
    return {"CallSid": call_sid, "AccountSid": ACCOUNT_SID, "From": "+4915112345678", "To": LINE_NUMBER,
            "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01"}


def new_call() -> dict[str, str]:
    """The parameters of a call Twilio has not told us about yet."""
    return call_params("CA" + uuid.uuid4().hex)


class Walker:
    """Walks a journey once, like Twilio, and keeps every request it made for replaying."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.validator = RequestValidator(TOKEN)
        self.params = new_call()
        self.made: list[Request] = []

    def post(self, url: str, extra: dict[str, str] | None = None) -> ET.Element:
        """POST a signed request, keep it, and return the parsed answer."""
        path = url.removeprefix(self.base)
        data = {**self.params, **(extra or {})}
        signature = self.validator.compute_signature(self.base + path, data)
        response = self.http.post(self.base + path, data=data, headers={"X-Twilio-Signature": signature}, timeout=15)
        if response.status_code != 200 or b"Entschuldigung" in response.content:
            raise SystemExit(f"{path} answered {response.status_code}: {response.text[:300]}")
        self.made.append((path, data))
        return ET.fromstring(response.content)  # noqa: S314 - our own local server's answer

    def press(self, answer: ET.Element, key: str) -> ET.Element:
        """Press a key in the answer's Gather."""
        gather = answer.find(".//Gather")
        if gather is None:
            raise SystemExit(f"no Gather to press {key} in: {ET.tostring(answer)[:300]!r}")
        return self.post(gather.get("action", ""), {"Digits": key})

    def menu_step(self) -> list[Request]:
        """The first key of a known call."""
        self.press(self.post("/twilio/voice"), "1")
        return self.made[-1:]

    def activities(self) -> list[Request]:
        """Activities, the next offer, back to the main menu."""
        answer = self.post("/twilio/voice")
        for key in ("1", "1", "9"):
            answer = self.press(answer, key)
        return self.made[1:]

    def message(self) -> list[Request]:
        """A message with consent, Twilio's recording callbacks, confirmation and the final status."""
        answer = self.press(self.press(self.post("/twilio/voice"), "3"), "1")
        record = answer.find(".//Record")
        if record is None:
            raise SystemExit(f"no Record after consent: {ET.tostring(answer)[:300]!r}")
        recording_sid = "RE" + uuid.uuid4().hex
        recording = {"RecordingSid": recording_sid, "RecordingDuration": "12", "RecordingStatus": "completed",
                     "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{recording_sid}"}
        self.post(record.get("recordingStatusCallback", ""), recording)
        self.press(self.post(record.get("action", ""), {**recording, "Digits": "#"}), "1")
        self.post("/twilio/status", {"CallStatus": "completed", "CallDuration": "95"})
        return self.made[1:]


def walked(base: str, journey: str) -> list[Request]:
    """The requests of CALLS_PER_PATH known calls walking one journey, in order."""
    made: list[Request] = []
    for _ in range(CALLS_PER_PATH):
        walker = Walker(base)
        made.extend({"menu steps": walker.menu_step, "activities": walker.activities,
                     "message": walker.message}[journey]())
    return made


def signed(base: str, made: list[Request]) -> list[tuple[str, str, str]]:
    """Each request as path, its signature for `base`, and its form body."""
    validator = RequestValidator(TOKEN)
    return [(path, validator.compute_signature(base + path, data), urlencode(data)) for path, data in made]


def write_signed(path: Path, base: str, made: list[Request]) -> Path:
    """One request a line, signed for `base`: path, signature, body."""
    with path.open("w") as file:
        file.writelines(f"{url_path}\t{signature}\t{body}\n" for url_path, signature, body in signed(base, made))
    return path


def wrk(base: str, requests_file: Path, seconds: float, connections: int) -> dict[str, float]:
    """Run wrk against `base` replaying the file; return its figures (latencies in ms)."""
    result = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{seconds:.0f}s",
         "--timeout", "10s", "--script", str(ROOT / "benchmarks" / "replay.lua"), base, "--",
         str(requests_file)],
        capture_output=True, text=True, check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["errors"] = figures["failed"] + figures["socket_errors"]
    return figures


def print_run(name: str, journey: str, figures: dict[str, float]) -> None:
    """One measurement as a table row."""
    print(f"{journey:<12} {name:<20} {figures['rps']:>8.0f} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
          f"{figures['p99']:>8.1f} {figures['errors']:>7.0f}", flush=True)


async def _caller(host: str, port: int, script: list[bytes], start: int, first_pause: float, measure_from: float,
                  until: float, figures: dict[str, list]) -> None:
    """One caller: listens 5 s, then presses a key, as a new connection (as Twilio does)."""
    loop = asyncio.get_running_loop()
    position = start
    await asyncio.sleep(first_pause)
    while True:
        began = loop.time()
        if began >= until:
            return
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            writer.write(script[position % len(script)])
            answer = await asyncio.wait_for(reader.read(), 10)  # the server closes after answering
            writer.close()
            failed = not answer.startswith(b"HTTP/1.1 200") or b"Entschuldigung" in answer
        except (OSError, TimeoutError):
            failed = True
        position += 1
        if began >= measure_from:
            figures["latencies"].append((loop.time() - began) * 1000)
            figures["failed"].append(failed)
        await asyncio.sleep(CAPACITY_PAUSE_MS / 1000)


async def _callers(base: str, made: list[Request], callers: int, seconds: float) -> dict[str, float]:
    """`callers` callers pausing between keys for `seconds` after a warm-up of one pause; the figures."""
    host, port = base.removeprefix("http://").split(":")
    script = [
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"X-Twilio-Signature: {signature}\r\n\r\n{body}".encode()
        for path, signature, body in signed(base, made)
    ]
    pause = CAPACITY_PAUSE_MS / 1000
    loop = asyncio.get_running_loop()
    measure_from = loop.time() + pause
    until = measure_from + seconds
    figures: dict[str, list] = {"latencies": [], "failed": []}
    # Callers begin spread over one pause, each at its own place in the walked paths (fixed, so
    # that runs compare), as people's calls do not arrive in step.
    spread = random.Random(callers)  # noqa: S311 - seeded spreading of callers, no secret
    await asyncio.gather(*(
        _caller(host, int(port), script, spread.randrange(len(script)), spread.uniform(0, pause), measure_from,
                until, figures)
        for _ in range(callers)))
    latencies = sorted(figures["latencies"])
    return {"requests": len(latencies), "rps": len(latencies) / seconds, "errors": sum(figures["failed"]),
            "p50": _percentile(latencies, 50), "p99": _percentile(latencies, 99)}


def _percentile(sorted_values: list[float], percent: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * percent / 100))] if sorted_values else 0.0


def capacity(server: Server, made: list[Request], seconds: float) -> int:
    """The most callers pausing 5 s between keys for whom every answer's p99 stays under 100 ms.

    The callers double until one number fails, then the gap is halved twice.
    """
    def holds(callers: int) -> bool:
        figures = asyncio.run(_callers(server.base, made, callers, seconds))
        print(f"capacity     {server.name:<20} {callers:>5} callers: {figures['rps']:.0f} req/s, "
              f"p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, errors {figures['errors']:.0f}", flush=True)
        return figures["p99"] < CAPACITY_P99_MS and not figures["errors"]

    kept, failed = 0, CAPACITY_FIRST_CALLERS
    while failed <= CAPACITY_MAX_CALLERS and holds(failed):
        kept, failed = failed, failed * 2
    for _ in range(2 if kept else 0):
        middle = (kept + failed) // 2
        kept, failed = (middle, failed) if holds(middle) else (kept, middle)
    return kept


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64, help="concurrent requests at saturation")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", "").startswith("postgres")
                        and os.environ["DATABASE_URL"] or "")
    parser.add_argument("--journeys", nargs="+", choices=JOURNEYS, default=JOURNEYS, metavar="JOURNEY",
                        help=f"measure only these ({', '.join(JOURNEYS)})")
    parser.add_argument("--no-capacity", dest="capacity", action="store_false")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk)")
    # One file descriptor per open connection: the capacity probe's callers may need thousands.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    print(f"{os.cpu_count()} CPUs, gunicorn {' '.join(GUNICORN_ARGS)}; wrk with {args.connections} connections, "
          f"{args.seconds:.0f} s per measurement, {args.rounds} rounds, medians")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as cleanup:
        workdir = Path(tmp)

        def started(name: str, app_spec: str, env: dict[str, str], cwd: Path) -> Server:
            process, base = start_gunicorn(app_spec, env, cwd)
            cleanup.callback(stop, process)
            return Server(name, base)

        reference_env = {**os.environ, "PYTHONPATH": str(ROOT / "benchmarks"), "TWILIO_AUTH_TOKEN": TOKEN}
        baseline = started("baseline", "baseline_app:app", reference_env, workdir)
        databases: list[tuple[str, str | None]] = [("hotline SQLite", None)]
        floors: list[Server] = []
        if args.postgres:
            postgres_url, drop = fresh_postgres(args.postgres)
            cleanup.callback(drop)
            databases.append(("hotline PostgreSQL", postgres_url))
            floors.append(started("floor PostgreSQL", "floor_app:app",
                                  {**reference_env, "FLOOR_DATABASE_URL": floor_database(postgres_url)}, workdir))
        ours = []
        for name, database_url in databases:
            data_dir = workdir / uuid.uuid4().hex
            data_dir.mkdir()
            ours.append(started(name, "hotline.wsgi:app", hotline_env(data_dir, database_url), ROOT))
        servers = [baseline, *ours, *floors]

        # Paths walked once per hotline; the baseline and the floor answer the SQLite hotline's requests.
        paths = {(server.name, journey): walked(server.base, journey)
                 for server in ours for journey in JOURNEYS if journey != "call starts"}
        for journey in JOURNEYS[1:]:
            for reference in (baseline, *floors):
                paths[(reference.name, journey)] = paths[(ours[0].name, journey)]
        # Warm every worker (imports, compiled statements, cached line content).
        for server in servers:
            wrk(server.base, write_signed(workdir / "warm.txt", server.base, paths[(server.name, "activities")]),
                3, args.connections)

        print(f"{'journey':<12} {'server':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for _round in range(args.rounds):
            for journey in args.journeys:
                for server in servers:
                    if journey == "call starts":
                        # Enough new calls that none repeats at the fastest server's pace.
                        made = [("/twilio/voice", new_call()) for _ in range(int(6000 * args.seconds))]
                    else:
                        made = paths[(server.name, journey)]
                    requests_file = write_signed(workdir / f"{uuid.uuid4().hex}.txt", server.base, made)
                    figures = wrk(server.base, requests_file, args.seconds, args.connections)
                    server.runs.setdefault(journey, []).append(figures)
                    print_run(server.name, journey, figures)

        print(f"\nmedians of {args.rounds} rounds at saturation ({args.connections} connections):")
        print(f"{'journey':<12} {'server':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'errors':>7} {'of baseline':>14}")
        for journey in args.journeys:
            for server in servers:
                ratio = server.ratio(baseline, journey)
                errors = sum(run["errors"] for run in server.runs[journey])
                print(f"{journey:<12} {server.name:<20} {server.median(journey, 'rps'):>8.0f} "
                      + "".join(f"{server.median(journey, p):>9.1f}" for p in ("p50", "p95", "p99"))
                      + f" {errors:>7.0f} {'' if server is baseline else f'{ratio:.2f}':>14}")

        if args.capacity:
            print(f"\ncapacity: callers pausing {CAPACITY_PAUSE_MS / 1000:.0f} s between keys, "
                  f"every answer's p99 under {CAPACITY_P99_MS:.0f} ms:")
            # The baseline too: it holds many more callers with the same client, so the client is
            # not what limits the hotline's figure.
            for server in (baseline, *ours):
                made = paths[(server.name, "activities")] + paths[(server.name, "message")]
                print(f"{server.name}: {capacity(server, made, max(args.seconds, 20))} callers "
                      f"(probed up to {CAPACITY_MAX_CALLERS})")


if __name__ == "__main__":
    main()

"""`hotline serve`: a worker that dies is started again, and the web never stops answering."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from hotline.cli.serve import serve_command

from tests.support import free_port, poll, worker_environment


def _healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return response.status
    except OSError:
        return 0


def _worker_pids(log: Path) -> list[int]:
    return [int(pid) for pid in re.findall(r"worker gestartet \(PID (\d+)\)", log.read_text())]


@pytest.mark.slow
def test_a_killed_worker_is_restarted_while_the_web_keeps_answering(tmp_path):
    env, _settings, database = worker_environment(tmp_path, PORT=str(free_port()), WEB_CONCURRENCY="1")
    database.dispose()
    port = int(env["PORT"])
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        service = subprocess.Popen([sys.executable, "-c", "from hotline.cli import main; main()", "serve"],
                                   env=env, cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT)
    try:
        assert poll(lambda: _healthz(port), lambda status: status == 200, seconds=30) == 200, log.read_text()
        first = poll(lambda: _worker_pids(log), bool, seconds=10)
        assert first, log.read_text()

        os.kill(first[0], signal.SIGKILL)

        answers = []
        restarted = poll(lambda: (answers.append(_healthz(port)), _worker_pids(log))[1],
                         lambda pids: len(pids) == 2, seconds=15)
        assert len(restarted) == 2, log.read_text()
        assert restarted[1] != first[0]
        assert set(answers) == {200}
        assert "worker ist beendet (Code -9); Neustart in 1 s." in log.read_text()
        assert _healthz(port) == 200
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=30)
    assert service.returncode == 0, log.read_text()
    assert _healthz(port) == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])  # noqa: S104 - refused, never bound
def test_serve_refuses_an_outside_address_without_public_base_url(tmp_path, monkeypatch, host):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # no .env
    result = CliRunner().invoke(serve_command, ["--host", host, "--port", "8000"])
    assert result.exit_code != 0
    assert "PUBLIC_BASE_URL" in result.output

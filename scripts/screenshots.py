"""Take the README's screenshots of the admin: the callback queue, the overview, the content editor.

Runs the app on a throw-away SQLite database with the demo content plus a fortnight of
invented calls, serves it with werkzeug on 127.0.0.1 and photographs it with Debian's Chromium:

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from hotline import create_app
from hotline.cli.demo import DEFAULT_DEMO_PASSWORD, load_demo
from hotline.config import Settings
from hotline.db import utcnow
from hotline.models import Call, CallbackAttempt, CallbackRequest, CallStep, Network, Voicemail

MENU_PATHS = (["begruessung", "hauptmenue", "angebote"], ["begruessung", "hauptmenue", "neu_hier"],
              ["begruessung", "hauptmenue", "rueckruf", "aufnahme"], ["begruessung", "hauptmenue"])


def _invent_history(session, rng: random.Random) -> None:
    now = utcnow()
    bilk = session.query(Network).filter_by(slug="bilk").one()
    for day in range(14):
        for n in range(rng.randint(2, 9)):
            started = now - timedelta(days=day, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
            call = Call(call_sid=f"CA{day:02d}{n:02d}{'0' * 28}", from_number="+492214710999",
                        to_number="+492214710100", network_id=bilk.id, status="completed",
                        started_at=started)
            call.steps = [CallStep(position=i, node=node, event="key", at=started)
                          for i, node in enumerate(rng.choice(MENU_PATHS))]
            session.add(call)
    for hours, outcome in ((1, "reached"), (3, "not_reached"), (5, "reached")):
        created = now - timedelta(days=2, hours=hours)
        request = CallbackRequest(network_id=bilk.id, number="+492214710931", status="done",
                                  topic="Angebot", created_at=created, done_at=now)
        request.attempts = [CallbackAttempt(outcome=outcome, at=created + timedelta(hours=hours))]
        session.add(request)
    session.add_all([
        Voicemail(recording_sid=f"RE{i:032d}", source_url="https://api.twilio.com/x",
                  network_id=bilk.id, state=state)
        for i, state in enumerate(["transcribed"] * 6 + ["downloaded", "failed"])
    ])
    waiting = session.query(CallbackRequest).filter_by(network_id=bilk.id, status="open").all()
    waiting[0].urgent = True
    waiting[-1].preferred_time = "gern vormittags"


def take(out: Path) -> None:
    """Serve a demo app and save queue.png, overview.png and content.png into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        app = create_app(Settings(data_dir=data_dir,
                                  database_url=f"sqlite:///{data_dir / 'demo.sqlite3'}",
                                  twilio_account_sid="",
                                  twilio_auth_token="screenshots",  # noqa: S106 - throw-away
                                  secret_key="screenshots"))  # noqa: S106 - throw-away app
        database = app.extensions["hotline.db"]
        database.upgrade()
        with database.session_scope() as session:
            load_demo(session, today=date.today())
            _invent_history(session, random.Random(7))  # noqa: S311 - invented demo numbers
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"),
                    args=["--no-sandbox", "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1024, "height": 768})
                page.goto(f"{base}/admin/login")
                page.get_by_label("E-Mail-Adresse").fill("begleitung.bilk@example.org")
                page.get_by_label("Passwort").fill(DEFAULT_DEMO_PASSWORD)
                page.get_by_role("button", name="Anmelden").click()
                page.goto(f"{base}/admin/")
                page.screenshot(path=str(out / "queue.png"), full_page=True)
                page.goto(f"{base}/admin/uebersicht")
                page.screenshot(path=str(out / "overview.png"), full_page=True)
                page.goto(f"{base}/admin/inhalte")  # the Begleitung of Bilk has one network: its page
                page.screenshot(path=str(out / "content.png"), full_page=True)
                browser.close()
        finally:
            server.shutdown()
            database.dispose()


def main() -> None:
    """Parse the output directory and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    take(parser.parse_args().out)


if __name__ == "__main__":
    main()

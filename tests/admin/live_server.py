"""The app served by a real werkzeug server in a thread, on a migrated temp SQLite database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from hotline import create_app
from hotline.config import Settings

from tests.admin.admin_support import PASSWORD
from tests.factories import make_account, make_line_number, make_network

# Chromium as root in a container needs --no-sandbox; the tests reach no address but the live app.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]


@contextmanager
def live_app(data_dir: Path, **overrides) -> Iterator[tuple[str, object]]:
    """Yield (base URL, app) of a freshly migrated app served on 127.0.0.1."""
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'live.sqlite3'}",
                        twilio_account_sid="", twilio_auth_token="live-test-token",
                        secret_key="live-test-secret", testing=True, **overrides)
    app = create_app(settings)
    database = app.extensions["hotline.db"]
    database.upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        database.dispose()


def add_bilk_and_its_begleitung(session):
    """Netzwerk Bilk with its line number and Berta, its Begleitung (berta@example.org); returns Bilk."""
    bilk = make_network(session, name="Netzwerk Bilk", district="Bilk")
    make_line_number(session, bilk, "+492214710100")
    make_account(session, email="berta@example.org", networks=[bilk], role="begleitung",
                 display_name="Berta Begleitung")
    return bilk


def log_in(page, base: str, email: str) -> None:
    """Log in through the admin's login form, as a person does."""
    page.goto(f"{base}/admin/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, axe_source: str) -> list[str]:
    """The page's WCAG 2.1 AA violations as axe-core reports them (rule id and first target)."""
    # Evaluated through the browser's debugging protocol: the admin's Content-Security-Policy rightly
    # refuses an injected <script>, and the test leaves that protection on.
    page.evaluate(axe_source)
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [f"{violation['id']}: {violation['nodes'][0]['target']}" for violation in results["violations"]]

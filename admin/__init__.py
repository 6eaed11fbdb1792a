"""The admin web UI at /admin/: callback queue, people, networks, overview, audit log, line content, data requests.

`init_app(app)` wires the blueprint, logins (Flask-Login), CSRF (Flask-WTF) and security
headers. One `before_request` guard protects every view of the blueprint; see `admin/access.py`
for the markers (`@public`, `@roles`, `@staff_only`) and the navigation registry (`add_nav`).
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from admin import access
from hotline.models import User
from hotline.web import request_db
from hotline.web.urls import LARGEST_ID

logger = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static")
login_manager = LoginManager()
csrf = CSRFProtect()

# Pages are never framed; scripts (only static files: the Testanruf keypad, the phone menu), styles, images,
# audio and fetches come from this site only, and no inline script or style runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "img-src 'self' data:; media-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
INACTIVE_MESSAGE = "Ihr Zugang ist deaktiviert. Bitte wenden Sie sich an Ihre Begleitung."
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Register the admin on the app: views, login manager, CSRF, navigation."""
    settings = app.extensions["hotline.settings"]
    secure = bool(settings.public_base_url and settings.public_base_url.startswith("https://"))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        # The guard checks CSRF for every admin POST; other blueprints (Twilio) are not affected.
        WTF_CSRF_CHECK_DEFAULT=False,
        # A volunteer may keep a request open for a long call before saving the attempt.
        WTF_CSRF_TIME_LIMIT=12 * 3600,
    )
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    csrf.init_app(app)

    from admin import (  # noqa: F401 - views register on bp
        activities,
        auth,
        callbacks,
        content,
        drafts,
        formatting,
        menus,
        networks,
        people,
        privacy,
        recordings,
        reports,
    )

    formatting.init_app(app)

    app.register_blueprint(bp)
    app.jinja_env.globals.setdefault("role_labels", access.ROLE_LABELS)
    for item in (
        access.NavItem("admin.queue", "Rückrufe", order=10),
        access.NavItem("admin.my_activities", "Meine Angebote", ("volunteer",), order=15),
        access.NavItem("admin.overview", "Übersicht", access.STAFF_ROLES, order=20),
        access.NavItem("admin.content_networks", "Inhalte", access.STAFF_ROLES, order=30),
        access.NavItem("admin.networks_page", "Netzwerke", ("admin",), order=35),
        access.NavItem("admin.data_request", "Auskunft", access.STAFF_ROLES, order=75),
        access.NavItem("admin.people_page", "Personen", access.STAFF_ROLES, order=60),
        access.NavItem("admin.audit_log", "Protokoll", access.STAFF_ROLES, order=70),
        access.NavItem("admin.profile", "Mein Profil", order=90),
    ):
        access.add_nav(app, item)


@login_manager.user_loader
def _load_account(session_id: str) -> access.Account | None:
    user_id, _, generation = session_id.partition(":")
    if not user_id.isdigit() or int(user_id) > LARGEST_ID:
        return None
    user = request_db.session().scalar(select(User).where(User.id == int(user_id)))
    if user is None or generation != str(user.session_generation):
        return None
    return access.Account(user)


@bp.before_request
def _guard() -> BaseResponse | None:  # redirect() gives werkzeug's Response
    """Every admin request: CSRF on POST, login required unless public, roles, active account."""
    if request.endpoint == "admin.static":
        return None
    if request.method == "POST":
        csrf.protect()
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "admin_public", False):
        return None
    if not current_user.is_authenticated:
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("admin.login", next=access.safe_next(target and target.rstrip("?"))))
    if not current_user.is_active:
        logout_user()
        abort(403, INACTIVE_MESSAGE)
    access.check_allowed(view)
    return None


@bp.after_request
def _security_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint != "admin.static":
        # Pages and audio carry personal data: never keep them in a shared or browser cache.
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def _layout_context() -> dict[str, object]:
    nav = access.nav_for(current_user.role) if current_user.is_authenticated else []
    return {"nav_items": nav}


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError):
    message = ("Das Formular ist abgelaufen oder unvollständig. "
               "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.")
    return render_template("admin/error.html", title="Bitte noch einmal", message=message), 400


@bp.errorhandler(403)
def _forbidden(error):
    message = INACTIVE_MESSAGE if error.description == INACTIVE_MESSAGE else (
        "Diese Seite ist für Ihr Konto nicht freigegeben.")
    return render_template("admin/error.html", title="Kein Zugriff", message=message), 403


@bp.errorhandler(404)
def _not_found(error):
    return render_template("admin/error.html", title="Nicht gefunden",
                           message="Diese Seite oder dieser Eintrag existiert nicht "
                                   "(oder gehört zu einem anderen Netzwerk)."), 404

"""Logging in and out, and changing one's own password."""

from __future__ import annotations

import logging
import math

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from admin import bp
from admin.access import Account, account, public, safe_next
from admin.forms import LoginForm, PasswordChangeForm
from hotline.db import utcnow
from hotline.services import logins
from hotline.services.users import UserError
from hotline.web import request_db

logger = logging.getLogger(__name__)



def throttled_message(seconds: int) -> str:
    """Why the login waits, and for how long, in words."""
    wait = f"{seconds} Sekunden" if seconds < 120 else f"{math.ceil(seconds / 60)} Minuten"
    return (f"Zu viele Fehlversuche. Bitte warten Sie {wait} und versuchen Sie es dann noch "
            "einmal. Jeder weitere Fehlversuch verlängert die Wartezeit.")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form; on success go to `next` (inside the admin) or the queue."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("admin.queue"))
    form = LoginForm()
    error = None
    status = 200
    headers = {}
    if form.validate_on_submit():
        try:
            user = logins.authenticate(request_db.session(), form.email.data or "", form.password.data or "",
                                       request.remote_addr or "unknown", now=utcnow())
        except logins.LoginThrottled as throttled:
            error, status = throttled_message(throttled.retry_after), 429
            headers["Retry-After"] = str(throttled.retry_after)
        else:
            if user is not None:
                login_user(Account(user))
                return redirect(safe_next(request.args.get("next")) or url_for("admin.queue"))
            error = "E-Mail-Adresse oder Passwort stimmen nicht."
    return render_template("admin/login.html", form=form, error=error), status, headers


@bp.post("/logout")
def logout():
    """End the session, on the server too: a copy of the cookie no longer works."""
    account().user.end_sessions()
    logout_user()
    flash("Sie sind abgemeldet. Bis bald!")
    return redirect(url_for("admin.login"))


@bp.route("/passwort", methods=["GET", "POST"])
def change_password():
    """Change one's own password (ends the account's other sessions)."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            logins.change_password(request_db.session(), account().user, form.current.data or "",
                                   form.new.data or "", form.repeated.data or "")
        except UserError as error:
            form.new.errors = [str(error)]
        else:
            # The new password ended every session, this one too: log in again.
            login_user(Account(account().user))
            flash("Ihr Passwort ist geändert.")
            return redirect(url_for("admin.profile"))
    return render_template("admin/password.html", form=form)

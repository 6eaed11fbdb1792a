"""Admin logins: password checks, throttling of guessing, password changes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from hotline.models import LoginFailure, User
from hotline.services import audit
from hotline.services.users import MIN_PASSWORD_LENGTH, UserError, normalize_email

logger = logging.getLogger(__name__)

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


class LoginThrottled(Exception):
    """Too many failed logins for this e-mail address from this IP address."""


def authenticate(session: Session, email: str, password: str, ip: str, *, now: datetime
                 ) -> User | None:
    """The active user with these credentials, or None (the failure is recorded).

    :raises LoginThrottled: after MAX_FAILURES failures within FAILURE_WINDOW, even when the
        password is right, so guessing gains nothing.
    """
    email = normalize_email(email)[:254]
    failures = session.execute(
        select(func.count()).select_from(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.ip == ip,
            LoginFailure.at > now - FAILURE_WINDOW,
        )
    ).scalar_one()
    if failures >= MAX_FAILURES:
        logger.warning("login throttled for an address from %s", ip)
        raise LoginThrottled
    user = session.scalar(select(User).where(User.email == email))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not password_ok or not user.active:
        session.add(LoginFailure(email=email, ip=ip[:45], at=now))
        session.flush()
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.ip == ip))
    user.last_login_at = now
    audit.record(session, "login", "user", user.id, actor_id=user.id)
    return user


def purge_old_failures(session: Session, *, now: datetime) -> int:
    """Delete failures older than the throttling window; return how many."""
    result = session.execute(delete(LoginFailure).where(LoginFailure.at <= now - FAILURE_WINDOW))
    result = cast(CursorResult[Any], result)  # what a DELETE gives; Session.execute's type says only Result
    return result.rowcount


def check_new_password(password: str, repeated: str) -> None:
    """Raise UserError unless the new password is long enough and typed the same twice."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} Zeichen.")
    if password != repeated:
        raise UserError("Die beiden neuen Passwörter stimmen nicht überein.")


def change_password(session: Session, user: User, current: str, new: str, repeated: str) -> None:
    """Change one's own password after checking the current one."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("Das bisherige Passwort stimmt nicht.")
    check_new_password(new, repeated)
    user.password_hash = generate_password_hash(new)
    user.end_sessions()
    session.flush()
    audit.record(session, "password_changed", "user", user.id, actor_id=user.id)

"""Admin logins: password checks, throttling of guessing, password changes."""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from hotline.models import LoginFailure, User
from hotline.services import audit
from hotline.services.users import UserError, check_password, normalize_email

logger = logging.getLogger(__name__)

# Guessing is slowed by a delay that doubles with each failure beyond the free ones, never a
# lockout: per address (over all accounts; an office behind one router shares it) and per account
# (only for the addresses that failed on it, so a stranger never keeps the owner out).
ADDRESS_FREE_FAILURES = 20
ACCOUNT_FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=24)

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


class LoginThrottled(Exception):
    """Too many recent failed logins from this address (for this account or all): wait `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def authenticate(session: Session, email: str, password: str, ip: str, *, now: datetime
                 ) -> User | None:
    """The active user with these credentials, or None (the failure is recorded).

    :raises LoginThrottled: while this address must wait after its failures, even when the
        password is right, so guessing gains nothing.
    """
    email = normalize_email(email)[:254]
    ip = ip[:45]
    wait = _wait(session, email, ip, now)
    if wait > timedelta(0):
        logger.warning("login throttled for an address from %s", ip)
        raise LoginThrottled(math.ceil(wait.total_seconds()))
    user = session.scalar(select(User).where(User.email == email))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not password_ok or not user.active:
        session.add(LoginFailure(email=email, ip=ip, at=now))
        session.flush()
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.ip == ip))
    user.last_login_at = now
    audit.record(session, "login", "user", user.id, actor_id=user.id)
    return user


def _wait(session: Session, email: str, ip: str, now: datetime) -> timedelta:
    """How long `ip` must still wait before it may try `email` again."""
    recent = LoginFailure.at > now - FAILURE_WINDOW
    ends = [_delay_end(session, (LoginFailure.ip == ip, recent), ADDRESS_FREE_FAILURES)]
    tried_this_account = session.scalar(select(LoginFailure.id).where(
        LoginFailure.email == email, LoginFailure.ip == ip, recent).limit(1))
    if tried_this_account is not None:
        ends.append(_delay_end(session, (LoginFailure.email == email, recent), ACCOUNT_FREE_FAILURES))
    return max(end - now for end in ends)


def _delay_end(session: Session, conditions: tuple[Any, ...], free: int) -> datetime:
    """When the delay after the failures matching `conditions` ends (in the past if there is none)."""
    count, last = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(*conditions)
    ).one()
    if count < free or last is None:
        return datetime.min.replace(tzinfo=UTC)
    doublings = min(count - free, 10)  # MAX_DELAY is reached long before; keeps the power small
    return last + min(FIRST_DELAY * 2**doublings, MAX_DELAY)


def purge_old_failures(session: Session, *, now: datetime) -> int:
    """Delete failures older than the throttling window; return how many."""
    result = session.execute(delete(LoginFailure).where(LoginFailure.at <= now - FAILURE_WINDOW))
    result = cast(CursorResult[Any], result)  # what a DELETE gives; Session.execute's type says only Result
    return result.rowcount


def check_new_password(user: User, password: str, repeated: str) -> None:
    """Raise UserError unless the new password is typed the same twice and strong enough for `user`."""
    if password != repeated:
        raise UserError("Die beiden neuen Passwörter stimmen nicht überein.")
    check_password(password, (user.email, user.display_name))


def change_password(session: Session, user: User, current: str, new: str, repeated: str) -> None:
    """Change one's own password after checking the current one."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("Das bisherige Passwort stimmt nicht.")
    check_new_password(user, new, repeated)
    user.password_hash = generate_password_hash(new)
    user.end_sessions()
    session.flush()
    audit.record(session, "password_changed", "user", user.id, actor_id=user.id)

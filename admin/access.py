"""Who may see what: the logged-in account, role markers for views, network scope, navigation.

Every admin view is protected by the blueprint's guard (see `admin/__init__.py`). Views opt out
with `@public` (only the login page) or narrow access with `@roles(...)`/`@staff_only`; the guard
reads these markers, so a view without any marker is open to every logged-in, active account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, url_for
from flask_login import UserMixin, current_user

from hotline.models import ROLES, STAFF_ROLES, User
from hotline.services.queue import network_ids_of
from hotline.web.urls import LARGEST_ID

View = TypeVar("View", bound=Callable[..., Any])

ROLE_LABELS = {"volunteer": "Ehrenamt", "begleitung": "Begleitung", "admin": "Verwaltung"}


class Account(UserMixin):
    """The logged-in user as Flask-Login sees it; `user` is the row of this request's session."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        """The session id: user id and the account's session generation.

        Logout, deactivation and a new password raise the generation, so a cookie kept from before
        (another device, a copy) is refused by the server.
        """
        return f"{self.user.id}:{self.user.session_generation}"

    @property
    def is_active(self) -> bool:
        """Whether the account may log in (Flask-Login asks)."""
        return self.user.active

    @property
    def is_authenticated(self) -> bool:
        """Always True for a loaded account; the guard tells deactivated ones why."""
        # UserMixin says "authenticated = active"; the guard wants to tell a deactivated account
        # why it is refused instead of silently showing the login form.
        return True

    @property
    def id(self) -> int:
        """The account's id."""
        return self.user.id

    @property
    def role(self) -> str:
        """The account's role."""
        return self.user.role

    @property
    def is_staff(self) -> bool:
        """Whether the account is Begleitung or admin."""
        return self.user.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        """Whether the account is an admin."""
        return self.user.role == "admin"

    @property
    def network_ids(self) -> frozenset[int] | None:
        """The networks whose data this account may see; None means all (admins)."""
        return network_ids_of(self.user)


def account() -> Account:
    """The logged-in account (the guard has made sure there is one)."""
    return current_user


def public(view: View) -> View:
    """Mark a view as reachable without logging in."""
    view.admin_public = True  # type: ignore[attr-defined]  # a mark on the view function, read by the guard
    return view


def roles(*allowed: str) -> Callable[[View], View]:
    """Mark a view as reachable only for the given roles (checked by the guard, 403 otherwise)."""

    def mark(view: View) -> View:
        view.admin_roles = frozenset(allowed)  # type: ignore[attr-defined]  # a mark read by the guard
        return view

    return mark


staff_only = roles(*STAFF_ROLES)


def check_allowed(view: Callable[..., Any] | None) -> None:
    """Abort with 403 unless the logged-in account's role may use `view`."""
    allowed = getattr(view, "admin_roles", None)
    if allowed is not None and account().role not in allowed:
        abort(403)


def found(row: Any) -> Any:
    """Return `row`, or answer 404 when the service found nothing the account may see."""
    if row is None:
        abort(404)
    return row


def page_number() -> int:
    """The page the query's `seite` asks for: 1 for none or junk, 404 beyond any page there can be."""
    page = request.args.get("seite", 1, type=int) or 1
    if page > LARGEST_ID:
        abort(404)
    return max(page, 1)


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path inside the admin, else None (no open redirects)."""
    if not target:
        return None
    # Control characters and spaces never occur in our own paths; a CR/LF would split the header.
    if any(ord(char) < 33 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or target.startswith("//"):
        return None
    if not parts.path.startswith("/admin/"):
        return None
    return target


@dataclass(frozen=True)
class NavItem:
    """A link in the top navigation; shown only to the roles listed."""

    endpoint: str
    label: str
    allowed_roles: tuple[str, ...] = ROLES
    order: int = 100

    @property
    def url(self) -> str:
        """The page's address."""
        return url_for(self.endpoint)


NAV_KEY = "admin.nav"


def add_nav(app: Flask, item: NavItem) -> None:
    """Add a navigation link (an extension calls this in its `init_app`); ordered by `order`."""
    items: list[NavItem] = app.extensions.setdefault(NAV_KEY, [])
    if all(existing.endpoint != item.endpoint for existing in items):
        items.append(item)
        items.sort(key=lambda nav: nav.order)


def nav_for(role: str) -> list[NavItem]:
    """The navigation links an account of `role` sees."""
    return [item for item in current_app.extensions.get(NAV_KEY, []) if role in item.allowed_roles]

"""Absolute URLs as Twilio must call them (PUBLIC_BASE_URL when set, for a service behind a proxy)."""

from __future__ import annotations

import ipaddress
from typing import Any

from flask import current_app, request, url_for
from werkzeug.routing import IntegerConverter, Map

# Ids are the database's INTEGER (32-bit on PostgreSQL): a larger number in a URL cannot be a row,
# and the database would refuse it with an error instead of finding nothing.
LARGEST_ID = 2**31 - 1


def external(endpoint: str, **values: Any) -> str:
    """An absolute URL for `endpoint`: PUBLIC_BASE_URL when set, else the request's host."""
    return base() + url_for(endpoint, **values)


def base() -> str:
    """What comes before an absolute URL's path: PUBLIC_BASE_URL when set, else the request's host."""
    return current_app.extensions["hotline.settings"].public_base_url or request.host_url.rstrip("/")


def prompt_audio(path: str) -> str:
    """The URL Twilio plays a recorded prompt from (a path under the prompt audio folder)."""
    return external("audio.prompt", name=path)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` limited to the database's integer range: a larger number does not match (404)."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = LARGEST_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or address, with or without port) can only be reached from this machine."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host  # "localhost:8000", not "::1"
    name = name.removeprefix("[").split("]")[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False

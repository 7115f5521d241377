"""Keyset pages: the lists that grow without bound (the audit trail, lockouts, unlock requests) are
read a page at a time, each page an index range that starts after the last item of the one before.

A cursor names that last item by its place in the list's order: a time and a key that breaks ties
(an id, or the audit's sequence number). It is opaque to clients; inserts before or after it do
not move it, so no item is skipped or shown twice as the list grows between pages.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from helpdesk.api.errors import ValidationFailed

DEFAULT_PAGE = 50
MAX_PAGE = 200

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Microseconds since 1970 (18 digits reach past year 9999), a dot, the key in URL-safe base64.
CURSOR_PATTERN = r"([0-9]{1,18})\.([A-Za-z0-9_-]{1,256})"
_CURSOR = re.compile(CURSOR_PATTERN)
_KEY_LENGTH = 40


@dataclass(frozen=True)
class Position:
    """Where a page ended: its last item's time and tie-breaking key."""

    moment: datetime
    key: str


def encode(moment: datetime, key: str) -> str:
    micros = (moment - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{base64.urlsafe_b64encode(key.encode()).decode().rstrip('=')}"


def decode(cursor: str) -> Position:
    """The position a cursor names; anything this portal could not have given is a 422 naming
    ``cursor``, the request's shape, so it is refused before existence and role checks."""
    # ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses or reads.
    match = _CURSOR.fullmatch(cursor)
    if match is None:
        raise _malformed()
    micros, encoded = match.groups()
    try:
        moment = _EPOCH + timedelta(microseconds=int(micros))
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (OverflowError, binascii.Error, UnicodeDecodeError):
        raise _malformed() from None
    if not key or len(key) > _KEY_LENGTH or "\x00" in key:
        raise _malformed()
    return Position(moment, key)


def _malformed() -> ValidationFailed:
    return ValidationFailed.field("cursor", "not a cursor this portal gave")

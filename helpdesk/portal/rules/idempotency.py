"""Replays of state-changing POSTs sent with an ``Idempotency-Key``.

The key is kept only as a SHA-256, scoped by actor (one agent cannot replay another's call). The
request is recognised by an HMAC keyed with the Idempotency-Key over its method, path, body and
session, so the table cannot be used to test guesses of a password or an answer set, and another
session of the same agent replaying the key is refused: a replay never hands a secret (an access
code) to a session that was not given it. The first response is sealed with AES-GCM under a
key derived from the Idempotency-Key (HKDF-SHA256): a token or access code kept for a replay is
unreadable without the key only the client holds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, delete, select

from helpdesk.api.errors import (
    Conflict,
    PortalError,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from helpdesk.portal import schema
from helpdesk.portal.db import lock_name

MAX_KEY_LENGTH = 200

# Refusals a replay does not repeat, evaluated again instead: a 401 or a 422 says the request could
# not be taken (a token, a body's shape), not what the rules decided; a 429 says "try again in
# Retry-After seconds", and a replay kept for 24 hours would never let that retry through.
_REFUSALS_EVALUATED_AGAIN = (Unauthenticated, ValidationFailed, RateLimited)


@dataclass(frozen=True)
class IdempotencyRequest:
    key: str
    actor: str
    method_path: str
    body: bytes
    session: str = ""
    """The caller's session id (empty for calls without a token): a replay belongs to it."""

    @property
    def key_hash(self) -> str:
        return hashlib.sha256(f"{self.actor}\x1f{self.key}".encode()).hexdigest()

    @property
    def body_hash(self) -> str:
        message = b"\x1f".join(
            (self.method_path.encode(), self.session.encode(), _canonical(self.body))
        )
        return hmac.new(self.key.encode(), message, hashlib.sha256).hexdigest()


def _canonical(body: bytes) -> bytes:
    """The same JSON however it is spaced; bytes that are not JSON compare as they are."""
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        return body


def _cipher(key: str) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"helpdesk idempotency v1"
    ).derive(key.encode())
    return AESGCM(derived)


def seal(key: str, key_hash: str, status_code: int, body: Any) -> str:
    nonce = os.urandom(12)
    plain = json.dumps({"status": status_code, "body": body}).encode()
    sealed = nonce + _cipher(key).encrypt(nonce, plain, key_hash.encode())
    return base64.b64encode(sealed).decode()


def unseal(key: str, key_hash: str, sealed: str) -> tuple[int, Any]:
    raw = base64.b64decode(sealed)
    plain = _cipher(key).decrypt(raw[:12], raw[12:], key_hash.encode())
    stored = json.loads(plain)
    return int(stored["status"]), stored["body"]


def replay(
    connection: Connection, request: IdempotencyRequest, now: datetime, window: timedelta
) -> tuple[int, Any] | None:
    """The first response to this key and body, or None when the call is new. Another body, or
    another session, under the same key is a conflict."""
    key_hash = request.key_hash
    lock_name(connection, "idempotency:" + key_hash)
    table = schema.idempotency_keys
    row = connection.execute(select(table).where(table.c.key_hash == key_hash)).first()
    if row is None:
        return None
    if row.created_at <= now - window:
        connection.execute(delete(table).where(table.c.key_hash == key_hash))
        return None
    if row.method_path != request.method_path or not hmac.compare_digest(
        row.body_hash, request.body_hash
    ):
        raise Conflict(
            "this Idempotency-Key was used with another request (another body, or another "
            "session): use a new key for a new call",
            {"reason": "idempotency_key_reused"},
        )
    try:
        return unseal(request.key, key_hash, row.response_sealed)
    except (InvalidTag, ValueError, KeyError):
        raise Conflict(
            "the response kept for this Idempotency-Key cannot be read",
            {"reason": "idempotency_key_reused"},
        ) from None


def keep(
    connection: Connection,
    request: IdempotencyRequest,
    status_code: int,
    body: Any,
    now: datetime,
) -> None:
    key_hash = request.key_hash
    connection.execute(
        schema.idempotency_keys.insert().values(
            key_hash=key_hash,
            actor=request.actor[:100],
            method_path=request.method_path[:300],
            body_hash=request.body_hash,
            status_code=status_code,
            response_sealed=seal(request.key, key_hash, status_code, body),
            created_at=now,
        )
    )


def keeps_refusal(error: PortalError) -> bool:
    """Whether a replay answers this refusal again rather than evaluating the call anew."""
    return not isinstance(error, _REFUSALS_EVALUATED_AGAIN)


def keep_refusal(
    connection: Connection,
    request: IdempotencyRequest,
    error: PortalError,
    now: datetime,
    window: timedelta,
) -> None:
    """Keeps a refusal the rules made, in the transaction that audits it. The call's own
    transaction has been rolled back (and its lock on the key released) by then, so a concurrent
    call with the same key may have kept its answer meanwhile: the first one kept stays."""
    key_hash = request.key_hash
    lock_name(connection, "idempotency:" + key_hash)
    table = schema.idempotency_keys
    connection.execute(
        delete(table).where(table.c.key_hash == key_hash, table.c.created_at <= now - window)
    )
    if connection.execute(select(table.c.key_hash).where(table.c.key_hash == key_hash)).first():
        return
    keep(connection, request, error.status, error.body(), now)

"""The portal's server secret: the key of the HMAC an access code is stored as.

Production takes it from ``HELPDESK_PORTAL_SECRET`` (at least 32 characters, e.g. ``openssl rand
-hex 32``), kept outside the database so that a copy or dump of the database alone gives nothing
to search codes with. A demo or training portal without one generates it once and keeps it in a
file only its user can read (0600): beside a SQLite database (``portal.db.secret``), or in the
user data dir for any other. The secret is never logged, and never part of a settings ``repr``.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import make_url

from helpdesk.portal.db import engine_url

SECRET_ENV = "HELPDESK_PORTAL_SECRET"
MIN_LENGTH = 32


class SecretUnavailable(RuntimeError):
    """The portal has no usable secret; the message says what to do (never the secret)."""


def load(environment: str, database_url: str, environ: Mapping[str, str] = os.environ) -> bytes:
    value = environ.get(SECRET_ENV, "").strip()
    if value:
        if len(value) < MIN_LENGTH:
            raise SecretUnavailable(
                f"{SECRET_ENV} must be at least {MIN_LENGTH} characters (openssl rand -hex 32)"
            )
        return value.encode()
    if environment == "production":
        raise SecretUnavailable(
            f"{SECRET_ENV} is required with --environment production: at least {MIN_LENGTH} "
            "random characters (openssl rand -hex 32), the same for every process of the portal"
        )
    return kept_secret(secret_path(database_url))


def secret_path(database_url: str) -> Path:
    url = make_url(engine_url(database_url))
    if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        database = Path(url.database)
        return database.with_name(database.name + ".secret")
    return Path(user_data_dir("helpdesk")) / "portal.secret"


def kept_secret(path: Path) -> bytes:
    """The secret kept in ``path``, made there (mode 0600) when there is none yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made before, or by another portal process a moment ago
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise SecretUnavailable(
            f"{path} can be read by other users: chmod 600 it (or set {SECRET_ENV})"
        )
    value = path.read_text(encoding="utf-8").strip()
    if len(value) < MIN_LENGTH:
        raise SecretUnavailable(f"{path} holds no secret of {MIN_LENGTH} characters or more")
    return value.encode()

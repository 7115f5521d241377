"""Every connection the portal opens has its session settings, and keeps them after a
transaction that rolled back (a setting made inside one would be undone with it)."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from helpdesk.portal.db import POSTGRESQL_SESSION, SQLITE_BUSY_TIMEOUT_MS, Database


class _Undone(Exception):
    pass


def test_every_connection_has_the_portals_session_settings(database: Database) -> None:
    # A new engine, whose connection's first transaction rolls back: the next one must still
    # see the settings.
    fresh = Database.from_url(database.engine.url.render_as_string(hide_password=False))
    try:
        with pytest.raises(_Undone), fresh.write() as connection:
            connection.exec_driver_sql("SELECT 1")
            raise _Undone
        with fresh.read() as connection:
            _check(connection, postgresql=fresh.is_postgresql)
    finally:
        fresh.dispose()


def _check(connection: Connection, *, postgresql: bool) -> None:
    if postgresql:
        shown = {
            name: connection.exec_driver_sql(f"SHOW {name}").scalar() for name in POSTGRESQL_SESSION
        }
        # No parallel worker or JIT for a search a caller waits on (helpdesk/portal/db.py).
        assert shown == {"max_parallel_workers_per_gather": "0", "jit": "off"}
        return
    pragmas = ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    shown = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in pragmas}
    assert shown == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
        "synchronous": 1,  # NORMAL
    }

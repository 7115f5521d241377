"""The portal's storage: one SQLAlchemy Engine, read and write transactions, and row locks.

SQLite serialises writers itself, but only if a write transaction takes the write lock when it
begins: pysqlite's own transaction handling begins lazily, so two writers could both read a
counter before either writes it. Following SQLAlchemy's documented pysqlite recipe, the driver's
handling is switched off and each transaction is begun explicitly, ``BEGIN IMMEDIATE`` for a
write. PostgreSQL runs writers concurrently; rules that read-then-write a profile take its row
lock (``SELECT … FOR UPDATE``) through :func:`lock_profile`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Row,
    create_engine,
    event,
    inspect,
    make_url,
    select,
    text,
)
from sqlalchemy.pool import StaticPool

from helpdesk.portal import schema

_WRITE_FLAG = "helpdesk_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_POOL_SIZE = 40


class OutdatedSchema(RuntimeError):
    """The database was made by a version of the portal whose tables differ from this one's."""

    def __init__(self, version: int, *, demo: bool) -> None:
        super().__init__(
            f"the database has schema version {version}, this portal uses {schema.SCHEMA_VERSION}"
        )
        self.version = version
        self.demo = demo
        """It was seeded with the demo data (``portal_meta`` says so): nothing in it is real."""


def engine_url(url: str) -> str:
    """The SQLAlchemy URL of a ``--db`` value: ``postgresql://`` means the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """``hide_parameters``: SQL logging (``sqlalchemy.engine`` at INFO, as an operator may set it)
    and database errors never show a statement's parameters, where a typed username can be a
    password."""
    url = engine_url(url)
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if make_url(url).database in (None, "", ":memory:"):
            # One shared in-memory database (used to build the OpenAPI document, not to serve).
            engine = create_engine(
                url, connect_args=connect_args, poolclass=StaticPool, hide_parameters=True
            )
        else:
            # As many kept connections as the threads that serve requests (anyio's 40): beyond
            # the pool, each request opened a connection, paid its PRAGMAs and closed it.
            engine = create_engine(
                url,
                connect_args=connect_args,
                pool_size=SQLITE_POOL_SIZE,
                max_overflow=10,
                hide_parameters=True,
            )
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql"):
        engine = create_engine(
            url, pool_size=10, max_overflow=40, pool_pre_ping=True, hide_parameters=True
        )
        _configure_postgresql(engine)
        return engine
    raise ValueError("the database URL must start with sqlite:/// or postgresql://")


# Session settings of every portal connection to PostgreSQL. The portal's statements are short
# index walks a caller waits on: at a million profiles the planner gave a two-word search a
# parallel worker, whose start (about 10 ms) cost more than the walk itself (4 ms); and a plan
# costed past jit_above_cost would be compiled (tens of ms) for a statement that runs in one.
POSTGRESQL_SESSION = {"max_parallel_workers_per_gather": "0", "jit": "off"}


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            for name, value in POSTGRESQL_SESSION.items():
                cursor.execute(f"SET {name} = {value}")
        # Committed: a session setting made in a transaction that rolls back is undone with it.
        dbapi_connection.commit()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to the "begin" listener below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(
            "BEGIN IMMEDIATE" if connection.info.get(_WRITE_FLAG) else "BEGIN"
        )


class Database:
    """The portal's engine with the two kinds of transaction the rules use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def create_schema(self) -> None:
        """Makes a new database ready: every table, and the schema version in ``portal_meta``.

        A database that has the tables already is checked, not changed: one made with another
        schema version raises ``OutdatedSchema``, for the caller to replace (a demo database) or
        refuse (any other), never to serve: its missing columns would fail requests one by one.
        """
        with self.read() as connection:
            version = stored_schema_version(connection)
            demo = version is not None and _seeded(connection)
        if version is None:
            with self.write() as connection:
                schema.metadata.create_all(connection)
                connection.execute(
                    schema.portal_meta.insert().values(
                        key=schema.SCHEMA_VERSION_KEY, value=str(schema.SCHEMA_VERSION)
                    )
                )
        elif version != schema.SCHEMA_VERSION:
            raise OutdatedSchema(version, demo=demo)

    def drop_schema(self) -> None:
        """Drops every table of the database, and its data with it: for replacing a demo
        database made by another version."""
        found = MetaData()
        found.reflect(self.engine)
        found.drop_all(self.engine)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that commits when the block ends and rolls back when it raises. On SQLite
        it holds the database's write lock from its first statement."""
        with self.engine.connect() as connection:
            connection.info[_WRITE_FLAG] = True
            try:
                with connection.begin():
                    yield connection
            finally:
                connection.info.pop(_WRITE_FLAG, None)

    def dispose(self) -> None:
        self.engine.dispose()


def lock_profile(connection: Connection, profile_id: str) -> Row[Any] | None:
    """The profile's row, locked until the transaction ends (SQLite: already, by BEGIN IMMEDIATE)."""
    query = select(schema.profiles).where(schema.profiles.c.id == profile_id)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return connection.execute(query).first()


def lock_name(connection: Connection, name: str) -> None:
    """Serialise the transactions that take the same name (an idempotency key, a client address,
    the case-number sequence) until they end. SQLite's write transactions already are."""
    if connection.dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def stored_schema_version(connection: Connection) -> int | None:
    """The schema version of the database: ``None`` when it has none of the portal's tables (a new
    one), 1 when it has them without a recorded version (made before versions were kept)."""
    tables = set(inspect(connection).get_table_names())
    if not tables & set(schema.metadata.tables):
        return None
    if schema.portal_meta.name not in tables:
        return 1
    meta = schema.portal_meta
    query = select(meta.c.value).where(meta.c.key == schema.SCHEMA_VERSION_KEY)
    value = connection.execute(query).scalar()
    return 1 if value is None else int(value)


def _seeded(connection: Connection) -> bool:
    tables = inspect(connection).get_table_names()
    if schema.portal_meta.name not in tables:
        return False
    meta = schema.portal_meta
    query = select(meta.c.value).where(meta.c.key == schema.SEEDED_KEY)
    return connection.execute(query).first() is not None

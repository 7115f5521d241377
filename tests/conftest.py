"""What every suite shares: under pytest-xdist, each worker gets a PostgreSQL database of its own.

`make test` runs the suite on both cores (``-n 2``); the portal and seed tests empty and refill
their tables, so two workers on one database would see each other's rows. Each worker's
``HELPDESK_TEST_POSTGRES_URL`` is pointed at ``<database>_<worker>`` (created on first use) before
any test module reads it: at import of this file, which pytest loads before the conftest files
below it, whose module-level code reads the variable.
"""

from __future__ import annotations

import os

import psycopg
from sqlalchemy import make_url

ENV_POSTGRES_URL = "HELPDESK_TEST_POSTGRES_URL"


def _database_of_its_own(url: str, worker: str) -> str:
    shared = make_url(url)
    name = f"{shared.database}_{worker}"
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return shared.set(database=name).render_as_string(hide_password=False)


_url = os.environ.get(ENV_POSTGRES_URL, "").strip()
_worker = os.environ.get("PYTEST_XDIST_WORKER")  # set by pytest-xdist in each worker process
if _url and _worker:
    os.environ[ENV_POSTGRES_URL] = _database_of_its_own(_url, _worker)

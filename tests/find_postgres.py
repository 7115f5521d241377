"""Print the URL of the local test PostgreSQL when one answers, or nothing.

`make test` uses it to decide whether the portal tests also run against PostgreSQL.
"""

from __future__ import annotations

import os

import psycopg

CANDIDATE = os.environ.get(
    "HELPDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def answers(url: str) -> bool:
    try:
        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    if CANDIDATE and answers(CANDIDATE):
        print(CANDIDATE)

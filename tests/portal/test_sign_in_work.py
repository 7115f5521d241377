"""Sign-in does the same argon2id work for an unknown username as for a known one with a wrong
password, from the portal's very first request on, and none of it under the write lock (issue 11:
unknown users and wrong passwords indistinguishable in timing; a slow hash under SQLite's write
lock held up every other change).

The work is counted, not timed: a spy around argon2's ``PasswordHasher`` records each hash made or
checked (with the cost read off the hash) and how many write transactions were open then, and
calls the real hasher. Wall times on a shared two-core machine would make a flaky test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import argon2
import pytest

from helpdesk.clock import ManualClock
from helpdesk.portal.db import Database
from helpdesk.portal.rules import sessions
from tests.hash_cost import CHEAP_POLICY
from tests.portal.conftest import AppSwitch, Portal, serve
from tests.portal.fixture_data import PASSWORDS

SESSIONS = "/admin/v1/sessions"


@dataclass
class Argon2Work:
    """What argon2 did: ("hash", None, writes open) or ("verify", cost of the hash, writes open)."""

    open_writes: int = 0
    done: list[tuple[str, tuple[int, int, int] | None, int]] = field(default_factory=list)

    def take(self) -> list[tuple[str, tuple[int, int, int] | None, int]]:
        done, self.done = self.done, []
        return done


@pytest.fixture
def new_portal(
    populated: Database, clock: ManualClock, server: tuple[AppSwitch, str]
) -> Iterator[Portal]:
    """A portal built now, in a process that has made no decoy hash yet (as a freshly started
    portal has not)."""
    sessions._decoy_hash.cache_clear()
    yield from serve(populated, clock, server)


@pytest.fixture
def argon2_work(new_portal: Portal, monkeypatch: pytest.MonkeyPatch) -> Argon2Work:
    work = Argon2Work()
    real_hash, real_verify = argon2.PasswordHasher.hash, argon2.PasswordHasher.verify
    real_write = new_portal.database.write

    def spy_hash(hasher: argon2.PasswordHasher, secret: Any, **kwargs: Any) -> str:
        work.done.append(("hash", None, work.open_writes))
        return real_hash(hasher, secret, **kwargs)

    def spy_verify(hasher: argon2.PasswordHasher, stored: str, secret: Any) -> bool:
        cost = argon2.extract_parameters(stored)
        work.done.append(
            ("verify", (cost.memory_cost, cost.time_cost, cost.parallelism), work.open_writes)
        )
        return real_verify(hasher, stored, secret)

    @contextmanager
    def counted_write() -> Iterator[Any]:
        with real_write() as connection:
            work.open_writes += 1
            try:
                yield connection
            finally:
                work.open_writes -= 1

    monkeypatch.setattr(argon2.PasswordHasher, "hash", spy_hash)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy_verify)
    # The app holds this very Database: its write transactions are counted while they are open.
    monkeypatch.setattr(new_portal.database, "write", counted_write)
    return work


def _sign_in(portal: Portal, username: str, password: str) -> int:
    with portal.client() as client:
        return client.post(SESSIONS, json={"username": username, "password": password}).status_code


def test_an_unknown_username_costs_what_a_wrong_password_costs_from_the_first_sign_in(
    new_portal: Portal, argon2_work: Argon2Work
) -> None:
    assert _sign_in(new_portal, "no-such-agent", "a guess") == 401
    unknown = argon2_work.take()
    assert _sign_in(new_portal, "alice", "a guess") == 401
    wrong_password = argon2_work.take()

    cheap = CHEAP_POLICY.hash_cost
    one_check = [("verify", (cheap.memory_cost, cheap.time_cost, cheap.parallelism), 0)]
    # No hash made on the way (the decoy is made with the app), one check at the agents' cost,
    # and no write transaction open while it runs.
    assert unknown == one_check
    assert wrong_password == one_check


def test_a_right_password_is_checked_once_outside_the_write_lock(
    new_portal: Portal, argon2_work: Argon2Work
) -> None:
    assert _sign_in(new_portal, "alice", PASSWORDS["alice"]) == 201
    assert [(operation, writes) for operation, _, writes in argon2_work.take()] == [("verify", 0)]


def test_a_throttled_sign_in_checks_no_password_known_or_not(
    new_portal: Portal, argon2_work: Argon2Work
) -> None:
    policy = new_portal.settings.policy
    for username in ("alice", "no-such-agent"):
        for _ in range(policy.sign_in_failures_per_username):
            assert _sign_in(new_portal, username, "a guess") == 401
        argon2_work.take()
        # Refused for everyone now, right password or not: no hash is worth checking.
        assert _sign_in(new_portal, username, PASSWORDS["alice"]) == 429
        assert argon2_work.take() == []

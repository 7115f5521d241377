"""Two portal processes on one database, as production runs them (several behind a load balancer):
the rules that count or consume hold across processes, because they hold in the database, not in
a process's memory. Calls race from threads, alternating between the two processes.

Two real ``helpdesk-portal`` commands start on a new database (a SQLite file, and a PostgreSQL
database of its own when the suite runs on PostgreSQL) and serve every test of the module: each
test works on a training caller of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from helpdesk.portal.cli import READY_LINE
from tests.portal.conftest import DATABASES
from tests.portal.helpers import new_database_url

PORTAL = Path(sys.executable).with_name("helpdesk-portal")
SECRET = "s" * 40  # one server secret for both processes, as production requires
MARIE = ("40718263", ["Toyota", "Honda", "Mathématiques"])
SIMON = ("52830917", ["Ford", "Chevrolet", "History"])
ROBERT = ("61492038", ["Mazda", "Subaru", "Géographie"])


@pytest.fixture(scope="module", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return new_database_url(request.param, tmp_path_factory.mktemp("db"), "two_processes")


@pytest.fixture(scope="module")
def portals(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two portal processes on the database; the first seeds it (agents and training callers)."""
    tmp_path = tmp_path_factory.mktemp("logs")
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for n in range(2):
            command = [str(PORTAL), "--db", database_url, "--port", "0", "--seed-demo", "0"]
            with (tmp_path / f"portal-{n}.log").open("wb") as log:
                process = subprocess.Popen(
                    command,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env={**os.environ, "HELPDESK_PORTAL_SECRET": SECRET},
                )
            processes.append(process)
            assert process.stdout is not None
            line = process.stdout.readline().decode().strip()
            prefix = READY_LINE.split("{host}")[0]
            assert line.startswith(prefix), (tmp_path / f"portal-{n}.log").read_text()
            urls.append(line.removeprefix(prefix.removesuffix("http://")))
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def _sign_in(url: str, username: str = "agent") -> str:
    answer = httpx.post(
        f"{url}/admin/v1/sessions",
        json={"username": username, "password": f"demo-pass-{username}"},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["token"])


def _client(url: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=url, headers=headers, timeout=30)


def _profile_id(url: str, token: str, recovery_number: str) -> str:
    with _client(url, token) as client:
        return str(
            client.get("/admin/v1/profiles", params={"q": recovery_number}).json()["items"][0]["id"]
        )


def _race(portals: list[str], token: str, n: int, call: object) -> list[httpx.Response]:
    """``call(client, i)`` n times at once, alternating between the two processes."""

    def one(i: int) -> httpx.Response:
        with _client(portals[i % 2], token) as client:
            return call(client, i)  # type: ignore[operator,no-any-return]

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_wrong_answers_from_both_processes_count_to_five_and_lock(portals: list[str]) -> None:
    token = _sign_in(portals[0])
    profile = _profile_id(portals[0], token, MARIE[0])
    path = f"/admin/v1/profiles/{profile}/verifications"
    answers = _race(
        portals, token, 8, lambda c, i: c.post(path, json={"answers": [f"wrong {i}", "b", "c"]})
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] * 5 + [423] * 3
    locked = [a.json() for a in answers if a.status_code == 200 and a.json().get("locked_until")]
    assert len(locked) == 1  # the fifth failure locks, once
    with _client(portals[1], token) as client:
        assert client.post(path, json={"answers": MARIE[1]}).status_code == 423


def test_an_access_code_is_redeemed_once_across_processes(portals: list[str]) -> None:
    token = _sign_in(portals[0])
    profile = _profile_id(portals[0], token, SIMON[0])
    with _client(portals[1], token) as client:
        verified = client.post(
            f"/admin/v1/profiles/{profile}/verifications", json={"answers": SIMON[1]}
        )
        assert verified.json()["verified"] is True
        issued = client.post(f"/admin/v1/profiles/{profile}/access-codes")
        assert issued.status_code == 201, issued.text
    code = issued.json()["code"]
    answers = _race(
        portals, "", 10, lambda c, i: c.post("/v1/access-codes/redemptions", json={"code": code})
    )
    statuses = [answer.status_code for answer in answers]
    assert sum(status < 300 for status in statuses) == 1, statuses
    assert all(status < 300 or 400 <= status < 500 for status in statuses), statuses


def test_one_idempotency_key_on_both_processes_issues_one_code(portals: list[str]) -> None:
    token = _sign_in(portals[0])
    profile = _profile_id(portals[0], token, ROBERT[0])
    with _client(portals[0], token) as client:
        verified = client.post(
            f"/admin/v1/profiles/{profile}/verifications", json={"answers": ROBERT[1]}
        )
        assert verified.json()["verified"] is True
    key = str(uuid.uuid4())
    answers = _race(
        portals,
        token,
        8,
        lambda c, i: c.post(
            f"/admin/v1/profiles/{profile}/access-codes", headers={"Idempotency-Key": key}
        ),
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["code"] for answer in answers}) == 1
    with _client(portals[1], token) as client:
        codes = client.get(f"/admin/v1/profiles/{profile}/access-codes").json()["items"]
    assert [code["status"] for code in codes] == ["active"]

"""Access codes are kept as an HMAC under the server secret: nothing of a code in clear, and the
secret outside the database (issue 11, defect 8)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from helpdesk.portal import schema, server_secret
from helpdesk.portal.app import create_app
from helpdesk.portal.server_secret import SECRET_ENV, SecretUnavailable
from helpdesk.portal.settings import PortalSettings
from tests.portal.conftest import AppSwitch, Portal
from tests.portal.fixture_data import MARIE
from tests.portal.helpers import error_code, verify

REDEEM = "/v1/access-codes/redemptions"


def test_a_code_is_redeemed_through_its_keyed_hash_only(
    portal: Portal, alice: httpx.Client, server: tuple[AppSwitch, str]
) -> None:
    verify(alice, MARIE)
    code = alice.post(f"/admin/v1/profiles/{MARIE.id}/access-codes").json()["code"]
    with portal.database.read() as connection:
        stored = str(tuple(connection.execute(select(schema.access_codes)).one()))
    assert code.replace("-", "") not in stored and code[:4] not in stored

    # The same database under another secret: the digest finds nothing, so the code is wrong.
    switch, _ = server
    other = PortalSettings(database_url="unused://", policy=portal.settings.policy)
    switch.app = create_app(other, clock=portal.clock, database=portal.database)
    with portal.client() as public:
        refused = public.post(REDEEM, json={"code": code})
        assert refused.status_code == 400 and error_code(refused) == "code_invalid"
        switch.app = create_app(portal.settings, clock=portal.clock, database=portal.database)
        assert public.post(REDEEM, json={"code": code}).json() == {"profile_id": MARIE.id}


def test_production_takes_the_secret_from_the_environment_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    with pytest.raises(SecretUnavailable, match=SECRET_ENV):
        server_secret.load("production", url, environ={})
    with pytest.raises(SecretUnavailable, match="at least 32"):
        server_secret.load("production", url, environ={SECRET_ENV: "short"})
    assert server_secret.load("production", url, environ={SECRET_ENV: "k" * 40}) == b"k" * 40
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_demo_portal_keeps_a_secret_of_its_own_beside_its_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    first = server_secret.load("demo", url, environ={})
    path = tmp_path / "p.db.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert server_secret.load("training", url, environ={}) == first  # kept, not made again
    path.chmod(0o644)
    with pytest.raises(SecretUnavailable, match="chmod 600"):
        server_secret.load("demo", url, environ={})


def test_the_portal_will_not_start_in_production_without_a_secret(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "helpdesk.portal", "--db", f"sqlite:///{tmp_path / 'p.db'}"),
            *("--port", "0", "--environment", "production"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != SECRET_ENV},
    )
    assert result.returncode == 2
    assert SECRET_ENV in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "p.db").exists()

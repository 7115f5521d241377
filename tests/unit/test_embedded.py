"""The embedded portal: found by its "listening" line, and gone when the console is gone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from helpdesk.embedded import EmbeddedPortal
from tests.outdated_database import describe, make_version_1

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has ended all the same.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def _wait_gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_start_serves_the_demo_portal_and_stop_ends_it(tmp_path: Path) -> None:
    portal = EmbeddedPortal(tmp_path / "db.sqlite3", tmp_path / "portal.log", seed_demo=3)
    url = portal.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        health = httpx.get(f"{url}/healthz", timeout=5).json()
        assert health["environment"] == "demo"
        assert portal.start() == url, "started once"
        pid = portal.pid
    finally:
        portal.stop()
    assert pid is not None and _wait_gone(pid)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_portal_ends_when_the_console_is_killed(tmp_path: Path) -> None:
    console = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from helpdesk.embedded import EmbeddedPortal\n"
        f"portal = EmbeddedPortal(Path({str(tmp_path / 'db.sqlite3')!r}), "
        f"Path({str(tmp_path / 'portal.log')!r}), seed_demo=3)\n"
        "url = portal.start()\n"
        "print(json.dumps({'url': url, 'pid': portal.pid}), flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", console], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        started = json.loads(parent.stdout.readline())
        child = int(started["pid"])
        assert httpx.get(f"{started['url']}/healthz", timeout=5).status_code == 200
        os.kill(parent.pid, signal.SIGKILL)  # no chance to clean up
        parent.wait(10)
        assert _wait_gone(child), "the embedded portal outlived the console"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_an_outdated_demo_database_is_replaced_by_a_new_one(tmp_path: Path) -> None:
    """A console updated since its embedded demo database was made: the portal's tables changed
    (permit descriptions in both languages), so the demo data is made again rather than served
    from a database whose missing column would fail every profile with a permit."""
    database = tmp_path / "db.sqlite3"
    make_version_1(database, seeded=True)
    portal = EmbeddedPortal(database, tmp_path / "portal.log", seed_demo=3)
    url = portal.start()
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            session = client.post(
                "/admin/v1/sessions", json={"username": "agent", "password": "demo-pass-agent"}
            )
            client.headers["Authorization"] = f"Bearer {session.json()['token']}"
            found = client.get("/admin/v1/profiles", params={"q": "52830917"}).json()
            profile = client.get(f"/admin/v1/profiles/{found['items'][0]['id']}").json()
    finally:
        portal.stop()
    descriptions = {p["number"]: p["description"] for p in profile["permits"]}
    assert descriptions["331977"] == {
        "en": "Atlantic mackerel – Bait",
        "fr": "Maquereau bleu – Appât",
    }
    assert "a demo database, replaced by a new one" in portal.log_tail(50)
    assert "description_fr" in describe(database)[0]

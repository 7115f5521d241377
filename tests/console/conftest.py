"""Console tests run the real app against the real reference portal, over loopback.

- ``portal``: the reference portal (``create_app``) served by uvicorn on a free loopback port in a
  thread, on a SQLite file of the test's tmp dir seeded with ``seed_demo(count=20)``, its time from
  a ``ManualClock`` pinned to a fixed moment. Seeding runs once per session into a template file
  that each test copies, so every test starts from the same fresh database.
- ``make_app``: builds ``HelpdeskApp`` with the same factory as the CLI, pointed at that portal, with
  a real encrypted keyring backend in the tmp dir and the portal's clock.
- Time zone, language and terminal size are pinned, the input cursor does not blink and animations
  are off, so snapshots are stable.
- Waiting is for events, never for an amount of time: ``settle`` waits for the work a step started
  (workers, messages, a refresh), ``press`` presses a key and settles, and an answer is waited for
  as a new one (``SearchScreen.answers_shown`` grows), since the same answer may already be on
  screen. Deadlines are safety nets.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import textual.constants
import uvicorn
from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.reactive import reactive
from textual.widgets import Input
from textual.worker import WorkerCancelled

from helpdesk.clock import ManualClock
from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from helpdesk.i18n import set_language
from screens.app import HelpdeskApp, build_app
from tests.hash_cost import CHEAP, CHEAP_POLICY
from tests.keyrings import encrypted_keyring

FIXED_NOW = datetime(2026, 11, 23, 18, 32, 5, tzinfo=UTC)  # 13:32 in Toronto
TIME_ZONE = "America/Toronto"
SIZE = (120, 40)
DEMO_PROFILES = 20
# Tests move the clock by hours without a key pressed: only the idle-lock tests want the lock.
IDLE_LOCK_OFF = 1440  # the most the setting allows: a day
# How long a wait for an event may take before the test fails: a safety net, never a pause.
SAFETY_NET_SECONDS = 20


@dataclass
class Portal:
    url: str
    clock: ManualClock
    database: Path


DEMO_PASSWORDS = {"agent": "demo-pass-agent", "supervisor": "demo-pass-supervisor"}


@contextmanager
def portal_api(portal: Portal, username: str = "agent") -> Iterator[httpx.Client]:
    """The test portal's API signed in as a demo agent: what a test sets up or checks behind the
    console's back (a case opened, the audit read)."""
    with httpx.Client(base_url=portal.url) as http:
        session = http.post(
            "/admin/v1/sessions",
            json={"username": username, "password": DEMO_PASSWORDS[username]},
        )
        session.raise_for_status()
        http.headers["Authorization"] = f"Bearer {session.json()['token']}"
        yield http


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helpdesk.portal.db import Database
    from helpdesk.portal.seed import seed_demo

    path = tmp_path_factory.mktemp("template") / "portal.sqlite3"
    database = Database.from_url(f"sqlite:///{path}")
    try:
        database.create_schema()
        seed_demo(
            database.engine, count=DEMO_PROFILES, clock=ManualClock(FIXED_NOW), hash_cost=CHEAP
        )
    finally:
        database.engine.dispose()
    return path


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # a thread cannot own the process's signals
        pass


@pytest.fixture
def portal(seeded_template: Path, tmp_path: Path) -> Iterator[Portal]:
    from helpdesk.portal.app import create_app
    from helpdesk.portal.db import Database
    from helpdesk.portal.settings import PortalSettings

    database = tmp_path / "portal.sqlite3"
    shutil.copyfile(seeded_template, database)
    clock = ManualClock(FIXED_NOW)
    url = f"sqlite:///{database}"
    database_ = Database.from_url(url)
    app = create_app(
        PortalSettings(database_url=url, environment="demo", policy=CHEAP_POLICY),
        clock=clock,
        database=database_,
    )
    port = _free_port()
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test portal did not start")
        time.sleep(0.01)
    try:
        yield Portal(f"http://127.0.0.1:{port}", clock, database)
    finally:
        server.should_exit = True
        thread.join(10)
        database_.engine.dispose()


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Time zone, language, home directories and the cursor: the same on every machine."""
    monkeypatch.setenv("TZ", TIME_ZONE)
    time.tzset()
    for name in ("LANG", "LC_ALL"):
        monkeypatch.setenv(name, "C.UTF-8")
    for name in ("HELPDESK_PORTAL_URL", "HELPDESK_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, folder in (("XDG_CONFIG_HOME", "xdg-config"), ("XDG_DATA_HOME", "xdg-data")):
        monkeypatch.setenv(name, str(tmp_path / folder))
    steady = reactive(False, init=False)
    steady.__set_name__(Input, "cursor_blink")
    monkeypatch.setattr(Input, "cursor_blink", steady)
    # Textual read TEXTUAL_ANIMATIONS when a pytest plugin imported it, before this file set it:
    # every App made in a test takes its animation level from here (no smooth scroll half-way).
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    set_language("en")
    yield
    set_language("en")
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture(autouse=True)
def fewer_full_collections() -> Iterator[None]:
    """A running app and its portal hold a few hundred thousand objects, so each full pass of the
    cycle collector takes 0.1-0.3 s, and with Python's thresholds an app's churn set off three of
    them a test (a quarter of the suite's time): here a full pass waits for ten times as many
    passes of the middle generation."""
    threshold = gc.get_threshold()
    gc.set_threshold(threshold[0], threshold[1], 10 * threshold[2])
    yield
    gc.set_threshold(*threshold)


@pytest.fixture
def unused_port() -> Iterator[int]:
    """A loopback port that refuses connections. It stays bound (never listening) until the test
    ends, so that no other test's portal can be given it meanwhile."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])


@pytest.fixture
def keyring_file(tmp_path: Path) -> Path:
    return tmp_path / "keyring.cfg"


@pytest.fixture
def app_paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "data", tmp_path / "state")


AppFactory = Callable[..., HelpdeskApp]


@pytest.fixture
def make_app(portal: Portal, app_paths: Paths, keyring_file: Path) -> AppFactory:
    def make(
        *,
        language: str = "en",
        credentials: CredentialStore | None = None,
        idle_lock_minutes: int = IDLE_LOCK_OFF,
    ) -> HelpdeskApp:
        settings = Settings(
            portal_url=portal.url,
            language=language,
            paths=app_paths,
            idle_lock_minutes=idle_lock_minutes,
        )
        store = credentials or CredentialStore(
            app_paths.state_file, encrypted_keyring(keyring_file)
        )
        return build_app(settings, clock=portal.clock, credentials=store)

    return make


async def settle(pilot: Pilot[Any]) -> None:
    """Waits until the app has nothing left to do: connected to the portal, every worker finished,
    every message handled, every animation ended, the screens refreshed and what waited for that
    refresh done, twice in a row (a handled message may start a worker, a finished worker may post
    a message).

    It waits on the work itself, never for an amount of time nor for the CPU to look idle
    (Textual's ``pause()`` does, 20 ms to 1 s a call). What only a timer will start is not work
    yet: wait for its outcome instead, as ``test_search.wait_for_answer`` waits for a new answer.
    """
    app = pilot.app
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    quiet_rounds = 0
    while quiet_rounds < 2:
        if time.monotonic() > deadline:
            raise AssertionError(f"the app still had work after {SAFETY_NET_SECONDS} s")
        await pilot.pause(0)  # handles every message queued so far, then refreshes the screen
        running = [worker for worker in app.workers if not worker.is_finished]
        if running:
            quiet_rounds = 0
            # An exclusive worker that a newer one of its group replaced while it was waited on
            # (a case's history reloaded twice) is done with: the loop waits on the newer one. It
            # failed the cases snapshot once in five clean runs.
            with contextlib.suppress(WorkerCancelled):
                await asyncio.wait_for(
                    app.workers.wait_for_complete(running), deadline - time.monotonic()
                )
        elif getattr(app, "portal_status", "ready") == "connecting":
            # The connection starts after the first frame: no worker to wait on yet.
            quiet_rounds = 0
            await asyncio.sleep(0.005)
        elif _messages_pending(app):
            quiet_rounds = 0
        else:
            # Animations are off, but one still ends on the animator's next tick (an End key's
            # scroll, for one): its last step is work too.
            await asyncio.wait_for(app.animator.wait_until_complete(), deadline - time.monotonic())
            # Textual lays out each screen on its own timer, and ``pause`` does it for the top one
            # only: a dialog's background (the profile, whose footer has just been rebuilt) is laid
            # out here too, as its timer would a moment later.
            for screen in app._background_screens:
                screen._on_timer_update()
            # What was left for after the next refresh (a footer's new keys) runs before this.
            await asyncio.wait_for(app.screen.wait_for_refresh(), deadline - time.monotonic())
            quiet_rounds += 1


def _messages_pending(app: App[Any]) -> bool:
    nodes: list[MessagePump] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return any(node.message_queue_size for node in nodes)


# What a terminal sends with these keys, as ``Pilot.press`` fills ``Key.character``.
_KEY_CHARACTERS = {"escape": "\x1b", "tab": "\t"}


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Presses each key and waits for what it started (``settle``).

    The key reaches the app as the terminal driver sends it, a ``Key`` event, and goes through the
    same bindings and focus. ``Pilot.press`` then waits twice for the CPU to look idle (20 ms to
    1 s a key): the tests about typing itself keep using it; the others press only the keys that
    matter, through here."""
    for key in keys:
        assert len(key) > 1 or key.isalnum(), f"type {key!r} with Pilot.press"
        character = key if len(key) == 1 else _KEY_CHARACTERS.get(key)
        pilot.app.post_message(events.Key(key, character))
        await settle(pilot)


async def sign_in(
    pilot: Pilot[Any],
    username: str = "agent",
    password: str = "demo-pass-agent",
    *,
    remember: bool = False,
) -> None:
    await settle(pilot)
    app = pilot.app
    app.screen.query_one("#username", Input).value = username
    app.screen.query_one("#password", Input).value = password
    if remember:
        await pilot.click("#remember")
    app.screen.query_one("#password", Input).focus()
    await press(pilot, "enter")


# For consoles that tests start as child processes (this process's Textual read it already).
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

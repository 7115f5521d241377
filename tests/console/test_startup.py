"""Start-up: the header badge follows the connection; the embedded portal is remembered across
starts although its port changes."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from textual.widgets import Static

from helpdesk.cli import make_console
from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from screens.app import HelpdeskApp, build_app
from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from tests.console.conftest import SIZE, AppFactory, Portal, settle, sign_in
from tests.keyrings import encrypted_keyring


def badge(app: HelpdeskApp) -> str:
    return str(app.screen.query_one("#header-environment", Static).render()).strip()


async def test_with_no_portal_answering_the_badge_stops_saying_connecting(
    portal: Portal, app_paths: Paths, keyring_file: Path, unused_port: int
) -> None:
    answering = False

    def locate_portal() -> str:
        return portal.url if answering else f"http://127.0.0.1:{unused_port}"

    settings = Settings(language="en", paths=app_paths)
    store = CredentialStore(app_paths.state_file, encrypted_keyring(keyring_file))
    app = build_app(settings, clock=portal.clock, credentials=store, locate_portal=locate_portal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.portal_status == "unreachable"
        assert "cannot be reached" in str(app.screen.query_one("#sign-in-error", Static).render())
        assert badge(app) == "NO PORTAL", "the badge agrees with the screen"

        # The portal answers now: Ctrl+R connects, and the badge names its environment.
        answering = True
        app._client = None  # the client of the closed port goes with it, as at start
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.portal_status == "ready"
        assert badge(app) == "DEMO"


async def test_once_the_portal_is_ready_what_start_up_made_is_frozen(make_app: AppFactory) -> None:
    """Out of the full garbage collections that run while the agent types (docs/PERFORMANCE.md)."""
    # Earlier tests' consoles froze this process's objects already: this one's freeze adds its own.
    # (Unfreezing them all first made the start-up's full collection walk every earlier test's
    # objects: it passed the 20 s safety net once under load.)
    frozen_before = gc.get_freeze_count()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.portal_status == "ready"
        assert gc.get_freeze_count() > frozen_before


@pytest.fixture
def os_keyring(keyring_file: Path) -> Iterator[None]:
    """The process's keyring, which the console's own CredentialStore uses: a real encrypted one."""
    before = keyring.get_keyring()
    keyring.set_keyring(encrypted_keyring(keyring_file))
    yield
    keyring.set_keyring(before)


async def test_the_embedded_portal_is_remembered_although_its_port_changes(
    seeded_template: Path, app_paths: Paths, os_keyring: None
) -> None:
    settings = Settings(language="en", paths=app_paths)  # no portal: the embedded one
    assert settings.embedded
    app_paths.data_dir.mkdir(parents=True)
    shutil.copyfile(seeded_template, settings.paths.embedded_database)  # seeded: starts at once

    first, embedded = make_console(settings)
    assert embedded is not None
    try:
        async with first.run_test(size=SIZE) as pilot:
            await sign_in(pilot, remember=True)
            assert isinstance(first.screen, SearchScreen)
    finally:
        embedded.stop()

    # A new start, so a new port: still the same portal to the console.
    second, embedded = make_console(settings)
    assert embedded is not None
    try:
        async with second.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(second.screen, SearchScreen), "the remembered token skips sign-in"
            assert second.agent is not None and second.agent.username == "agent"
    finally:
        embedded.stop()

    portals = json.loads(settings.paths.state_file.read_text(encoding="utf-8"))["portals"]
    assert list(portals) == [embedded.identity], "one entry, whatever the ports"

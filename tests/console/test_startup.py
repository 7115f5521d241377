"""Start-up: the header badge follows the connection, whatever the portal does."""

from __future__ import annotations

import socket
from pathlib import Path

from textual.widgets import Static

from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from screens.app import HelpdeskApp, build_app
from screens.sign_in import SignInScreen
from tests.console.conftest import SIZE, Portal, settle
from tests.keyrings import encrypted_keyring


def badge(app: HelpdeskApp) -> str:
    return str(app.screen.query_one("#header-environment", Static).render()).strip()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_with_no_portal_answering_the_badge_stops_saying_connecting(
    portal: Portal, app_paths: Paths, keyring_file: Path
) -> None:
    answering = False

    def locate_portal() -> str:
        return portal.url if answering else f"http://127.0.0.1:{closed_port()}"

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

"""One action, once: the portal did the thing but its answer was lost on the way back; the agent
tries again and the portal answers with its first answer (the same Idempotency-Key), so there is
one code, one case, one audit event.

The loss is real: a proxy on loopback between the console and the portal forwards the request,
reads the portal's answer and then drops the connection instead of passing it on
(``tests.console.faulty_portal``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from screens.app import HelpdeskApp, build_app
from screens.modals.one_time import AccessCodeScreen
from screens.profile import ProfileScreen
from screens.recovery import RecoveryWizardScreen
from tests.console.conftest import IDLE_LOCK_OFF, SIZE, Portal, portal_api, press, settle, sign_in
from tests.console.faulty_portal import FaultyPortal, faulty_portal
from tests.console.test_recovery import BUSINESS, fill_who, start_wizard
from tests.console.test_search import MARIE, open_profile
from tests.console.test_verify import MARIE_ANSWERS, answer
from tests.keyrings import encrypted_keyring


@pytest.fixture
async def proxy(portal: Portal) -> AsyncIterator[FaultyPortal]:
    """The first answer to a ``POST`` of an access code, and to one of a recovery case, is read
    from the portal, then the console's connection is closed."""
    async with faulty_portal(portal.url) as proxy:
        proxy.add("POST", "/access-codes", "drop")
        proxy.add("POST", "/admin/v1/user-code-recoveries", "drop")
        yield proxy


def audit_actions(portal: Portal, action: str) -> list[dict[str, object]]:
    with portal_api(portal, "supervisor") as http:
        events: list[dict[str, object]] = http.get(
            "/admin/v1/audit", params={"action": action}
        ).json()["items"]
        return events


def app_through(
    proxy: FaultyPortal, app_paths: Paths, keyring_file: Path, portal: Portal
) -> HelpdeskApp:
    """The console as ``make_app`` builds it, but talking to the portal through the proxy."""
    settings = Settings(
        portal_url=proxy.url,
        language="en",
        paths=app_paths,
        idle_lock_minutes=IDLE_LOCK_OFF,
    )
    store = CredentialStore(app_paths.state_file, encrypted_keyring(keyring_file))
    return build_app(settings, clock=portal.clock, credentials=store)


async def test_a_code_issued_but_not_heard_is_the_same_code_on_retry(
    proxy: FaultyPortal, portal: Portal, app_paths: Paths, keyring_file: Path
) -> None:
    app = app_through(proxy, app_paths, keyring_file, portal)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        assert isinstance(profile, ProfileScreen)
        await press(pilot, "v")
        await answer(pilot, *MARIE_ANSWERS)
        await press(pilot, "c")
        assert proxy.fired, "the portal issued a code whose answer was lost"
        assert isinstance(app.screen, ProfileScreen), "no answer: nothing to read out"
        await press(pilot, "c")
        await settle(pilot)
        assert isinstance(app.screen, AccessCodeScreen), "the retry got the portal's answer"
        await press(pilot, "enter")
        await press(pilot, "f5")
        assert profile.query_one("#codes-table", DataTable).row_count == 1
    assert len(audit_actions(portal, "access_code.issue")) == 1


async def test_a_case_opened_but_not_heard_is_the_same_case_on_retry(
    proxy: FaultyPortal, portal: Portal, app_paths: Paths, keyring_file: Path
) -> None:
    app = app_through(proxy, app_paths, keyring_file, portal)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        wizard = await start_wizard(pilot, BUSINESS)
        await fill_who(pilot, wizard, "Denis Cormier")
        await press(pilot, "space", "enter", "enter", "enter")
        await settle(pilot)
        assert proxy.fired == [("drop", "POST /admin/v1/user-code-recoveries")]
        assert isinstance(app.screen, RecoveryWizardScreen) and wizard.step == "confirm"
        await press(pilot, "f5")
        await settle(pilot)
        assert wizard.step == "opened"
        assert wizard.case is not None and wizard.case.case_number == "UCR-000001"
    assert len(audit_actions(portal, "user_code_recovery.open")) == 1

"""Snapshots of the supervisor's floor, at 80x24 and 120x40, in English and French (the portal's
clock, the time zone and the language pinned, so the waits and countdowns are the same every run):
the unlock-request queue with two requests, and the lockouts screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.pilot import Pilot

from helpdesk.api.client import PortalClient
from tests.console.conftest import SIZE, AppFactory, Portal, press, sign_in
from tests.console.test_live_call import SMALL
from tests.console.test_search import MARIE, lock_through_the_api
from tests.console.test_search_snapshots import SnapCompare
from tests.console.test_verify import SMITH

SIZES = pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
LANGUAGES = pytest.mark.parametrize("language", ["en", "fr"])


async def two_requests(portal: Portal) -> None:
    """Marie and Smith locked; the agent asked for Marie 4 minutes ago, and for Smith since."""
    await lock_through_the_api(portal, MARIE)
    await lock_through_the_api(portal, SMITH)
    async with PortalClient(portal.url) as agent:
        await agent.sign_in("agent", "demo-pass-agent")
        marie = (await agent.search_profiles(MARIE))[0].id
        smith = (await agent.search_profiles(SMITH))[0].id
        await agent.request_unlock(
            marie, "She has her permit in hand and answered two of the three questions right"
        )
        portal.clock.advance(timedelta(minutes=3, seconds=20))
        await agent.request_unlock(smith, "Caller on the line")
        portal.clock.advance(timedelta(seconds=40))


@SIZES
@LANGUAGES
def test_the_unlock_request_queue(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    portal: Portal,
    size: tuple[int, int],
    language: str,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await two_requests(portal)
        await sign_in(pilot, "supervisor", "demo-pass-supervisor")
        await press(pilot, "f8")

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)


@SIZES
@LANGUAGES
def test_the_lockouts(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    portal: Portal,
    size: tuple[int, int],
    language: str,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await two_requests(portal)
        await sign_in(pilot, "supervisor", "demo-pass-supervisor")
        await press(pilot, "f7")

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)

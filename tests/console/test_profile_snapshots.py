"""Snapshots of the profile screen, masked and verified (120x40, clock, time zone and language pinned)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, press, sign_in
from tests.console.test_search import MARIE, open_profile
from tests.console.test_search_snapshots import SnapCompare
from tests.console.test_verify import MARIE_ANSWERS, answer


def test_profile_masked(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_profile_verified(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "v")
        await answer(pilot, *MARIE_ANSWERS)
        # The toast saying "Caller verified" would time out at a moment the snapshot cannot pin.
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

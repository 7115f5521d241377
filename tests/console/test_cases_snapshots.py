"""Snapshots of the user-code recovery cases screen, English and French, at 80x24 and 120x40 (clock,
time zone and language pinned): two cases opened through the portal's API, a supervisor who has
approved the older one, the cursor on it, its details and the profile's history under the table."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot

from screens.widgets.header import HelpdeskHeader
from tests.console.conftest import AppFactory, Portal, press, settle
from tests.console.test_cases import move, open_cases_screen, open_two_cases
from tests.console.test_floor import sign_in_supervisor
from tests.console.test_live_call_snapshots import LANGUAGES, SIZES
from tests.console.test_search_snapshots import SnapCompare


@SIZES
@LANGUAGES
def test_cases_screen(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    portal: Portal,
    size: tuple[int, int],
    language: str,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_two_cases(portal)
        await sign_in_supervisor(pilot)
        await open_cases_screen(pilot)
        await press(pilot, "down")  # Pêcheries Atlantique, the older case
        portal.clock.advance(timedelta(minutes=4))
        await move(pilot, "a", "Articles checked against the registry")
        pilot.app.clear_notifications()
        await press(pilot, "f5")
        # The header's call timer follows the moved clock on its one-second tick, which may or
        # may not have come: draw it now, so every run shows the same.
        pilot.app.screen.query_one(HelpdeskHeader).refresh_call()
        await settle(pilot)

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)

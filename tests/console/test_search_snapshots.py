"""Snapshot of the search screen with results (120x40, clock, time zone and language pinned)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, Portal, sign_in
from tests.console.test_search import MARIE, lock_through_the_api, search

SnapCompare = Callable[..., bool]


def test_search_with_results(
    snap_compare: SnapCompare, make_app: AppFactory, portal: Portal
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await lock_through_the_api(portal, MARIE)  # one row shows its lock
        await sign_in(pilot)
        await search(pilot, "ma")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

"""Snapshots of the console in French where issue 7 changed what it says: an English-speaking
caller's permits in French, and the command palette finding nothing (clock, time zone and language
pinned)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, sign_in
from tests.console.test_french import SMITH, open_palette_and_type, wait_for_no_matches
from tests.console.test_search import open_profile
from tests.console.test_search_snapshots import SnapCompare

SMALL = (80, 24)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_french_permits_of_an_english_caller(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_profile(pilot, SMITH)
        await pilot.press("4")

    assert snap_compare(make_app(language="fr"), terminal_size=size, run_before=run_before)


def test_french_palette_without_a_match(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        results = await open_palette_and_type(pilot, "zzzz")
        await wait_for_no_matches(pilot, results)

    assert snap_compare(make_app(language="fr"), terminal_size=SMALL, run_before=run_before)

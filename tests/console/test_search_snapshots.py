"""Snapshots of the search screen with results (clock, time zone and language pinned)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, Portal, sign_in
from tests.console.test_search import MARIE, lock_through_the_api, search

SnapCompare = Callable[..., bool]
SMALL = (80, 24)


def test_search_with_results(
    snap_compare: SnapCompare, make_app: AppFactory, portal: Portal
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await lock_through_the_api(portal, MARIE)  # one row shows its lock
        await sign_in(pilot)
        await search(pilot, "ma")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_results_tell_callers_apart(
    snap_compare: SnapCompare, make_app: AppFactory, language: str, size: tuple[int, int]
) -> None:
    """A holder named Cormier, and a business found through its representative Denis Cormier."""

    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await search(pilot, "cormier")

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)

"""Snapshots of issue 7's live-call states, at 80x24 and 120x40, in English and French (clock, time
zone and language pinned): the verification dialog with a result, and a locked profile's Summary
tab, the tab the agent sees first."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, Portal, sign_in
from tests.console.test_live_call import SMALL
from tests.console.test_search import MARIE, lock_through_the_api, open_profile
from tests.console.test_search_snapshots import SnapCompare
from tests.console.test_verify import answer, open_verification

SIZES = pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
LANGUAGES = pytest.mark.parametrize("language", ["en", "fr"])


@SIZES
@LANGUAGES
def test_verification_with_a_result(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int], language: str
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_verification(pilot, MARIE)
        await answer(pilot, "Ford", "Honda", "Chimie")  # wrong: "4 attempts left"

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)


@SIZES
@LANGUAGES
def test_locked_profile_summary(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    portal: Portal,
    size: tuple[int, int],
    language: str,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await lock_through_the_api(portal, MARIE)
        await sign_in(pilot)
        await open_profile(pilot, MARIE)

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)

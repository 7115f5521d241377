"""Snapshots of caller verification: one language, two languages, locked (120x40, pinned)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, sign_in
from tests.console.test_search import MARIE
from tests.console.test_search_snapshots import SnapCompare
from tests.console.test_verify import GAGNON_ROY, SMITH, answer, open_verification


def test_verification_in_one_language(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_verification(pilot, SMITH)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_verification_in_two_languages(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_verification(pilot, GAGNON_ROY)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_verification_locked(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_verification(pilot, MARIE)
        for attempt in range(5):
            await answer(pilot, f"Wrong{attempt}", "Honda", "Chimie")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

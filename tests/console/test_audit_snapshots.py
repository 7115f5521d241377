"""Snapshots of the supervisor's audit screen, at 80x24 and 120x40, in English and French (clock,
time zone and language pinned): the trail of ``test_audit.make_trail``, the table's cursor on the
supervisor's refused verification, its details on the line under the table."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.console.conftest import SIZE, AppFactory, Portal, press
from tests.console.test_audit import make_trail, open_audit
from tests.console.test_live_call import SMALL
from tests.console.test_search_snapshots import SnapCompare

SIZES = pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
LANGUAGES = pytest.mark.parametrize("language", ["en", "fr"])


@SIZES
@LANGUAGES
def test_audit_trail(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    portal: Portal,
    size: tuple[int, int],
    language: str,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await make_trail(portal)
        await open_audit(pilot)
        await press(pilot, "down")  # a refused verification: its reason and profile underneath

    assert snap_compare(make_app(language=language), terminal_size=size, run_before=run_before)

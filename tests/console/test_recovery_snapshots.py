"""Snapshots of each step of the user-code recovery wizard (Pêcheries Atlantique Inc.), and of the
self-service steps of an individual account, at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from screens.recovery import STEPS, RecoveryWizardScreen
from tests.console.conftest import AppFactory, press, settle, sign_in
from tests.console.test_live_call_snapshots import SIZES
from tests.console.test_recovery import BUSINESS, fill_who, start_wizard
from tests.console.test_search import MARIE, open_profile
from tests.console.test_search_snapshots import SnapCompare


async def walk_to(pilot: Pilot[None], step: str) -> None:
    wizard = await start_wizard(pilot, BUSINESS)
    wizard.query_one("#caller-name", Input).value = "Denis Cormier"
    if step != "who":
        await fill_who(pilot, wizard, "Denis Cormier")
    if STEPS.index(step) > STEPS.index("checks"):
        await press(pilot, "space", "down", "space", "enter")
    if STEPS.index(step) > STEPS.index("delivery"):
        await press(pilot, "enter")
    if step == "opened":
        await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RecoveryWizardScreen)
    assert pilot.app.screen.step == step


@SIZES
@pytest.mark.parametrize("step", STEPS)
def test_recovery_wizard_step(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int], step: str
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await walk_to(pilot, step)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_self_service_steps(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "r")

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

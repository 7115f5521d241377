"""SVG snapshots of the sign-in screen at 120x40, clock, time zone and language pinned.

The portal's port changes from run to run, so it is replaced on screen by a fixed text before the
screenshot; everything else is what the agent sees.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.console.conftest import SIZE, AppFactory, settle, sign_in


async def _pin_port(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    portal = pilot.app.screen.query_one("#sign-in-portal", Static)
    text = str(portal.render())
    portal.update(text.rsplit(":", 1)[0] + ":PORT")


def test_sign_in_demo_environment(snap_compare, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_pin_port)


def test_sign_in_wrong_password(snap_compare, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot, "agent", "wrong-password")
        await _pin_port(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_sign_in_in_french(snap_compare, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(language="fr"), terminal_size=SIZE, run_before=_pin_port)

"""A remembered username: the cursor waits in Password, and typing the username anyway still works,
typed key by key or all at once (typed ahead while the console starts)."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from tests.console.conftest import SIZE, AppFactory, settle, sign_in

CHARACTERS = {"tab": "\t", "enter": "\r"}


async def type_ahead(pilot: Pilot[Any], *keys: str) -> None:
    """The keys as a burst, as the terminal driver posts them when they arrived in one read: every
    key is queued before the first is handled. Then what they started."""
    for key in keys:
        pilot.app.post_message(events.Key(key, CHARACTERS.get(key, key)))
    await settle(pilot)


@pytest.mark.parametrize("between", ["tab", "enter"])
async def test_typing_the_remembered_username_anyway_signs_in(
    make_app: AppFactory, between: str
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await sign_in(pilot)  # the portal's last username is now "agent"

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert screen.query_one("#username", Input).value == "agent"
        assert app.focused is screen.query_one("#password")
        # Out of habit: the username, Tab (or Enter), the password, Enter; typed, not pasted.
        await pilot.press(*"agent", between)
        assert app.focused is screen.query_one("#password"), "still in Password"
        assert screen.query_one("#password", Input).value == ""
        assert not screen.query_one("#sign-in-error").display, "nothing was sent"
        await pilot.press(*"demo-pass-agent", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.agent is not None and app.agent.username == "agent"


async def test_only_the_filled_in_username_is_taken_back(
    make_app: AppFactory,
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await sign_in(pilot)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        # Only the filled-in username is taken back: any other text is a password, sent as typed.
        await pilot.press(*"agentx", "enter")
        await settle(pilot)
        assert "Wrong username or password." in str(screen.query_one("#sign-in-error").render())
        # And Tab from a password moves on, as everywhere.
        await pilot.press(*"demo-pass-agent", "tab")
        assert app.focused is not screen.query_one("#password")
        assert screen.query_one("#password", Input).value == "demo-pass-agent"


@pytest.mark.parametrize("remembered", [True, False], ids=["remembered", "first-time"])
async def test_username_tab_password_enter_typed_ahead_signs_in(
    make_app: AppFactory, remembered: bool
) -> None:
    if remembered:
        first = make_app()
        async with first.run_test(size=SIZE) as pilot:
            await sign_in(pilot)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await type_ahead(pilot, *"agent", "tab", *"demo-pass-agent", "enter")
        assert isinstance(app.screen, SearchScreen), "not “agentdemo-pass-agent”"
        assert app.agent is not None and app.agent.username == "agent"


async def test_username_enter_password_enter_typed_ahead_signs_in(make_app: AppFactory) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await sign_in(pilot)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_ahead(pilot, *"agent", "enter", *"demo-pass-agent", "enter")
        assert isinstance(app.screen, SearchScreen)

"""At 80x24 every screen and dialog fits or scrolls: its keys and what it says last are on screen, in
English and in French (longer words, more lines)."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input

from screens.help import HelpScreen
from screens.modals.confirm import ConfirmScreen
from screens.profile import ProfileScreen
from screens.search import SearchScreen
from screens.verify import VerifyScreen
from tests.console.conftest import AppFactory, press, settle, sign_in
from tests.console.test_live_call import SMALL, on_screen
from tests.console.test_search import MARIE
from tests.console.test_verify import answer, open_verification


def assert_fits(screen: Screen[object], *widgets: Widget) -> None:
    """The screen's footer (its keys) and each of ``widgets`` are wholly on the terminal."""
    for widget in (*screen.query(Footer), *widgets):
        assert on_screen(screen, widget), f"{widget!r} is not on screen in {screen!r}"


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_every_screen_and_dialog_of_a_call_fits_or_scrolls(
    make_app: AppFactory, language: str
) -> None:
    app = make_app(language=language)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert_fits(app.screen, app.screen.query_one("#sign-in"))
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert_fits(app.screen, app.screen.query_one("#search-query"))

        dialog = await open_verification(pilot, MARIE)
        assert isinstance(dialog, VerifyScreen)
        await answer(pilot, "Wrong", "Honda", "Chimie")
        assert_fits(dialog, dialog.query_one("#verify-title"), dialog.query_one("#verify-result"))

        dialog.query_one("#answer-1", Input).value = "Toyota"
        await press(pilot, "ctrl+q")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert_fits(confirm, confirm.query_one("#confirm-details"), confirm.query_one("Button"))
        await press(pilot, "escape")

        await press(pilot, "f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert_fits(help_screen, help_screen.query_one("#help-close"))
        await press(pilot, "escape")

        await press(pilot, "escape")
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        for tab in ("1", "2", "3", "4", "5"):
            await press(pilot, tab)
            assert_fits(profile, profile.query_one("#profile-title"))
        await press(pilot, "f1")
        assert_fits(app.screen, app.screen.query_one("#help-close"))

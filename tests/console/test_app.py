"""The app's own actions: new call, help, the header's call timer, the command palette."""

from __future__ import annotations

import gc
import weakref
from datetime import timedelta

from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from screens.help import HelpScreen
from screens.profile import ProfileScreen
from screens.search import SearchScreen
from screens.widgets.header import HelpdeskHeader
from tests.console.conftest import SIZE, AppFactory, Portal, press, settle, sign_in
from tests.console.test_search import MARIE


def header_call(app: object) -> str:
    return str(app.screen.query_one("#header-call", Static).render())  # type: ignore[attr-defined]


async def test_new_call_clears_the_caller_and_restarts_the_timer(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        first = app.screen
        first.query_one("#search-query", Input).value = "Tremblay"
        portal.clock.advance(timedelta(minutes=4, seconds=7))
        app.screen.query_one("HelpdeskHeader").refresh_call()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "04:07" in header_call(app)
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, SearchScreen) and app.screen is not first
        assert app.screen.query_one("#search-query", Input).value == ""
        assert app.focused is app.screen.query_one("#search-query")
        assert app.call_started_at == portal.clock.now()
        assert "00:00" in header_call(app)
        assert len(app.screen_stack) == 1, "nothing of the previous call is left underneath"


async def test_f1_lists_the_keys_of_the_screen_and_the_app(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        actions = {row[1] for row in rows}
        assert {"Help", "New call", "Sign out", "Quit"} <= actions
        assert "Clear search" in actions  # a key of the search screen
        await press(pilot, "escape")
        assert isinstance(app.screen, SearchScreen)


async def test_the_language_switches_while_running(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f4")
        assert str(app.screen.query_one("#sign-in-title", Static).render()) == (
            "Se connecter à la console d'aide"
        )
        footer_text = " ".join(str(key.description) for key in app.screen.query(FooterKey))
        assert "Aide" in footer_text


async def test_the_command_palette_speaks_french(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        first = app.screen
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        search = app.screen.query_one(Input)
        assert search.placeholder == "Rechercher une commande…"
        search.value = "nouvel"
        await settle(pilot)
        await press(pilot, "enter")
        # "Nouvel appel" ran: a new call's search screen, not the one under the palette.
        assert isinstance(app.screen, SearchScreen) and app.screen is not first


async def test_a_call_leaves_nothing_behind_once_the_next_one_starts(make_app: AppFactory) -> None:
    """A shift of calls must not grow the console: the screens of a call and their headers (which
    watch the app's agent, language, portal status...) are gone once the next call is under way."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        first_call: list[weakref.ref[object]] = []
        for call in range(2):
            await pilot.press(*MARIE, "enter")
            await settle(pilot)
            assert isinstance(app.screen, ProfileScreen)
            if call == 0:
                first_call = _weak_screens_and_headers(app.screen_stack)
            await press(pilot, "ctrl+n")
        gc.collect()
        assert [ref() for ref in first_call if ref() is not None] == []


def _weak_screens_and_headers(screens: list[Screen[object]]) -> list[weakref.ref[object]]:
    refs: list[weakref.ref[object]] = []
    for screen in screens:
        refs += [weakref.ref(screen), weakref.ref(screen.query_one(HelpdeskHeader))]
    return refs

"""The search screen against the reference portal: states, search-as-you-type, stale answers."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from helpdesk.api.client import PortalClient
from helpdesk.config import Paths, Settings
from helpdesk.credentials import CredentialStore
from helpdesk.i18n import format_time
from screens.app import HelpdeskApp, build_app
from screens.profile import ProfileScreen
from screens.search import SearchScreen
from tests.console.conftest import (
    FIXED_NOW,
    SAFETY_NET_SECONDS,
    SIZE,
    AppFactory,
    Portal,
    press,
    settle,
    sign_in,
    unused_port,
)
from tests.keyrings import encrypted_keyring

# A fixture of conftest.py, named here for the modules that import it from here.
__all__ = ["unused_port"]

MARIE = "40718263"


# --- helpers shared by the search, profile and verification tests -------------------------------


def state_text(app: HelpdeskApp) -> str:
    return str(app.screen.query_one("#search-state", Static).render())


def result_names(app: HelpdeskApp) -> list[str]:
    table = app.screen.query_one("#search-results", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def search_screen(pilot: Pilot[None]) -> SearchScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def search(pilot: Pilot[None], query: str) -> None:
    """Puts the query in the box and waits for its answer. Typing it key by key is for the tests of
    search-as-you-type, Enter before the answer and stale answers; here only the answer matters."""
    screen = search_screen(pilot)
    answers = screen.answers_shown
    box = screen.query_one("#search-query", Input)
    box.value = ""  # so that the same query again is a new search, as when typed again
    box.value = query
    await wait_for_answer(pilot, query, after=answers)


async def wait_for_answer(pilot: Pilot[None], query: str, *, after: int) -> None:
    """Waits for a new answer to ``query``: more than ``after`` answers shown, the last one to this
    query (each key typed searches, so the answers to what was typed before it may come first). An
    event, not an amount of time: the deadline is only a safety net."""
    screen = search_screen(pilot)
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    while not (screen.answers_shown > after and screen.answered_query == query.strip()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no new answer to {query!r} in {SAFETY_NET_SECONDS} s")
        await pilot.pause(0.01)
    await settle(pilot)


async def open_profile(pilot: Pilot[None], query: str) -> ProfileScreen:
    await search(pilot, query)
    await press(pilot, "enter")  # one result opens at once; several: into the table
    if not isinstance(pilot.app.screen, ProfileScreen):
        await press(pilot, "enter")  # open the row under the cursor
    screen = pilot.app.screen
    assert isinstance(screen, ProfileScreen)
    return screen


async def profile_id(portal: Portal, recovery_number: str) -> str:
    async with PortalClient(portal.url) as client:
        await client.sign_in("agent", "demo-pass-agent")
        return (await client.search_profiles(recovery_number))[0].id


async def lock_through_the_api(portal: Portal, recovery_number: str) -> None:
    """Five different wrong answer sets from another agent's session: the 5th locks the profile."""
    async with PortalClient(portal.url) as client:
        await client.sign_in("supervisor", "demo-pass-supervisor")
        target = (await client.search_profiles(recovery_number))[0].id
        for attempt in range(5):
            result = await client.verify(target, [f"wrong {attempt}", "wrong", "wrong"])
        assert result.locked_until is not None


# --- tests ------------------------------------------------------------------------------------


async def test_the_search_box_has_focus_and_the_empty_state_says_what_can_be_searched(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one("#search-query")
        hint = state_text(app)
        for what in ("recovery number", "user code", "name", "e-mail", "phone", "organisation"):
            assert what in hint
        assert not app.screen.query_one("#search-results").display


async def test_search_by_recovery_number(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, MARIE)
        assert result_names(app) == ["Marie Tremblay"]
        table = app.screen.query_one("#search-results", DataTable)
        # Name, recovery number hint, kind, what matched, city, lock, language; no organisation
        # column when no row has one.
        assert [str(cell) for cell in table.get_row_at(0)] == [
            "Marie Tremblay",
            "40••••63",
            "Individual",
            "Recovery number",
            "Rimouski",
            "",
            "French",
        ]
        assert "1 profile" in state_text(app)


async def test_a_recovery_number_and_enter_open_the_profile_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press(*MARIE, "enter")  # Enter, answered yet or not: the profile opens
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.profile_id == (await app.client.search_profiles(MARIE))[0].id


async def test_enter_with_several_results_moves_into_the_table(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, "ma")
        assert len(result_names(app)) > 1
        await press(pilot, "enter")
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one("#search-results")


async def test_search_as_you_type_by_name_prefix_accents_ignored(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        answers = search_screen(pilot).answers_shown
        await pilot.press(*"pecheries")
        # No Enter: every keystroke searches on its own.
        await wait_for_answer(pilot, "pecheries", after=answers)
        assert "Pêcheries Atlantique Inc." in result_names(app)
        table = app.screen.query_one("#search-results", DataTable)
        assert str(table.get_row_at(0)[2]) == "Business"  # the subtype, not "Non-personal"


async def test_no_result_and_back_to_empty(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, "Zzyzxquux")
        assert app.screen.query_one("#search-state").has_class("-none")
        assert "No profile matches “Zzyzxquux”" in state_text(app)
        assert not app.screen.query_one("#search-results").display
        await press(pilot, "escape")  # clears the box
        assert app.screen.query_one("#search-query", Input).value == ""
        assert app.screen.query_one("#search-state").has_class("-empty")


async def test_down_moves_into_the_results_enter_opens_escape_comes_back(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        search_screen = app.screen
        await search(pilot, "Smith")
        await press(pilot, "down")
        assert app.focused is search_screen.query_one("#search-results")
        await press(pilot, "enter")
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, "escape")
        assert app.screen is search_screen
        assert search_screen.query_one("#search-query", Input).value == "Smith"
        assert result_names(app) == ["Jonathan Smith"]
        # The old query is selected: typing replaces it rather than appending to it.
        await pilot.press(*MARIE)
        assert search_screen.query_one("#search-query", Input).value == MARIE


async def test_a_locked_profile_says_until_when(make_app: AppFactory, portal: Portal) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await search(pilot, MARIE)
        table = app.screen.query_one("#search-results", DataTable)
        until = format_time(FIXED_NOW + timedelta(minutes=15))
        assert str(table.get_row_at(0)[5]) == f"locked until {until}"
        # Once the lock has passed, a new search shows the profile unlocked.
        portal.clock.advance(timedelta(minutes=16))
        await search(pilot, MARIE)
        assert str(table.get_row_at(0)[5]) == ""


async def test_a_stale_answer_never_overwrites_a_newer_one(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        # Typed fast, with no pause: only the last query may show.
        answers = screen.answers_shown
        await pilot.press(*"Tre", *"mblay")
        await pilot.press("ctrl+a", "ctrl+k", *"Smith")
        await wait_for_answer(pilot, "Smith", after=answers)
        assert result_names(app) == ["Jonathan Smith"]
        # The answer to an older query arrives late (a real request to the portal): ignored.
        late = screen._search("Tremblay", screen._sequence - 1)
        await late.wait()
        await settle(pilot)
        assert result_names(app) == ["Jonathan Smith"]
        assert "for “Smith”" in state_text(app)
        # And an answer for a query that is no longer in the box is ignored even with a fresh number.
        assert not screen.apply_results("Tremblay", screen._sequence, [])
        assert result_names(app) == ["Jonathan Smith"]


async def test_an_unreachable_portal_is_a_state_not_a_crash(
    portal: Portal, app_paths: Paths, keyring_file: Path, unused_port: int
) -> None:
    closed = f"http://127.0.0.1:{unused_port}"
    settings = Settings(portal_url=closed, language="en", paths=app_paths)
    store = CredentialStore(app_paths.state_file, encrypted_keyring(keyring_file))
    app = build_app(settings, clock=portal.clock, credentials=store, client=PortalClient(closed))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(SearchScreen())
        await settle(pilot)
        await search(pilot, "Tremblay")
        screen = search_screen(pilot)
        assert screen.query_one("#search-state").has_class("-unreachable")
        assert "The portal cannot be reached. Press F5 to try again." in state_text(app)
        answers = screen.answers_shown
        await press(pilot, "f5")
        assert screen.answers_shown == answers + 1, "F5 asks the portal again"
        assert screen.query_one("#search-state").has_class("-unreachable")
        assert app.screen is screen

"""Search as the agent types: every keystroke asks the portal at once (it answers in a few
milliseconds, so a debounce only made the agent wait), only the last query's answer shows, and a
session that expires meanwhile does not pull the agent out of the box mid-word."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from screens.sign_in import SignInScreen
from tests.console.conftest import SIZE, AppFactory, Portal, press, sign_in
from tests.console.test_search import result_names, search_screen, state_text, wait_for_answer


async def test_every_keystroke_asks_the_portal_without_waiting_on_a_timer(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = search_screen(pilot)
        typed = ""
        for letter in "cormier":
            answers = screen.answers_shown
            typed += letter
            # The key, then what it started: a timer is not work, so a debounce would still be
            # waiting here with nothing answered.
            await press(pilot, letter)
            assert screen.answers_shown > answers, typed
            assert screen.answered_query == typed
        assert "Pêcheries Atlantique Inc." in result_names(app)
        assert "2 profiles for “cormier”" in state_text(app)


async def test_keys_typed_faster_than_the_portal_answers_show_only_the_last_query(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = search_screen(pilot)
        answers = screen.answers_shown
        await pilot.press(*"leblanc", "ctrl+a", "ctrl+k", *"cormier")  # no wait between keys
        await wait_for_answer(pilot, "cormier", after=answers)
        assert set(result_names(app)) == {"Raymond Cormier", "Pêcheries Atlantique Inc."}


async def test_a_session_that_expires_while_typing_keeps_the_agent_in_the_box(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = search_screen(pilot)
        portal.clock.advance(timedelta(hours=8, minutes=1))
        answers = screen.answers_shown
        await pilot.press(*"Tremblay")  # the first key already meets the expired session
        await wait_for_answer(pilot, "Tremblay", after=answers)
        assert app.screen is screen, "no sign-in screen mid-word to catch the rest of the name"
        assert screen.query_one("#search-query", Input).value == "Tremblay"
        assert screen.query_one("#search-state").has_class("-expired")
        assert "Your session has expired. Press Enter to sign in again." in state_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, SignInScreen) and app.screen.returning
        answers = screen.answers_shown
        await sign_in(pilot)
        assert app.screen is screen
        await wait_for_answer(pilot, "Tremblay", after=answers)  # asked again, signed in
        assert "Marie Tremblay" in result_names(app)

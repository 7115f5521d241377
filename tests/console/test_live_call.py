"""The console on a live call (issue 7): nothing hidden at 80x24, the lock visible where the agent
looks, and nothing the caller said thrown away (a network failure, Ctrl+Q, Ctrl+O)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from helpdesk.i18n import format_time
from screens.app import HelpdeskApp
from screens.modals.confirm import ConfirmScreen
from screens.profile import ProfileScreen
from screens.sign_in import SignInScreen
from screens.verify import VerifyScreen
from tests.console.conftest import (
    FIXED_NOW,
    SAFETY_NET_SECONDS,
    SIZE,
    AppFactory,
    Portal,
    press,
    settle,
    sign_in,
)
from tests.console.test_search import MARIE, lock_through_the_api, open_profile, unused_port
from tests.console.test_verify import (
    MARIE_ANSWERS,
    answer,
    answer_values,
    open_verification,
    result_text,
)

SMALL = (80, 24)
UNTIL = FIXED_NOW + timedelta(minutes=15)
KEY_CHARACTERS = {"enter": "\r"}

__all__ = ["unused_port"]  # a fixture, used by name


# --- what the agent can see -------------------------------------------------------------------


def on_screen(screen: Screen[object], widget: Widget) -> bool:
    """Every row of ``widget`` is on the terminal and shows ``widget`` itself: not scrolled out of
    its container, not under a docked part, not cut by the bottom of the terminal."""
    region = widget.region
    if not region or region.y < 0 or region.bottom > screen.size.height:
        return False
    for y in range(region.y, region.bottom):
        found, _ = screen.get_widget_at(region.x, y)
        if found is not widget and widget not in found.ancestors:
            return False
    return True


def visible_keys(screen: Screen[object]) -> list[FooterKey]:
    """The footer's keys as the agent sees them, left to right, the palette's key aside."""
    keys = [
        key
        for key in screen.query(FooterKey)
        if key.display and not key.has_class("-command-palette")
    ]
    return [key for key in keys if on_screen(screen, key)]


def descriptions(keys: list[FooterKey]) -> list[str]:
    return [str(key.description) for key in keys]


def notification_texts(app: HelpdeskApp) -> list[tuple[str, str]]:
    return [(notice.title, notice.message) for notice in app._notifications]


async def press_to_quit(pilot: Pilot[None], key: str) -> None:
    """Presses a key that must quit the app, and waits until the app has decided to exit (``press``
    would wait for an app that no longer runs)."""
    app = pilot.app
    app.post_message(events.Key(key, KEY_CHARACTERS.get(key)))
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    while app.return_code is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"{key} did not quit in {SAFETY_NET_SECONDS} s")
        await asyncio.sleep(0)  # lets the app handle the key: a turn of the loop, not a delay


# --- nothing hidden at 80x24 ---------------------------------------------------------------------


async def test_at_80x24_each_answer_the_result_and_the_dialogs_keys_are_on_screen(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        # Marie answered in French: in an English session every question shows in both languages,
        # the tallest the dialog gets.
        dialog = await open_verification(pilot, MARIE)
        assert dialog.has_class("-bilingual")
        for number in (1, 2, 3):
            box = dialog.query_one(f"#answer-{number}", Input)
            assert app.focused is box
            assert on_screen(dialog, box), f"answer {number} is off screen"
            question = dialog.query_one(f"#question-{number}-text", Static)
            assert on_screen(dialog, question), f"question {number} is off screen"
            box.value = ("Wrong", "Honda", "Chimie")[number - 1]
            await press(pilot, "enter")
        result = dialog.query_one("#verify-result", Static)
        assert "4 attempts left before the profile locks." in result_text(dialog)
        assert on_screen(dialog, result), "a wrong attempt must show where the agent looks"
        assert descriptions(visible_keys(dialog))[:2] == ["Check answers", "Close"]

        for attempt in range(4):
            await answer(pilot, f"Wrong{attempt}", "Honda", "Chimie")
        assert f"The profile is locked until {format_time(UNTIL)}" in result_text(dialog)
        assert on_screen(dialog, result), "the lock notice must be on screen"
        assert "Close" in descriptions(visible_keys(dialog))


async def test_at_80_columns_the_footers_show_the_keys_that_matter_first_and_none_cut(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        # The app's keys come after the screen's, most needed first (the search screen's own
        # footer is Textual's: it shows them in the same order).
        order = [str(key.description) for key in app.screen.query(FooterKey)]
        assert order[:5] == ["Clear search", "Help", "New call", "Lockouts", "Recovery cases"]

        profile = await open_profile(pilot, MARIE)
        shown = visible_keys(profile)
        assert descriptions(shown)[:4] == ["Verify caller", "Back to search", "Refresh", "Help"]
        palette = profile.query_one(".-command-palette", FooterKey)
        for key in profile.query(FooterKey):
            if key.display and key is not palette:
                assert key.region.right <= palette.region.x, f"{key.description!r} is cut"
        hidden = [key for key in profile.query(FooterKey) if not key.display]
        assert hidden, "at 80 columns some keys are left to F1 and the palette"


async def test_f1_help_scrolls_to_its_last_line_at_80x24(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)
        await press(pilot, "f1")
        help_screen = app.screen
        box = help_screen.query_one("#help-box")
        assert box.max_scroll_y > 0, "the profile's keys do not fit at 80x24: the box must scroll"
        assert on_screen(help_screen, help_screen.query_one("#help-close")), "how to close it"
        hint = help_screen.query_one("#help-hint")
        assert not on_screen(help_screen, hint)
        await press(pilot, "end")
        await app.animator.wait_until_complete()  # End scrolls smoothly: until it has arrived
        assert box.scroll_y == box.max_scroll_y
        assert on_screen(help_screen, hint)
        await press(pilot, "escape")
        assert isinstance(app.screen, ProfileScreen)


# --- the lock, visible where the agent looks -----------------------------------------------------


async def test_a_locked_profile_shows_the_lock_its_reason_and_countdown_on_every_tab(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        banner = profile.query_one("#lock-banner", Static)
        until, again_at = format_time(UNTIL), format_time(UNTIL, ends_sentence=True)
        text = str(banner.render())
        assert text.startswith(
            f"Locked until {until} (in 15 minutes). Reason: Failed caller verifications."
        )
        assert text.endswith(
            "The caller cannot be verified until then. What next: press U to ask a supervisor "
            f"to unlock it, or the caller can try again at {again_at}."
        )
        hint = str(profile.query_one("#masked-hint", Static).render())
        assert "Press V" not in hint, "the Summary tab must not offer a verification"
        for tab in ("1", "2", "3", "4", "5"):
            await press(pilot, tab)
            assert on_screen(profile, banner), f"the lock is not on screen on tab {tab}"
        portal.clock.advance(timedelta(minutes=5))
        profile.tick()  # what the one-second interval does
        await settle(pilot)
        assert "(in 10 minutes)" in str(banner.render())


async def test_v_on_a_locked_profile_says_why_and_what_to_do(
    make_app: AppFactory, portal: Portal
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)
        app.clear_notifications()
        await press(pilot, "v")
        assert app.screen is profile, "no dialog the portal would refuse"
        assert not any(isinstance(screen, VerifyScreen) for screen in app.screen_stack)
        until, again_at = format_time(UNTIL), format_time(UNTIL, ends_sentence=True)
        assert notification_texts(app) == [
            (
                "Verification cannot start",
                f"The profile is locked until {until} (in 15 minutes).\n"
                "What next: press U to ask a supervisor to unlock it, or the caller can try again at "
                f"{again_at}.",
            )
        ]


async def test_a_supervisor_is_offered_the_unlock_and_not_told_to_ask_a_supervisor(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "supervisor", "demo-pass-supervisor")
        dialog = await open_verification(pilot, MARIE)
        for attempt in range(5):
            await answer(pilot, f"Wrong{attempt}", "Honda", "Chimie")
        again_at = format_time(UNTIL, ends_sentence=True)
        text = result_text(dialog)
        supervisor_next = (
            f"What next: press U to unlock it, with a reason, or the caller can try again at "
            f"{again_at}."
        )
        assert text.endswith(supervisor_next)
        assert "ask a supervisor" not in text
        await press(pilot, "escape")
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        banner = str(profile.query_one("#lock-banner", Static).render())
        assert banner.endswith(supervisor_next)
        assert "ask a supervisor" not in banner


# --- nothing the caller said is thrown away ------------------------------------------------------


@contextmanager
def portal_stops_answering(app: HelpdeskApp, port: int) -> Iterator[None]:
    """The console's requests go to a loopback port nothing listens on (the connection is refused,
    as when the portal or the network is down), then to the portal again."""
    http = app.client._http
    portal_url = http.base_url
    http.base_url = f"http://127.0.0.1:{port}"
    try:
        yield
    finally:
        http.base_url = portal_url


def files_holding(folder: Path, *texts: str) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not path.name.startswith("portal.sqlite3")  # the portal's own database
        and any(text.encode() in path.read_bytes() for text in texts)
    ]


async def test_a_network_failure_keeps_the_answers_and_f5_sends_them_again(
    make_app: AppFactory,
    unused_port: int,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        with portal_stops_answering(app, unused_port):
            await answer(pilot, *MARIE_ANSWERS)
            assert app.screen is dialog
            text = result_text(dialog)
            assert "The portal cannot be reached: the answers were not checked." in text
            assert "press F5 to send them again" in text
            assert on_screen(dialog, dialog.query_one("#verify-result"))
            assert answer_values(dialog) == list(MARIE_ANSWERS), "the caller is not asked again"
            assert not any(box.disabled for box in dialog.query(Input))
            assert dialog.check_action("retry", ())
            assert "Retry" in descriptions(visible_keys(dialog))
            # Kept on screen only: not on disk, not in a log, not in a worker's description.
            assert files_holding(tmp_path, *MARIE_ANSWERS) == []
            logged = "\n".join(record.getMessage() for record in caplog.records)
            assert not [text for text in MARIE_ANSWERS if text in logged]
            for worker in app.workers:
                assert not [text for text in MARIE_ANSWERS if text in worker.description]
            # Still down: F5 tries again, and the answers are still there.
            await press(pilot, "f5")
            assert answer_values(dialog) == list(MARIE_ANSWERS)
        await press(pilot, "f5")  # the portal answers again
        profile = app.screen
        assert isinstance(profile, ProfileScreen), "the same answers, sent again, verify the caller"
        assert not profile.has_class("-masked")


async def test_ctrl_q_with_answers_typed_asks_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        dialog.query_one("#answer-1", Input).value = "Toyota"
        await press(pilot, "ctrl+q")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert app.return_code is None, "nothing was quit yet"
        details = str(confirm.query_one("#confirm-details", Static).render())
        assert details == "The answers typed for Marie Tremblay have not been checked yet."
        assert on_screen(confirm, confirm.query_one("#confirm-go-ahead"))
        assert app.focused is confirm.query_one("#confirm-keep"), "Enter out of habit keeps them"
        await press(pilot, "enter")
        assert app.screen is dialog
        assert answer_values(dialog) == ["Toyota", "", ""]
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "right")  # to "Quit"
        await press_to_quit(pilot, "enter")


async def test_ctrl_q_twice_quits_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        dialog.query_one("#answer-1", Input).value = "Toyota"
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await press_to_quit(pilot, "ctrl+q")


async def test_ctrl_q_with_nothing_to_lose_quits_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_verification(pilot, MARIE)  # open, nothing typed yet
        await press_to_quit(pilot, "ctrl+q")


async def test_ctrl_o_with_a_verified_caller_on_screen_asks_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_verification(pilot, MARIE)
        await answer(pilot, *MARIE_ANSWERS)
        profile = app.screen
        assert isinstance(profile, ProfileScreen) and not profile.has_class("-masked")
        await press(pilot, "ctrl+o")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert str(confirm.query_one("#confirm-question", Static).render()) == "Sign out?"
        assert str(confirm.query_one("#confirm-details", Static).render()) == (
            "Marie Tremblay is verified: leaving ends the verification, and the caller would "
            "have to answer the recovery questions again."
        )
        await press(pilot, "escape")
        assert app.screen is profile and app.agent is not None
        assert not profile.has_class("-masked")
        await press(pilot, "ctrl+o")
        await press(pilot, "right", "enter")  # to "Sign out", and press it
        assert isinstance(app.screen, SignInScreen)
        assert app.agent is None


async def test_ctrl_o_with_nothing_to_lose_signs_out_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_profile(pilot, MARIE)  # masked: nothing of the caller's is lost by leaving
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, SignInScreen)

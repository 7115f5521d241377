"""Verifying the caller against the reference portal: success, failure, repeats, lock, grant expiry,
and the questions in one or both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from helpdesk.api.client import PortalClient
from helpdesk.api.errors import PortalUnavailable
from helpdesk.api.models import RecoveryQuestions
from helpdesk.i18n import format_time
from screens.profile import ProfileScreen
from screens.verify import VerifyScreen
from screens.widgets.countdown import VerifiedBanner
from tests.console.conftest import FIXED_NOW, SIZE, AppFactory, Portal, press, settle, sign_in
from tests.console.test_profile import field_values, table_rows
from tests.console.test_search import MARIE, lock_through_the_api, open_profile

SMITH = "52830917"
GAGNON_ROY = "61492038"
MARIE_ANSWERS = ("Toyota", "Honda", "Mathématiques")


async def open_verification(pilot: Pilot[None], recovery_number: str) -> VerifyScreen:
    profile = await open_profile(pilot, recovery_number)
    assert isinstance(profile, ProfileScreen)
    await press(pilot, "v")
    screen = pilot.app.screen
    assert isinstance(screen, VerifyScreen)
    return screen


async def answer(pilot: Pilot[None], *answers: str) -> None:
    """Gives each answer to the input that has focus and presses Enter: Enter moves on, and on the
    last input submits. The answers are put in, not typed key by key (``type_answers`` types them):
    these tests are about the portal's verdict, and a key press costs two waits for an idle CPU."""
    for text in answers:
        box = pilot.app.focused
        assert isinstance(box, Input), f"the answer {text!r} has no input to go to"
        box.value = text
        await press(pilot, "enter")


async def type_answers(pilot: Pilot[None], *answers: str) -> None:
    """Types each answer key by key, as an agent would, and presses Enter after each."""
    for text in answers:
        await pilot.press(*text, "enter")
    await settle(pilot)


def result_text(screen: VerifyScreen) -> str:
    return str(screen.query_one("#verify-result", Static).render())


def answer_values(screen: VerifyScreen) -> list[str]:
    return [screen.query_one(f"#answer-{n}", Input).value for n in (1, 2, 3)]


def assert_answers_gone(screen: VerifyScreen, *answers: str) -> None:
    """Nothing on the dialog still holds an answer: not the inputs, not an attribute, not a worker."""
    assert answer_values(screen) == ["", "", ""]
    for node in [screen, *screen.query("*")]:
        for value in vars(node).values():
            for text in answers:
                assert text not in repr(value)[:10_000], f"{text!r} kept by {node!r}"
    for worker in screen.app.workers:
        for text in answers:
            assert text not in worker.description


async def test_verified_caller_sees_the_banner_and_full_details(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        assert app.focused is dialog.query_one("#answer-1")
        await type_answers(pilot, "toyota", "HONDA", "mathematiques")
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert not profile.has_class("-masked")
        contact = field_values(profile, "#contact-fields")
        assert contact["E-mail"] == "marie.tremblay@videotron.ca"
        assert "•" not in contact["Phone"]
        assert field_values(profile, "#identifier-fields")["User code"] == "TREMBM01"
        banner = profile.query_one(VerifiedBanner)
        assert banner.display
        until = format_time(FIXED_NOW + timedelta(minutes=15))
        assert str(banner.render()) == (
            f"✔ Caller verified — full details until {until} (in 15 minutes)"
        )


async def test_a_failure_says_attempts_left_and_clears_the_inputs(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        await answer(pilot, "Toyota", "Honda", "Histoire")
        assert app.screen is dialog
        text = result_text(dialog)
        assert "The answers do not match. 4 attempts left before the profile locks." in text
        # Never which answer was wrong.
        for hint in ("1", "2", "3", "first", "second", "third", "question"):
            assert hint not in text.replace("4 attempts", "")
        assert_answers_gone(dialog, "Toyota", "Honda", "Histoire")
        assert app.focused is dialog.query_one("#answer-1")
        # The profile's history records the failure, in words, without the answers.
        await press(pilot, "escape")
        await press(pilot, "5")
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        newest = table_rows(profile, "#history-table")[0]
        assert newest[3:6] == ["Caller verification", "Failed", "Wrong answers"]


async def test_the_same_wrong_answers_again_do_not_count(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        await answer(pilot, "Ford", "Honda", "Chimie")
        assert "4 attempts left" in result_text(dialog)
        await answer(pilot, "ford", "HONDA", "chimie")
        text = result_text(dialog)
        assert "same answers as an earlier failed attempt" in text
        assert "did not count" in text
        assert "4 attempts left" in text


async def test_the_fifth_failure_locks_and_says_what_next(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        for attempt in range(5):
            await answer(pilot, f"Wrong{attempt}", "Honda", "Chimie")
        until = format_time(FIXED_NOW + timedelta(minutes=15))
        text = result_text(dialog)
        assert f"The profile is locked until {until} (in 15 minutes)." in text
        assert (
            f"press U to ask a supervisor to unlock it, or the caller can try again at {until}"
            in text
        )
        assert not dialog.check_action("submit", ())
        assert all(dialog.query_one(f"#answer-{n}", Input).disabled for n in (1, 2, 3))
        await press(pilot, "escape")
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert field_values(profile, "#security-fields")["Failed attempts"] == "5/5"


async def test_a_lock_from_elsewhere_answers_423_and_shows_locked(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        # Meanwhile the caller fails the portal's own recovery five times.
        async with PortalClient(portal.url) as other:
            await other.sign_in("supervisor", "demo-pass-supervisor")
            for attempt in range(5):
                await other.verify(dialog.profile_id, [f"x{attempt}", "y", "z"])
        await answer(pilot, *MARIE_ANSWERS)
        assert app.screen is dialog, "a locked profile is not verified, even with the right answers"
        assert "The profile is locked until" in result_text(dialog)
        assert dialog.query_one("#verify-result").has_class("-locked")
        assert_answers_gone(dialog, *MARIE_ANSWERS)


async def test_the_grant_ends_on_the_clock_and_the_profile_is_masked_again(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_verification(pilot, MARIE)
        await answer(pilot, *MARIE_ANSWERS)
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert not profile.has_class("-masked")
        portal.clock.advance(timedelta(minutes=14))
        profile.tick()
        await settle(pilot)
        assert "(in 1 minute)" in str(profile.query_one(VerifiedBanner).render())
        assert not profile.has_class("-masked")
        portal.clock.advance(timedelta(minutes=1, seconds=1))
        profile.tick()  # what the one-second interval does
        await settle(pilot)
        assert profile.has_class("-masked")
        assert not profile.query_one(VerifiedBanner).display
        assert "•" in field_values(profile, "#contact-fields")["E-mail"]


async def test_answers_in_french_in_an_english_session_show_both_languages(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, GAGNON_ROY)
        assert dialog.has_class("-bilingual")
        note = str(dialog.query_one("#verify-note", Static).render())
        assert note.startswith("Attention!")
        assert "in French" in note and "session is in English" in note
        first = str(dialog.query_one("#question-1-text", Static).render())
        other = dialog.query_one("#question-1-other", Static)
        assert first == "What make of vehicle did you first learn to drive in?"
        assert other.display
        assert str(other.render()).startswith(
            "▸ Dans quelle marque de véhicule avez-vous premièrement appris à conduire?"
        )
        await answer(pilot, "Mazda", "Subaru", "Geographie")
        assert isinstance(app.screen, ProfileScreen)
        assert not app.screen.has_class("-masked")


async def test_answers_in_the_session_language_show_one_language(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, SMITH)
        assert not dialog.has_class("-bilingual")
        assert not dialog.query_one("#question-1-other").display
        assert str(dialog.query_one("#question-3-text", Static).render()) == (
            "What subject in school did you enjoy the most?"
        )


async def test_an_empty_answer_is_not_sent(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, SMITH)
        await pilot.press(*"Ford", "enter", "enter", "enter")
        await settle(pilot)
        assert "Type all three answers" in result_text(dialog)
        assert app.focused is dialog.query_one("#answer-2")
        await press(pilot, "escape")
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        assert field_values(profile, "#security-fields")["Failed attempts"] == "0/5"


async def test_switching_to_the_callers_language_shows_one_language(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, GAGNON_ROY)
        assert dialog.has_class("-bilingual")
        await press(pilot, "f4")
        assert not dialog.has_class("-bilingual")
        assert str(dialog.query_one("#question-1-text", Static).render()) == (
            "Dans quelle marque de véhicule avez-vous premièrement appris à conduire?"
        )
        assert not dialog.query_one("#question-1-other").display


async def test_the_lock_counts_down_in_the_dialog_and_answers_come_back_when_it_ends(
    make_app: AppFactory, portal: Portal
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        # Locked meanwhile, elsewhere (the fifth failure in the dialog has its own test): the
        # answers given next are refused and the dialog shows the lock.
        await lock_through_the_api(portal, MARIE)
        await answer(pilot, *MARIE_ANSWERS)
        assert "(in 15 minutes)" in result_text(dialog)
        portal.clock.advance(timedelta(minutes=5))
        dialog.tick()  # what the one-second interval does
        await settle(pilot)
        assert "(in 10 minutes)" in result_text(dialog)
        assert not dialog.check_action("submit", ())
        portal.clock.advance(timedelta(minutes=10, seconds=1))
        dialog.tick()
        await settle(pilot)
        assert "The lock has ended" in result_text(dialog)
        assert not dialog.query_one("#verify-result").has_class("-locked")
        assert dialog.check_action("submit", ())
        assert app.focused is dialog.query_one("#answer-1")
        await answer(pilot, *MARIE_ANSWERS)
        assert isinstance(app.screen, ProfileScreen)
        assert not app.screen.has_class("-masked")


async def test_questions_that_could_not_load_are_retried_with_f5(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        real = app.client.recovery_questions

        async def unreachable(profile_id: str) -> RecoveryQuestions:
            raise PortalUnavailable("connection refused")

        monkeypatch.setattr(app.client, "recovery_questions", unreachable)
        dialog = await open_verification(pilot, SMITH)
        assert "The portal cannot be reached. Press F5 to try again." in result_text(dialog)
        assert dialog.check_action("retry", ())
        assert dialog.query_one("#answer-1", Input).disabled
        monkeypatch.setattr(app.client, "recovery_questions", real)  # the portal is back
        await press(pilot, "f5")
        assert not dialog.check_action("retry", ())
        assert result_text(dialog) == ""
        assert str(dialog.query_one("#question-3-text", Static).render()) == (
            "What subject in school did you enjoy the most?"
        )
        assert app.focused is dialog.query_one("#answer-1")

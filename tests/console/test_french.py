"""The console in French (issue 7): Textual's own words, values the portal sends as codes or as
data in both languages, and sentences that end with a time."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from rich.align import Align
from rich.text import Text
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, Static

from helpdesk.api.errors import ProfileLocked
from helpdesk.i18n import format_time, set_language
from screens.errors import describe_error
from screens.verify import VerifyScreen
from screens.widgets.labels import title_label
from tests.console.conftest import (
    FIXED_NOW,
    SAFETY_NET_SECONDS,
    SIZE,
    AppFactory,
    Portal,
    settle,
    sign_in,
)
from tests.console.test_profile import field_values, table_rows
from tests.console.test_search import MARIE, lock_through_the_api, open_profile

SMITH = "52830917"  # an English-speaking caller: his data is what a French session must translate
NO_MATCHES = "--no-matches"


async def open_palette_and_type(pilot: Pilot[None], text: str) -> CommandList:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*text)
    return pilot.app.screen.query_one(CommandList)


async def wait_for_no_matches(pilot: Pilot[None], results: CommandList) -> str:
    """The palette says it found nothing half a second after the search ends (its own timer): wait
    for that option to appear, the deadline only a safety net."""
    deadline = time.monotonic() + SAFETY_NET_SECONDS
    while not any(option.id == NO_MATCHES for option in results.options):
        if time.monotonic() > deadline:
            raise AssertionError("the palette never said it found nothing")
        await pilot.pause(0.01)
    prompt = results.get_option(NO_MATCHES).prompt
    assert isinstance(prompt, Align) and isinstance(prompt.renderable, Text)
    return prompt.renderable.plain


async def open_verification(pilot: Pilot[None], recovery_number: str) -> VerifyScreen:
    await open_profile(pilot, recovery_number)
    await pilot.press("v")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, VerifyScreen)
    return dialog


# --- Textual's own words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Aucune commande trouvée"), ("en", "No matches found")]
)
async def test_the_palette_says_it_found_nothing_in_the_agents_language(
    make_app: AppFactory, language: str, expected: str
) -> None:
    app = make_app(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        results = await open_palette_and_type(pilot, "zzzz")
        assert await wait_for_no_matches(pilot, results) == expected


async def test_the_palette_follows_a_language_switch(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f4")
        await settle(pilot)
        results = await open_palette_and_type(pilot, "qqqq")
        assert await wait_for_no_matches(pilot, results) == "Aucune commande trouvée"


# --- values the portal sends as codes -----------------------------------------------------------


async def test_an_english_title_reads_in_french(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, SMITH)
        assert field_values(screen, "#summary")["Titre"] == "M."
        await pilot.press("f4")
        await settle(pilot)
        assert field_values(app.screen, "#summary")["Title"] == "Mr."


async def test_a_french_title_reads_in_english_and_as_written_in_french(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, MARIE)
        assert field_values(screen, "#summary")["Title"] == "Ms."
        await pilot.press("f4")
        await settle(pilot)
        assert field_values(app.screen, "#summary")["Titre"] == "Mme"


@pytest.mark.parametrize(
    ("sent", "english", "french"),
    [
        ("Mr.", "Mr.", "M."),
        ("M.", "Mr.", "M."),
        ("Mrs.", "Mrs.", "Mme"),
        ("Ms", "Ms", "Mme"),  # written in English already: as the portal sent it
        ("mme", "Ms.", "mme"),
        ("Miss", "Miss", "Mlle"),
        ("Mlle", "Miss", "Mlle"),
        ("Dr.", "Dr.", "Dr"),
        ("Dre", "Dr.", "Dre"),  # a woman doctor: French says so, English cannot
        ("Capt.", "Capt.", "Capt."),  # not one the console knows: as sent
        (None, None, None),
    ],
)
def test_title_labels(sent: str | None, english: str | None, french: str | None) -> None:
    try:
        assert title_label(sent) == english
        set_language("fr")
        assert title_label(sent) == french
    finally:
        set_language("en")


async def test_credentials_and_sign_ins_read_in_french(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, SMITH)
        await pilot.press("2")
        await settle(pilot)
        sign_ins = table_rows(screen, "#sign-ins-table")
        # The credential in its own column, in French; the source says only where from.
        assert [row[2:] for row in sign_ins] == [
            ["Partenaire de connexion", "Halifax, NS"],
            ["Partenaire de connexion", "Halifax, NS"],
            ["Partenaire de connexion", "Halifax, NS"],
            ["CléGC", "Dartmouth, NS"],
        ]
        credentials = {row[0]: row[2] for row in table_rows(screen, "#credentials-table")}
        # Last used: the latest successful sign-in with it, to the minute.
        assert sign_ins[0][1] == "Réussie"
        assert credentials["Partenaire de connexion"] == sign_ins[0][0]
        assert credentials["CléGC"] == sign_ins[3][0]


# --- data the portal holds in both languages ----------------------------------------------------


async def test_permits_read_in_the_sessions_language(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        screen = await open_profile(pilot, SMITH)
        await pilot.press("4")
        await settle(pilot)
        descriptions = {row[0]: row[1] for row in table_rows(screen, "#permits-table")}
        assert descriptions == {
            "331406": "Homard – ZPH 33 – Commercial",
            "331977": "Maquereau bleu – Appât",
        }
        await pilot.press("f4")
        await settle(pilot)
        descriptions = {row[0]: row[1] for row in table_rows(app.screen, "#permits-table")}
        assert descriptions == {
            "331406": "Lobster – LFA 33 – Commercial",
            "331977": "Atlantic mackerel – Bait",
        }


async def test_the_agent_is_named_as_a_person(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        header = str(app.screen.query_one("#header-agent", Static).render())
        assert header == "Chantal Doucet (agent) · Agent"


# --- sentences ------------------------------------------------------------------------------------


async def test_languages_are_lower_case_in_a_french_sentence(make_app: AppFactory) -> None:
    app = make_app(language="fr")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, SMITH)
        note = str(dialog.query_one("#verify-note", Static).render())
        assert "a donné ses réponses en anglais, mais cette session est en français;" in note
        assert "Le texte en anglais, marqué ▸," in note


@pytest.mark.parametrize(
    ("language", "next_step"),
    [
        ("fr", "Et ensuite : appuyez sur U pour demander à un superviseur de le déverrouiller, ou "
         "l'appelant peut réessayer à 13 h 47."),
        ("en", "What next: press U to ask a supervisor to unlock it, or the caller can try again at "
         "1:47\u202fp.m."),
    ],
)  # fmt: skip
async def test_what_next_after_a_lock_ends_with_one_full_stop(
    make_app: AppFactory, portal: Portal, language: str, next_step: str
) -> None:
    await lock_through_the_api(portal, MARIE)
    app = make_app(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, MARIE)  # a locked profile says it above the tabs
        text = str(profile.query_one("#lock-banner", Static).render())
        assert text.splitlines()[-1].endswith(f". {next_step}")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This profile is locked until 1:47\u202fp.m."),
        ("fr", "Ce profil est verrouillé jusqu'à 13 h 47."),
    ],
)
def test_a_time_at_the_end_of_a_sentence_takes_one_full_stop(language: str, expected: str) -> None:
    until = FIXED_NOW + timedelta(minutes=15)
    error = ProfileLocked("locked", {"locked_until": until.isoformat()})
    try:
        set_language(language)
        assert describe_error(error) == expected
        assert format_time(until).endswith("p.m.") == (language == "en")
    finally:
        set_language("en")


async def test_already_verified_until_ends_with_one_full_stop(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        dialog = await open_verification(pilot, MARIE)
        for number, answer in enumerate(("Toyota", "Honda", "Mathématiques"), start=1):
            dialog.query_one(f"#answer-{number}", Input).value = answer
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("v")
        await settle(pilot)
        (notification,) = app._notifications
        until = format_time(FIXED_NOW + timedelta(minutes=15))
        assert notification.message == f"The caller is already verified, until {until}"
        assert notification.message.endswith("p.m.") and not notification.message.endswith("..")

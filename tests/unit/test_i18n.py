"""Every user-visible string is translated into French, and the compiled catalogue is current."""

from __future__ import annotations

import gettext
import io
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from helpdesk import i18n
from helpdesk.i18n import _, _l, current_language, format_datetime, format_time, set_language

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "helpdesk" / "locale" / "fr" / "LC_MESSAGES" / "helpdesk.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _extracted() -> dict[str, str]:
    """msgid → where, for every marked string in screens/ and helpdesk/."""
    found: dict[str, str] = {}
    for package in ("screens", "helpdesk"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, f"{package}/{filename}:{lineno}")
    return found


@pytest.fixture
def english() -> Iterator[None]:
    yield
    set_language("en")


def test_the_extraction_sees_the_screens() -> None:
    extracted = _extracted()
    assert "Sign in" in extracted
    assert "Help" in extracted  # a lazy binding description


def test_every_visible_string_has_a_french_translation() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in sorted(_extracted().items(), key=lambda item: item[1])
        if msgid not in catalogue or not catalogue[msgid].string or catalogue[msgid].fuzzy
    ]
    assert not missing, "untranslated (run `make i18n`, then translate):\n" + "\n".join(missing)


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with MO.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    # The messages, not the header: it names the Babel version that compiled the file.
    assert _messages(committed) == _messages(fresh), "run `make i18n` to recompile the .mo"


def _messages(translations: gettext.GNUTranslations) -> dict[object, str]:
    catalog: dict[object, str] = translations._catalog  # type: ignore[attr-defined]
    return {msgid: text for msgid, text in catalog.items() if msgid != ""}


def test_the_catalogue_check_sees_a_stale_translation() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    catalogue["Sign in"].string = "Connexion"
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    with MO.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    assert _messages(committed) != _messages(gettext.GNUTranslations(buffer))


def test_the_language_switches_at_run_time(english: None) -> None:
    lazy = _l("Sign in")
    set_language("fr")
    assert current_language() == "fr"
    assert _("Sign in") == "Se connecter"
    assert str(lazy) == "Se connecter"
    assert " " + lazy == " Se connecter"
    set_language("en")
    assert str(lazy) == "Sign in" and lazy
    with pytest.raises(ValueError):
        set_language("de")


@pytest.fixture
def halifax() -> Iterator[None]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "America/Halifax"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


def spaced(text: str) -> str:
    """White space as one plain space: CLDR updates move between spaces and no-break spaces."""
    return " ".join(text.split())


def test_times_are_local_and_in_the_current_language(halifax: None, english: None) -> None:
    moment = datetime(2026, 11, 23, 18, 32, tzinfo=UTC)  # 14:32 in Halifax (AST, UTC-4)
    assert spaced(format_time(moment)) == "2:32 p.m."
    assert spaced(format_datetime(moment)) == "2026-11-23, 2:32 p.m."
    set_language("fr")
    assert spaced(format_time(moment)) == "14 h 32"
    assert spaced(i18n.format_duration(12 * 60)) == "12 minutes"
    assert i18n.format_elapsed(3 * 60 + 7) == "03:07"

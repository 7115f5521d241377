"""Translations and locale-aware formatting for the console.

``_()`` looks the message up in the catalogue of the *current* language at call time, so switching
with ``set_language()`` takes effect on the next render. Class-level strings (binding descriptions)
are made with ``_l()``: a lazy string that translates each time it is turned into text.

Catalogues: ``helpdesk/locale/<lang>/LC_MESSAGES/helpdesk.po`` (and the compiled ``.mo``, committed;
``make i18n`` extracts, updates and compiles them). English is the source language.

Babel is imported only by the formatting functions, so importing this module stays cheap at start-up.
"""

from __future__ import annotations

import gettext
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Final, cast

DOMAIN: Final = "helpdesk"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
LANGUAGES: Final = ("en", "fr")
DEFAULT_LANGUAGE: Final = "en"

# The locale used for dates and numbers: the console is Canadian.
_BABEL_LOCALES: Final = {"en": "en_CA", "fr": "fr_CA"}

_language: str = DEFAULT_LANGUAGE
_translations: dict[str, gettext.NullTranslations] = {}


def _catalogue(language: str) -> gettext.NullTranslations:
    cached = _translations.get(language)
    if cached is None:
        cached = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        )
        _translations[language] = cached
    return cached


def set_language(language: str) -> None:
    """Switch the language of every message translated from now on."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    _language = language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """The message in the current language (the English source when it has no translation)."""
    return _catalogue(_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(_language).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalogue (gettext's name, which pybabel extracts) without
    translating it: ``translate_to`` does, later."""
    return message


def translate_to(language: str, message: str) -> str:
    """The message in ``language``, whatever the console's language: what is said to a caller in
    theirs (a code spelled out, the self-service steps)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    return _catalogue(language).gettext(message)


class LazyString:
    """A message translated each time it is used as text, for strings fixed at class creation.

    It is not a ``str`` (a ``str`` cannot change its value), but it behaves as one where Textual
    uses a binding description: ``str()``, formatting, concatenation on either side, truthiness,
    length and the ``str`` methods.
    """

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return _(self.message)

    def __repr__(self) -> str:
        return f"_l({self.message!r})"

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __bool__(self) -> bool:
        return bool(self.message)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyString):
            return self.message == other.message
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.message)

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __iter__(self) -> Any:
        return iter(str(self))

    def __getitem__(self, index: Any) -> str:
        return str(self)[index]

    def __getattr__(self, name: str) -> Any:
        # Delegates the str methods (.upper(), .translate(), .split() …) to the translation.
        return getattr(str(self), name)


def _l(message: str) -> str:
    """Marks a class-level message for extraction and translates it when it is used.

    Typed as ``str`` because that is where it goes (``Binding(description=...)``); at run time it
    is a ``LazyString``, which stands in for one.
    """
    return cast(str, LazyString(message))


lazy_gettext = _l


# --- formatting -------------------------------------------------------------------------------


def babel_locale(language: str | None = None) -> str:
    return _BABEL_LOCALES[language or _language]


def local_timezone() -> tzinfo:
    """The machine's time zone now (honours ``TZ`` after ``time.tzset()``, as tests pin it)."""
    zone = datetime.now(UTC).astimezone().tzinfo
    assert zone is not None
    return zone


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_timezone())


def format_time(moment: datetime, *, ends_sentence: bool = False) -> str:
    """A wall-clock time in local time: ``2:32 p.m.`` / ``14 h 32``.

    ``ends_sentence``: the time is followed by the sentence's own full stop (``until {time}.``), so
    it leaves out the point of a final abbreviation: ``until 2:32 p.m.``, never ``p.m..``.
    """
    from babel.dates import format_time as babel_format_time

    text = babel_format_time(_local(moment), format="short", locale=babel_locale())
    return text.removesuffix(".") if ends_sentence else text


def format_datetime(moment: datetime) -> str:
    """A date and time in local time, short form."""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(_local(moment), format="short", locale=babel_locale())


def format_duration(seconds: float, *, granularity: str = "second", threshold: float = 0.85) -> str:
    """A rounded length of time in words: ``12 minutes`` / ``12 minutes``, ``3 hours`` / ``3 heures``.

    ``threshold``: how much of the next unit makes it that unit (0.85: 23 hours are "1 day"; 2:
    up to 47 hours are said in hours)."""
    from babel.dates import format_timedelta

    return format_timedelta(
        timedelta(seconds=max(0.0, seconds)),
        granularity=granularity,  # type: ignore[arg-type]
        threshold=threshold,
        locale=babel_locale(),
    )


def format_decimal(value: float) -> str:
    """A measure as the locale writes it, at most two decimals: ``13.7`` / ``13,7``."""
    from babel.numbers import format_decimal as babel_format_decimal

    return babel_format_decimal(value, format="#,##0.##", locale=babel_locale())


def format_elapsed(seconds: float) -> str:
    """A running timer, the same in every language: ``04:07``, ``1:04:07``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"

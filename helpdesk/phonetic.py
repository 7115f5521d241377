"""Spelling a code over the phone: each character as a word nobody mishears.

Letters take the ICAO/NATO spelling alphabet, which Canada uses in English and in French alike
(it is a standard, so its words are the same in both languages). Digits are said as numbers in the
language of the call. Dashes and spaces only group the characters for the eye: they are not
spoken. Pure functions, no I/O: what the access-code read-out shows comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.i18n import N_, translate_to

ICAO: dict[str, str] = {
    "A": "Alfa",
    "B": "Bravo",
    "C": "Charlie",
    "D": "Delta",
    "E": "Echo",
    "F": "Foxtrot",
    "G": "Golf",
    "H": "Hotel",
    "I": "India",
    "J": "Juliett",
    "K": "Kilo",
    "L": "Lima",
    "M": "Mike",
    "N": "November",
    "O": "Oscar",
    "P": "Papa",
    "Q": "Quebec",
    "R": "Romeo",
    "S": "Sierra",
    "T": "Tango",
    "U": "Uniform",
    "V": "Victor",
    "W": "Whiskey",
    "X": "X-ray",
    "Y": "Yankee",
    "Z": "Zulu",
}

DIGITS: tuple[str, ...] = (
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
)

GROUP_SEPARATORS = frozenset("- ")


@dataclass(frozen=True)
class Spelled:
    character: str
    word: str


def spell_character(character: str, language: str) -> str:
    """The word for one letter or digit, in ``language`` (``en`` or ``fr``)."""
    upper = character.upper()
    if upper in ICAO:
        return ICAO[upper]
    if len(character) == 1 and character in "0123456789":
        return translate_to(language, DIGITS[int(character)])
    raise ValueError(f"cannot spell {character!r}: only letters A–Z and digits 0–9")


def spell(code: str, language: str) -> list[list[Spelled]]:
    """The code in its groups (``XXXX-XXXX-XXXX`` gives three), each character with its word."""
    groups: list[list[Spelled]] = [[]]
    for character in code:
        if character in GROUP_SEPARATORS:
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append(Spelled(character.upper(), spell_character(character, language)))
    return [group for group in groups if group]


def spoken(code: str, language: str) -> str:
    """The whole code as the agent reads it: words of a group separated by spaces, groups by
    " / " (a pause)."""
    return " / ".join(" ".join(item.word for item in group) for group in spell(code, language))

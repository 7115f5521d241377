"""Spelling access codes for the phone, on the whole alphabet, in both languages."""

from __future__ import annotations

import string

import pytest

from helpdesk.phonetic import ICAO, Spelled, spell, spell_character, spoken

ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

DIGITS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_letter_has_its_icao_word_in_both_languages(language: str) -> None:
    words = [spell_character(letter, language) for letter in string.ascii_uppercase]
    assert words == [
        "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
        "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo",
        "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
    ]  # fmt: skip
    assert [spell_character(letter.lower(), language) for letter in "AZ"] == ["Alfa", "Zulu"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_digits_are_words_of_the_language(language: str) -> None:
    assert [spell_character(digit, language) for digit in string.digits] == DIGITS[language]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_character_a_code_can_hold_is_spelled_distinctly(language: str) -> None:
    words = [spell_character(character, language) for character in ACCESS_CODE_ALPHABET]
    assert len(set(words)) == len(ACCESS_CODE_ALPHABET)
    assert set(ICAO) >= set(ACCESS_CODE_ALPHABET) - set(string.digits)


def test_a_code_is_spelled_in_its_groups() -> None:
    groups = spell("7K2M-QX9P-4RTV", "fr")
    assert [[item.character for item in group] for group in groups] == [
        list("7K2M"),
        list("QX9P"),
        list("4RTV"),
    ]
    assert groups[0][0] == Spelled("7", "sept")
    assert spoken("7K2M-QX9P-4RTV", "en") == (
        "seven Kilo two Mike / Quebec X-ray nine Papa / four Romeo Tango Victor"
    )


def test_something_that_is_not_a_letter_or_digit_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot spell"):
        spell("AB#C", "en")
    with pytest.raises(ValueError, match="unsupported language"):
        spell("A1", "de")

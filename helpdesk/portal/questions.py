"""The recovery question catalogue: a profile stores question keys, the API shows both texts.

The three DFO questions come first, in the order of the DFO recovery page; the others appear only
in generated profiles. Keys are stable: the seed and stored profiles refer to them.
"""

from __future__ import annotations

from typing import Final

from helpdesk.api.models import QuestionText

QUESTIONS: Final[dict[str, QuestionText]] = {
    "first_vehicle_learned": QuestionText(
        en="What make of vehicle did you first learn to drive in?",
        fr="Dans quelle marque de véhicule avez-vous premièrement appris à conduire?",
    ),
    "first_car_driven": QuestionText(
        en="What make of car did you first drive?",
        fr="Quelle était la marque de l'auto que vous avez conduite la première fois?",
    ),
    "favourite_school_subject": QuestionText(
        en="What subject in school did you enjoy the most?",
        fr="Quel sujet à l'école avez aimé le plus?",
    ),
    "birth_city": QuestionText(
        en="In what city or town were you born?",
        fr="Dans quelle ville ou municipalité êtes-vous né(e)?",
    ),
    "first_pet": QuestionText(
        en="What was the name of your first pet?",
        fr="Quel était le nom de votre premier animal de compagnie?",
    ),
    "childhood_street": QuestionText(
        en="On what street did you live as a child?",
        fr="Sur quelle rue habitiez-vous lorsque vous étiez enfant?",
    ),
    "first_employer": QuestionText(
        en="What was the name of your first employer?",
        fr="Quel était le nom de votre premier employeur?",
    ),
}

DFO_QUESTION_KEYS: Final = ("first_vehicle_learned", "first_car_driven", "favourite_school_subject")
QUESTION_KEYS: Final = tuple(QUESTIONS)


def question_text(key: str) -> QuestionText:
    """The texts of a stored key; an unknown key (a catalogue gone out of step) shows the key."""
    return QUESTIONS.get(key) or QuestionText(en=key, fr=key)

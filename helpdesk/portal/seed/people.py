"""Who the generated profiles are: names from one tradition, titles, organisations named after
people or places, and how to reach them (e-mail, telephone, postal address), all Canadian."""

from __future__ import annotations

from helpdesk.portal import search_keys
from helpdesk.portal.seed import data
from helpdesk.portal.seed.draws import Person, QuickRandom, bare, letters

_GIVEN = {
    ("fr", "f"): data.GIVEN_FR_F,
    ("fr", "m"): data.GIVEN_FR_M,
    ("en", "f"): data.GIVEN_EN_F,
    ("en", "m"): data.GIVEN_EN_M,
}
_SURNAMES = {"fr": data.SURNAMES_FR, "en": data.SURNAMES_EN}
for _community, (_women, _men, _surnames) in data.OTHER_COMMUNITIES.items():
    _GIVEN[_community, "f"], _GIVEN[_community, "m"] = _women, _men
    _SURNAMES[_community] = _surnames
_COMMUNITIES = tuple(data.OTHER_COMMUNITIES)
# Words of an organisation name that say what it is, not whose: left out of codes and addresses.
_GENERIC_WORDS = {
    "inc", "ltd", "ltee", "co", "op", "the", "of", "de", "des", "du", "la", "le", "les", "and",
}  # fmt: skip


class People:
    """Draws people and their contact details from the generator's one stream of numbers."""

    def __init__(self, rng: QuickRandom) -> None:
        self.rng = rng

    def culture(self, language: str, city: data.City) -> str:
        """Where a person's names come from: French, English, or one newer community."""
        draw = self.rng.random()
        if language == "fr":
            culture = "fr" if draw < 0.9 else ("en" if draw < 0.96 else "other")
        else:
            french_surnames = 0.1 + city.french / 2  # Acadian and Quebec names in English too
            culture = "fr" if draw < french_surnames else ("other" if draw > 0.85 else "en")
        return self.rng.pick(_COMMUNITIES) if culture == "other" else culture

    def person(self, culture: str, language: str, sex: str, surname: str | None = None) -> Person:
        rng = self.rng
        given = rng.pick(_GIVEN[culture, sex])
        if culture in ("en", "fr") and rng.random() < 0.08:
            second = rng.pick(_GIVEN[culture, sex])
            if second != given and "-" not in given and " " not in given:
                given = f"{given} {second}"
        first_given = given.split(" ")[0]
        preferred = data.PREFERRED_NAMES.get(first_given) if rng.random() < 0.45 else None
        titles = data.TITLES[language][sex]
        return {
            "title": rng.pick(titles) if rng.random() < 0.85 else None,
            "given_names": given,
            "preferred_name": preferred,
            "surname": surname or rng.pick(_SURNAMES[culture]),
            "suffix": rng.pick(data.SUFFIXES) if sex == "m" and rng.random() < 0.02 else None,
        }

    def couple(self, culture: str, language: str) -> list[Person]:
        rng = self.rng
        first = self.person(culture, language, rng.pick("fm"))
        # In Quebec spouses keep their own names; elsewhere many share one.
        shared = rng.random() < (0.25 if culture == "fr" else 0.6)
        second_sex = "f" if first["title"] in ("Mr.", "M.") or rng.random() < 0.5 else "m"
        second = self.person(culture, language, second_sex, first["surname"] if shared else None)
        return [first, second]

    def organisation(
        self, subtype: str, language: str, city: data.City, people: list[Person]
    ) -> tuple[str, tuple[str, str] | None]:
        """The organisation's name and, when it is named after a person, their (surname, given
        name)."""
        rng = self.rng
        template = rng.pick(data.ORGANISATIONS[subtype][language])
        # An estate, a trust or a mandate is usually in the family name of whoever acts for it.
        surname = str((people[0] if rng.random() < 0.7 else people[2])["surname"])
        given = rng.pick(_GIVEN[("fr" if language == "fr" else "en"), rng.pick("fm")])
        name = template.format(
            surname=surname,
            given=given,
            place=city.name,
            of_given=french_of(given),
            of_place=french_of(city.name),
        )
        if subtype not in ("trust", "executor", "mandatary"):
            return name, None
        return name, (surname, given if "{given}" in template else "")

    def phone(self, area_code: str) -> str:
        rng = self.rng
        exchange = rng.between(210, 989)
        if exchange in (311, 411, 555, 611, 911):
            exchange += 1
        return f"{area_code}-{exchange}-{rng.between(0, 9999):04d}"

    def email(self, person: Person, city: data.City, organisation_name: str | None) -> str:
        rng = self.rng
        if organisation_name and rng.random() < 0.6:
            words = significant_words(organisation_name)
            domain = "".join(words)
            if len(domain) > 24:  # Coopérative des pêcheurs de Caraquet: cpcaraquet.ca
                domain = "".join(word[0] for word in words[:-1]) + words[-1]
            return f"{rng.pick(('info', 'admin', 'bureau'))}@{domain}.ca"
        given = bare(str(person["given_names"]).split(" ")[0])
        surname = bare(str(person["surname"]))
        local = rng.pick(
            (
                f"{given}.{surname}",
                f"{given}{surname}",
                f"{given[0]}{surname}",
                f"{given}_{surname}",
            )
        )
        if rng.random() < 0.3:
            local += str(rng.between(1, 99))
        regional = data.REGIONAL_EMAIL_DOMAINS.get(city.province, ())
        domains = regional if regional and rng.random() < 0.45 else data.EMAIL_DOMAINS
        return f"{local}@{rng.pick(domains)}"

    def address(self, city: data.City, language: str) -> str:
        rng = self.rng
        number = rng.between(1, 2400)
        postal_code = (
            f"{rng.pick(city.districts)} {rng.between(0, 9)}"
            f"{rng.pick(data.POSTAL_LETTERS)}{rng.between(0, 9)}"
        )
        if city.province == "QC" or (language == "fr" and city.french > 0.5):
            street = f"{number}, {rng.pick(data.STREETS_FR)}"
            if rng.random() < 0.1:
                street += f", app. {rng.between(1, 12)}"
        else:
            street = f"{number} {rng.pick(data.STREETS_EN)}"
            if rng.random() < 0.1:
                street = f"Apt {rng.between(1, 12)}, {street}"
        return f"{street}\n{city.name} {city.province}  {postal_code}"


# Names French elides "de" before though they start with a consonant letter (a mute h, a y said
# as a vowel); a vowel letter elides it always.
_ELIDING = {"Halifax", "Hélène", "Yves"}


def french_of(name: str) -> str:
    """French "de" before a name: `de Caraquet`, `d'Alexandre`, `d'Hélène`, `de Yarmouth`."""
    first = search_keys.fold(name[:1])
    elides = first in ("a", "e", "i", "o", "u") or name.split("-")[0] in _ELIDING
    return f"d'{name}" if elides else f"de {name}"


def significant_words(organisation_name: str) -> list[str]:
    return [w for w in search_keys.words(organisation_name) if w not in _GENERIC_WORDS]


def organisation_letters(organisation_name: str) -> str:
    """`Pêcheries Atlantique Inc.` → PATL: the first letter of one word and three of the next."""
    words = significant_words(organisation_name) or ["x"]
    if len(words) == 1:
        return letters(words[0], 4)
    return letters(words[0], 1) + letters(words[1], 3)

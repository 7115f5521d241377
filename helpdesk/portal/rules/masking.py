"""How contact details and user codes look to an agent without a live verification grant.

Masked characters are ``•`` (U+2022). Each mask keeps just enough for the agent to confirm a detail
the caller reads out (the last digits of a phone, an e-mail's first letter and top-level domain),
never enough to learn it.
"""

from __future__ import annotations

MASK = "•"
MASKED_RUN = MASK * 3


def mask_email(email: str) -> str:
    """``jean.tremblay@exemple.ca`` → ``j•••@e•••.ca``."""
    local, at, domain = email.rpartition("@")
    if not at:
        return _keep_first(email)
    labels = domain.split(".")
    top = "." + labels[-1] if len(labels) > 1 else ""
    return f"{_keep_first(local)}@{_keep_first(labels[0])}{top}"


def _keep_first(text: str) -> str:
    return (text[:1] + MASKED_RUN) if text else MASKED_RUN


def mask_phone(phone: str) -> str:
    """Every digit but the last four of the number, and every digit of an extension:
    ``902-555-4821`` → ``•••-•••-4821``, ``902-555-4821 ext. 305`` → ``•••-•••-4821 ext. •••``.

    The extension starts at the first letter, ``#``, ``,`` or ``;`` after a digit (``ext``,
    ``x``, ``poste``, ``#``, a dialler's pause): its digits are not the ones a caller confirms."""
    number, extension = _split_extension(phone)
    total = sum(ch.isdigit() for ch in number)
    seen = 0
    out = []
    for ch in number:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - 4 else MASK)
        else:
            out.append(ch)
    out.extend(MASK if ch.isdigit() else ch for ch in extension)
    return "".join(out)


def _split_extension(phone: str) -> tuple[str, str]:
    seen_digit = False
    for index, ch in enumerate(phone):
        if ch.isdigit():
            seen_digit = True
        elif seen_digit and (ch.isalpha() or ch in "#,;"):
            return phone[:index], phone[index:]
    return phone, ""


def mask_user_code(code: str) -> str:
    """The first two and last two characters: ``PATL0042`` → ``PA••••42``."""
    if len(code) <= 4:
        return MASK * len(code)
    return code[:2] + MASK * (len(code) - 4) + code[-2:]


def mask_postal_address(address: str) -> str:
    """Street lines hidden; the last line (city, province, postal code) keeps its words and hides
    every part with a digit: ``218, rue Saint-Germain Est\\nRimouski QC  G5L 1B7`` →
    ``•••\\nRimouski QC ••• •••``. The city and province are shown in search results anyway."""
    lines = [line for line in address.splitlines() if line.strip()]
    if not lines:
        return MASKED_RUN
    if len(lines) == 1:
        # An address kept on one line has its street in it too: commas part the street from
        # the city; without one, nothing tells them apart, so nothing is shown.
        street, comma, city = lines[0].rpartition(",")
        if not comma or not street.strip():
            return MASKED_RUN
        return f"{MASKED_RUN}, {_city_line(city)}"
    return "\n".join([MASKED_RUN] * (len(lines) - 1) + [_city_line(lines[-1])])


def _city_line(line: str) -> str:
    """City and province kept, every part with a digit (the postal code) hidden."""
    return " ".join(
        MASKED_RUN if any(ch.isdigit() for ch in part) else part for part in line.split()
    )


def mask_postal_one_line(address: str) -> str:
    """The masked address on one line, for a notice's ``to_masked``."""
    return ", ".join(mask_postal_address(address).splitlines())

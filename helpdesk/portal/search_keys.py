"""How text becomes search keys. The demo seed writes keys with these functions and the search
route folds the query with the same ones, so matching is case- and accent-insensitive by
construction."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Casefolded, accents removed, white space collapsed: `Pêcheries` → `pecheries`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", bare).split())


def words(text: str) -> list[str]:
    """The folded words of a name or organisation: `Jean-Pierre O'Neil` → jean, pierre, o, neil."""
    return _WORD.findall(fold(text))


def name_terms(*names: str | None) -> set[str]:
    """Every key a person can be found by: each word, and each hyphenated or multi-word name whole
    with its punctuation and spaces removed (`Saint-Pierre` is found by `saintp…` too)."""
    terms: set[str] = set()
    for name in names:
        if name:
            terms.update(_terms_of(name))
    return terms


@functools.lru_cache(maxsize=1 << 16)
def _terms_of(name: str) -> tuple[str, ...]:
    """One name's keys. Names repeat (a few thousand given names and surnames make most of a
    million profiles), and folding is most of what telling a search's matches apart costs."""
    parts = words(name)
    return (*parts, "".join(parts)) if len(parts) > 1 else tuple(parts)


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


_LAST_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix`, for a range scan
    (`key >= prefix AND key < bound`) that any B-tree index answers without scanning.

    The next code point skips the surrogates (no database stores them) and carries past
    U+10FFFF. A prefix of nothing but U+10FFFF has no bound: it gets one more U+10FFFF, which
    misses only keys made of that noncharacter, and no folded key is."""
    kept = prefix.rstrip(chr(_LAST_CODE_POINT))
    if not kept:
        return prefix + chr(_LAST_CODE_POINT)
    following = ord(kept[-1]) + 1
    if following in _SURROGATES:
        following = _SURROGATES.stop
    return kept[:-1] + chr(following)

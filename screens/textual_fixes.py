"""Work-arounds for Textual defects that the console meets, each with why; remove one when the
Textual the lock pins fixes it.

``StylesCache.get_inner_outer`` (textual/_styles_cache.py, Textual 8.2) is a method under
``functools.lru_cache(1024)``: the cache's keys include ``self``, so it keeps the last 1024
``StylesCache`` objects alive, one per widget ever rendered, each with every line it rendered
(``Strip`` objects and their caches). The widgets are long gone; their rendered lines are not.
That was the console's warm-up: about 33 MiB over the first 25 profiles opened, growing until
1024 widgets had been drawn. The two colours are the whole key; here they are the only key.
Reported upstream as https://github.com/Textualize/textual/issues/6665 (open).
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return (
        Style(background=base_background + background),
        Style(background=base_background),
    )


def _get_inner_outer(
    _cache: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def apply() -> None:
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign, assignment]

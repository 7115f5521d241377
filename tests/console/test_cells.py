"""PlainCell draws exactly what a Text cell draws in a results table, only faster."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.render import measure
from textual.renderables.styled import Styled

from screens.widgets.cells import PlainCell

# What the table's cells hold: names with accents, wide characters, markup look-alikes, control
# codes, and the cases PlainCell leaves to Text (too wide, several lines, tabs).
TEXTS = [
    "Marie Tremblay",
    "",
    "40••••63",
    "Pêcheries Atlantique Inc.",
    "漢字テスト",
    "[bold]not markup[/]",
    "bell\x07",
    "a name far too long for its column",
    "two\nlines",
    "a\ttab",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [4, 12, 40])
@pytest.mark.parametrize("no_wrap", [True, False])
def test_a_plain_cell_renders_and_measures_as_text_does(
    text: str, width: int, no_wrap: bool
) -> None:
    console = Console(width=120, color_system="truecolor")
    options = console.options.update_dimensions(width, 1).update(no_wrap=no_wrap)
    # As DataTable renders a cell: padded, the row's style with the cell's place in it, the cursor's.
    pre = Style(color="red", bgcolor="blue") + Style.from_meta({"row": 3, "column": 2})
    post = Style(bgcolor="green")

    def rendered(cell: Text | PlainCell) -> list[list[Segment]]:
        return console.render_lines(Styled(Padding(cell, (0, 1)), pre, post), options)

    assert rendered(PlainCell(text)) == rendered(Text(text))
    assert measure(console, PlainCell(text), 1) == measure(console, Text(text), 1)
    assert str(PlainCell(text)) == Text(text).plain

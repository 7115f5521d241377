"""A table cell of plain text that renders in one step.

A ``DataTable`` renders every visible cell again through Rich each time its rows change, and a
``Text`` cell goes through Rich's whole text layout to do it (split into lines, wrap, justify, join),
though a results cell is one line that fits its column: that was most of the time the console took
to draw an answer to a search. ``PlainCell`` gives Rich the same segments a ``Text`` of one line
would (so the screen is the same, to the character and style), and leaves to ``Text`` whatever it
cannot take that short cut with. Its text is shown as written, never read as markup (a name with
"[/]" in it would end the console).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import strip_control_codes
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text


class PlainCell:
    __slots__ = ("one_line", "text", "width")

    def __init__(self, text: str) -> None:
        self.text = strip_control_codes(text)  # as Text does
        # Tabs are expanded and lines justified by Text only.
        self.one_line = not any(char in self.text for char in "\n\t")
        self.width = cell_len(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"PlainCell({self.text!r})"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.one_line and self.width <= options.max_width and options.justify is None:
            # What Text("…").__rich_console__ yields for one line that fits.
            yield Segment(self.text)
            yield Segment("\n")
        else:
            yield from Text(self.text).__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Text(self.text).__rich_measure__(console, options)

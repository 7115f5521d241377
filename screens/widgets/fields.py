"""Label / value pairs for profile details, with masked values set apart.

The portal masks with ``•`` (U+2022); a value holding one is shown as masked, so the agent sees at a
glance what the caller must still be verified for.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label

from helpdesk.i18n import _

MASK = "•"
EMPTY = "—"


def is_masked(value: str | None) -> bool:
    return value is not None and MASK in value


class FieldList(Widget):
    """A two-column grid: one row per field, the label left and the value right."""

    def __init__(
        self,
        fields: Iterable[tuple[str, str | None]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._fields = list(fields)

    def compose(self) -> ComposeResult:
        for label, value in self._fields:
            yield Label(label, classes="field-label", markup=False)
            masked = is_masked(value)
            text = value or EMPTY
            if masked:
                text = _("{value}  (masked)").format(value=value)
            yield Label(
                text, classes="field-value -masked" if masked else "field-value", markup=False
            )

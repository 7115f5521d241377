"""Every screen of the console is a ``ConsoleScreen``: none can miss the language switch (F4) or
make portal calls its own way."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import Screen

import screens
from screens.base import ConsoleScreen


def _screen_classes() -> list[type[Screen[object]]]:
    found: list[type[Screen[object]]] = []
    for module_info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_screen_of_the_console_is_a_console_screen() -> None:
    classes = _screen_classes()
    assert len(classes) >= 10, "the walk found the screens"
    strays = [
        cls.__qualname__
        for cls in classes
        if not issubclass(cls, ConsoleScreen) and cls.__name__ != "HelpdeskCommandPalette"
    ]
    assert strays == []

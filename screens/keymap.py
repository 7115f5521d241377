"""The agent's ``[keymap]``, checked against the console's bindings before the app starts.

Textual applies a keymap by binding id (``App.set_keymap``) and quietly makes do with what it cannot
use: an id no binding has is ignored, a key no terminal sends is never pressed, and of two actions
given one key only one runs. The agent would find out one key press at a time, in the middle of a
call; ``check_keymap`` says what is wrong, and where, when the console starts.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, Keys, key_to_character

from helpdesk.config import ConfigError
from helpdesk.i18n import N_, _

MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(key.value for key in Keys if "+" not in key.value and "<" not in key.value)


def normalise(keys: str) -> str:
    """The keys as Textual names them once in a keymap: ``?`` is ``question_mark``."""
    return ",".join(_key_name(key.strip()) for key in keys.split(","))


def _key_name(key: str) -> str:
    # What App.set_keymap does to a one-character key (textual.keys._character_to_key).
    if len(key) != 1 or key.isalnum():
        return key
    name = unicodedata.name(key, key).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


# The keys and modifiers a message spells out, in the console's language ("Échap", "Maj").
_KEY_NAMES = {
    "escape": N_("Escape"),
    "enter": N_("Enter"),
    "tab": N_("Tab"),
    "space": N_("Space"),
    "backspace": N_("Backspace"),
    "delete": N_("Delete"),
    "insert": N_("Insert"),
    "home": N_("Home"),
    "end": N_("End"),
    "pageup": N_("Page Up"),
    "pagedown": N_("Page Down"),
    "up": N_("Up"),
    "down": N_("Down"),
    "left": N_("Left"),
    "right": N_("Right"),
}
_MODIFIER_NAMES = {"ctrl": N_("Ctrl"), "alt": N_("Alt"), "shift": N_("Shift"), "meta": N_("Meta")}


def key_name(key: str) -> str:
    """A key as a message names it, in the console's language: ``f5`` → ``F5``, ``u`` → ``U``,
    ``ctrl+r`` → ``Ctrl+R``, ``escape`` → ``Escape`` (``Échap``), ``question_mark`` → ``?``."""
    *modifiers, name = key.split("+")
    character = key_to_character(name) if len(name) > 1 else name
    if name in _KEY_NAMES:
        name = _(_KEY_NAMES[name])
    elif character is not None and character.isprintable():
        name = character.upper()
    elif name[0] == "f" and name[1:].isdigit():
        name = name.upper()
    else:
        name = name.replace("_", " ").capitalize()
    spoken = [_(_MODIFIER_NAMES[m]) if m in _MODIFIER_NAMES else m.capitalize() for m in modifiers]
    return "+".join([*spoken, name])


def bound_key(binding_id: str, keymap: Mapping[str, str]) -> str:
    """The key that runs the console's binding ``binding_id``: its first key in ``keymap`` (by
    id, normalised), else its own first key."""
    binding = _bindings_by_id()[binding_id]
    return keymap.get(binding_id, binding.key).split(",")[0]


@functools.cache
def _bindings_by_id() -> dict[str, Binding]:
    # Binding ids are the console's own and unique: "profile.unlock", "lockouts.unlock"…
    return {str(b.id): b for owner in binding_owners() for b in _bindings(owner)}


def _is_key(key: str) -> bool:
    *modifiers, name = key.split("+")
    if not name or len(set(modifiers)) < len(modifiers) or not MODIFIERS.issuperset(modifiers):
        return False
    return (
        len(name) == 1
        or name in NAMED_KEYS
        or name in REPLACED_KEYS
        or key_to_character(name) is not None
    )


def _types(key: str) -> bool:
    """Whether the key types a character into a field (a field would lose it to the binding)."""
    if "+" in key:
        return False
    character = key if len(key) == 1 else key_to_character(REPLACED_KEYS.get(key, key))
    return character is not None and character.isprintable()  # escape is a character too


def binding_owners() -> list[type[DOMNode]]:
    """The app, screens and widgets of the console that declare bindings."""
    import screens

    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        importlib.import_module(module.name)
    owners = {
        cls
        for cls in _subclasses(DOMNode)
        if cls.__module__.startswith("screens.") and vars(cls).get("BINDINGS")
    }
    return sorted(owners, key=lambda cls: (cls.__module__, cls.__qualname__))


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _bindings(owner: type[DOMNode]) -> list[Binding]:
    return [b for b in Binding.make_bindings(vars(owner)["BINDINGS"]) if b.id is not None]


def keymap_problems(keymap: Mapping[str, str], owners: list[type[DOMNode]]) -> list[str]:
    """What is wrong with ``keymap`` for the bindings of ``owners``, one line each."""
    by_id: dict[str, list[Binding]] = {}
    for owner in owners:
        for binding in _bindings(owner):
            by_id.setdefault(str(binding.id), []).append(binding)
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in by_id:
            known = ", ".join(sorted(by_id))
            problems.append(f"{binding_id!r}: no binding has this id (the ids: {known})")
            continue
        for as_written in keys.split(","):
            problem = _key_problem(normalise(as_written), by_id[binding_id])
            if problem:
                problems.append(f"{binding_id!r} = {as_written.strip()!r}: {problem}")
    wanted = {binding_id: normalise(keys).split(",") for binding_id, keys in keymap.items()}
    problems.extend(_clashes(wanted, owners))
    return list(dict.fromkeys(problems))  # a binding with several keys finds a clash once each


def _key_problem(key: str, bindings: list[Binding]) -> str | None:
    if not _is_key(key):
        hint = f"; did you mean {key.lower()!r}?" if _is_key(key.lower()) else ""
        return f"not a key (keys look like ctrl+l, alt+x, f2, escape, shift+tab){hint}"
    if _types(key) and not any(_types(binding.key) for binding in bindings):
        # A field sees a key before the bindings do, except a priority binding's.
        if any(binding.priority for binding in bindings):
            why = "the app would take it from every field"
        else:
            why = "it would do nothing while the cursor is in a field"
        return f"this key types a character, so {why}; use a function key, or ctrl+ or alt+"
    return None


def _clashes(wanted: Mapping[str, list[str]], owners: list[type[DOMNode]]) -> Iterator[str]:
    """Two actions on one key, at least one of them by the keymap: one of them never runs."""

    def keys_of(binding: Binding) -> list[str]:
        return wanted.get(str(binding.id), [binding.key])

    # The app's priority bindings are tried first for every key, on every screen.
    app_first = {
        key: str(binding.id)
        for owner in owners
        if issubclass(owner, App)
        for binding in _bindings(owner)
        if binding.priority
        for key in keys_of(binding)
    }
    for owner in owners:
        on_key: dict[str, set[str]] = {}
        for binding in _bindings(owner):
            binding_id = str(binding.id)
            for key in keys_of(binding):
                on_key.setdefault(key, set()).add(binding_id)
                first = app_first.get(key)
                if (
                    first is not None
                    and not issubclass(owner, App)
                    and (binding_id in wanted or first in wanted)
                ):
                    yield (
                        f"{binding_id!r} and {first!r} both on {key!r}: {first!r} is tried "
                        f"first on every screen, so {binding_id!r} would never run"
                    )
        for key, ids in sorted(on_key.items()):
            if len(ids) > 1 and ids & wanted.keys():
                names = " and ".join(repr(binding_id) for binding_id in sorted(ids))
                yield f"{names} both on {key!r}: only one of them would run"


def check_keymap(keymap: Mapping[str, str], config_file: Path) -> None:
    """Raises ``ConfigError`` listing every problem of ``keymap`` (from ``config_file``)."""
    if not keymap:
        return
    problems = keymap_problems(keymap, binding_owners())
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise ConfigError(f"{config_file}, [keymap]:\n{lines}")

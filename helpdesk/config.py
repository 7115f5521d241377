"""The console's settings: a TOML file in the user config dir, then environment, then the command line.

``config.toml`` in the user config dir (``~/.config/helpdesk/config.toml`` on Linux, or under
``$XDG_CONFIG_HOME``; see ``Paths``)::

    portal_url = "https://portal.example.gc.ca"   # leave out to use the embedded portal
    language = "fr"                               # en | fr
    tls_verify = true                             # or the path of a CA bundle
    idle_lock_minutes = 10                        # shared terminals: sign out after this idle

    [keymap]                                      # binding id = key(s), comma-separated
    "search.clear" = "ctrl+l"
    new_call = "f2"

Environment overrides: ``HELPDESK_PORTAL_URL``, ``HELPDESK_LANG``. The command line overrides both.

``Settings`` is the one model of them: constructing it reads those sources, in that order, for every
setting it is not given. Each source is checked on its own before they are merged, so a bad value is
reported with the place it came from, even when a later source overrides it. The keymap is checked
for its shape here; which binding ids exist and which keys a terminal sends is the console's
knowledge (``screens.keymap``), checked when the app is built.

The checks are plain functions, not a pydantic-settings model: the settings are read before the
console's first frame, and importing pydantic and pydantic-settings and building their models cost
that frame 80–170 ms (issue 10). They keep the coercions and messages the pydantic model had
(``"10"`` minutes are 10; ``Input should be a valid string``).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from helpdesk.i18n import DEFAULT_LANGUAGE, LANGUAGES

APP_NAME = "helpdesk"
ENV_PORTAL_URL = "HELPDESK_PORTAL_URL"
ENV_LANGUAGE = "HELPDESK_LANG"
COMMAND_LINE_OPTIONS: Mapping[str, str] = {"portal_url": "--portal", "language": "--lang"}


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the setting and where it came from."""


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    state_dir: Path

    @classmethod
    def default(cls) -> Paths:
        # platformdirs honours XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_STATE_HOME on Linux.
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME)),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def embedded_database(self) -> Path:
        return self.data_dir / "embedded-portal.sqlite3"

    @property
    def state_file(self) -> Path:
        """Non-secret memory between runs: the last username per portal (never a token)."""
        return self.state_dir / "state.json"

    @property
    def embedded_log(self) -> Path:
        return self.state_dir / "embedded-portal.log"


_NOT_A_STRING: Final = "Input should be a valid string"
IDLE_LOCK_MINUTES: Final = (1, 1440)


def _portal_url(url: object) -> str | None:
    if url is None or url == "":  # an empty URL means "no portal configured"
        return None
    if not isinstance(url, str):
        raise ValueError(_NOT_A_STRING)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url.rstrip("/")


def _language(language: object) -> str:
    if not isinstance(language, str):
        raise ValueError(_NOT_A_STRING)
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    return language


def _tls_verify(value: object) -> bool | str:
    if not isinstance(value, bool | str):
        raise ValueError("must be true, false or a CA bundle path")
    return value


def _idle_lock_minutes(value: object) -> int:
    minutes = _whole_number(value)
    low, high = IDLE_LOCK_MINUTES
    if minutes < low:
        raise ValueError(f"Input should be greater than or equal to {low}")
    if minutes > high:
        raise ValueError(f"Input should be less than or equal to {high}")
    return minutes


def _whole_number(value: object) -> int:
    """pydantic's lax ``int``: a bool, a float without a fraction, or a string of one."""
    if isinstance(value, int):  # a bool too: true is 1
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Input should be a finite number")
        if not value.is_integer():
            raise ValueError("Input should be a valid integer, got a number with a fractional part")
        return int(value)
    if isinstance(value, str):
        digits, point, decimals = value.strip().partition(".")
        try:
            if point and (not decimals or decimals.strip("0")):  # "10.0" is 10, "10." is not
                raise ValueError
            return int(digits)
        except ValueError:
            raise ValueError(
                "Input should be a valid integer, unable to parse string as an integer"
            ) from None
    raise ValueError("Input should be a valid integer")


def _keymap(keymap: object) -> dict[str, str]:
    if not isinstance(keymap, Mapping):
        raise ValueError("Input should be a valid dictionary")
    flat = _flatten(keymap)
    for binding_id, keys in flat.items():
        if not isinstance(keys, str) or not all(key.strip() for key in keys.split(",")):
            raise ValueError(
                f"{binding_id!r} = {keys!r}: give the key(s) as a string, such as "
                '"ctrl+l" or "f2,ctrl+n"'
            )
    return {binding_id: keys.replace(" ", "") for binding_id, keys in flat.items()}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``search.clear = "ctrl+l"`` without quotes is a nested table in TOML: the ids have dots."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


# Each setting's check, in the order they are made (the first error is the one reported).
CHECKS: Final[Mapping[str, Callable[[object], Any]]] = {
    "portal_url": _portal_url,
    "language": _language,
    "tls_verify": _tls_verify,
    "idle_lock_minutes": _idle_lock_minutes,
    "keymap": _keymap,
}
DEFAULTS: Final[Mapping[str, Any]] = {
    "portal_url": None,
    "language": DEFAULT_LANGUAGE,
    "tls_verify": True,
    "idle_lock_minutes": 10,
    "keymap": {},
}


def _checked(values: Mapping[str, Any], origin: Callable[[str], str]) -> dict[str, Any]:
    """``values`` as the settings hold them; else a ``ConfigError`` naming their origin."""
    checked: dict[str, Any] = {}
    for setting, check in CHECKS.items():
        if setting in values:
            try:
                checked[setting] = check(values[setting])
            except ValueError as exc:
                raise ConfigError(f"{origin(setting)}: {setting}: {exc}") from None
    unknown = sorted(set(values) - set(CHECKS))
    if unknown:
        raise ConfigError(f"{origin(unknown[0])}: unknown setting(s) {', '.join(unknown)}")
    return checked


def _read_config_file(path: Path) -> dict[str, Any]:
    """``config.toml`` as written, or nothing when there is no such file."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


# The two documented variables only: ``HELPDESK_LANG`` is not ``HELPDESK_LANGUAGE``, and no other
# ``HELPDESK_*`` variable changes the console behind the agent's back. Empty is unset.
ENVIRONMENT: Final[Mapping[str, str]] = {"portal_url": ENV_PORTAL_URL, "language": ENV_LANGUAGE}


def _environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values = {setting: environ[name] for setting, name in ENVIRONMENT.items() if environ.get(name)}
    return _checked(values, lambda setting: ENVIRONMENT.get(setting, "environment"))


@dataclass(frozen=True, init=False)
class Settings:
    """The console's settings. ``Settings(language="fr")`` reads the environment and the config
    file of ``paths`` (the user's, by default) for the rest; ``load_settings`` is the CLI's way in."""

    portal_url: str | None
    """The portal admin API's base URL; ``None`` runs the embedded reference portal."""
    language: str
    tls_verify: bool | str
    """Verify the portal's certificate (``true``), not at all (``false``), or with this CA bundle."""
    idle_lock_minutes: int
    """After this long without a key or a click the console signs out and forgets the call."""
    keymap: dict[str, str]
    """Binding id → key(s), comma-separated: ``{"search.clear": "ctrl+l"}``."""
    paths: Paths

    def __init__(self, *, paths: Paths | None = None, **given: Any) -> None:
        paths = paths or Paths.default()
        config_file = _read_config_file(paths.config_file)  # a file that is not TOML comes first
        # Checked highest first, as the first error is the one reported; merged lowest first.
        sources = (
            _checked(given, lambda _setting: "Settings"),
            _environment(os.environ),
            _checked(config_file, lambda _setting: str(paths.config_file)),
        )
        values = dict(DEFAULTS)
        for source in reversed(sources):
            # Keymaps merge binding by binding, as pydantic-settings merged nested tables.
            values.update(source, keymap={**values["keymap"], **source.get("keymap", {})})
        for setting, value in values.items():
            object.__setattr__(self, setting, value)
        object.__setattr__(self, "paths", paths)

    @property
    def embedded(self) -> bool:
        return self.portal_url is None


def load_settings(
    *,
    portal_url: str | None = None,
    language: str | None = None,
    paths: Paths | None = None,
) -> Settings:
    """Settings from the config file, overridden by the environment, overridden by the arguments."""
    given: dict[str, Any] = {
        setting: value
        for setting, value in (("portal_url", portal_url), ("language", language))
        if value
    }
    _checked(given, lambda setting: COMMAND_LINE_OPTIONS.get(setting, "command line"))
    return Settings(**given, paths=paths or Paths.default())

"""The agent's token in the OS keyring, never in a file we write.

``CredentialStore`` keeps a remembered token under service ``helpdesk``, keyed by the portal and the
username. A portal is known by its URL, unless ``portal_key`` names it otherwise: the embedded portal
gets a new port at every start, so it is known by its database (``EmbeddedPortal.portal_key``). It refuses backends that would not protect the token (no backend, the null backend, a
plaintext file), following Poetry's password manager: it then says why (``unavailable_reason``) and
the console keeps the token in memory for this run only — never a silent fallback.

A small non-secret state file remembers, per portal, the last username that asked to be remembered
and when its token expires, so that at start the token can be found (and an expired one dropped)
without asking the agent anything.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "helpdesk"

log = logging.getLogger(__name__)


class KeyringUnavailable(Exception):
    """The keyring cannot keep the token safely; ``str()`` says why (English, for logs)."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code
        """``none`` (no usable backend), ``insecure`` (a plaintext one) or ``error`` (it failed)."""


@dataclass(frozen=True)
class RememberedToken:
    portal_url: str
    username: str
    token: str
    expires_at: datetime | None


PortalKey = Callable[[str], str]
"""The portal's URL → the name the store keeps it under (in the state file and the keyring)."""


def check_backend(backend: KeyringBackend) -> None:
    """Raises ``KeyringUnavailable`` unless the backend keeps secrets out of plain files."""
    from keyring.backends.chainer import ChainerBackend

    backends = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    if not backends:
        raise KeyringUnavailable("no keyring backend is available", "none")
    for candidate in backends:
        module = type(candidate).__module__
        name = type(candidate).__name__
        if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
            raise KeyringUnavailable(
                f"no usable keyring backend ({module}.{name}); "
                "install and unlock an OS keyring (Secret Service, KWallet, macOS Keychain, "
                "Windows Credential Locker)",
                "none",
            )
        if (
            "plaintext" in name.lower()
            or "plaintext" in str(getattr(candidate, "name", "")).lower()
        ):
            raise KeyringUnavailable(
                f"the keyring backend {module}.{name} stores secrets in a plain file", "insecure"
            )


class CredentialStore:
    def __init__(
        self,
        state_file: Path,
        backend: KeyringBackend | None = None,
        *,
        portal_key: PortalKey | None = None,
    ) -> None:
        self.state_file = state_file
        self._backend = backend
        self._portal_key = portal_key
        self._checked: KeyringUnavailable | bool | None = False

    def _key(self, portal_url: str) -> str:
        url = portal_url.rstrip("/")
        return self._portal_key(url) if self._portal_key is not None else url

    def _account(self, portal_url: str, username: str) -> str:
        return f"{username}@{self._key(portal_url)}"

    # --- the backend ----------------------------------------------------------------------

    def backend(self) -> KeyringBackend:
        """The keyring backend, checked once; raises ``KeyringUnavailable``."""
        if self._checked is False:
            try:
                if self._backend is None:
                    import keyring

                    self._backend = keyring.get_keyring()
                check_backend(self._backend)
                self._checked = None
            except KeyringUnavailable as exc:
                self._checked = exc
            except Exception as exc:  # a backend that fails to initialise
                self._checked = KeyringUnavailable(f"the keyring failed: {exc}", "error")
        if isinstance(self._checked, KeyringUnavailable):
            raise self._checked
        assert self._backend is not None
        return self._backend

    @property
    def unavailable(self) -> KeyringUnavailable | None:
        try:
            self.backend()
        except KeyringUnavailable as exc:
            return exc
        return None

    # --- tokens -----------------------------------------------------------------------------

    def remember(
        self, portal_url: str, username: str, token: str, expires_at: datetime | None
    ) -> None:
        """Keeps the token in the keyring; raises ``KeyringUnavailable`` when it cannot."""
        backend = self.backend()
        try:
            backend.set_password(SERVICE, self._account(portal_url, username), token)
        except Exception as exc:
            raise KeyringUnavailable(f"the keyring refused the token: {exc}", "error") from exc
        self._write_state(
            portal_url,
            {
                "username": username,
                "remembered": True,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )

    def remembered(self, portal_url: str, now: datetime | None = None) -> RememberedToken | None:
        """The token remembered for this portal, unless it is missing or expired (then forgotten)."""
        entry = self._read_state().get(self._key(portal_url))
        if not isinstance(entry, dict) or not isinstance(entry.get("username"), str):
            return None
        if not entry.get("remembered"):
            return None
        username: str = entry["username"]
        expires_at = _parse_time(entry.get("expires_at"))
        if expires_at is not None and now is not None and expires_at <= now:
            self.forget(portal_url, username)
            return None
        try:
            token = self.backend().get_password(SERVICE, self._account(portal_url, username))
        except KeyringUnavailable:
            return None
        except Exception as exc:
            log.warning("the keyring could not be read: %s", exc)
            return None
        if not token:
            return None
        return RememberedToken(portal_url.rstrip("/"), username, token, expires_at)

    def forget(self, portal_url: str, username: str) -> None:
        """Deletes the remembered token (sign-out, or the portal said it no longer works).

        The username stays in the state file, to fill the sign-in form next time."""
        key = self._key(portal_url)
        state = self._read_state()
        entry = state.get(key)
        if (
            isinstance(entry, dict)
            and entry.get("username") == username
            and entry.get("remembered")
        ):
            state[key] = {"username": username, "remembered": False}
            self._write_all(state)
        try:
            backend = self.backend()
        except KeyringUnavailable:
            return
        with contextlib.suppress(Exception):  # PasswordDeleteError: nothing was stored
            backend.delete_password(SERVICE, self._account(portal_url, username))

    def signed_in(self, portal_url: str, username: str) -> None:
        """Remembers who signed in last on this portal (not a secret: it fills the form next time)."""
        key = self._key(portal_url)
        state = self._read_state()
        entry = state.get(key)
        if isinstance(entry, dict) and entry.get("username") == username:
            return
        state[key] = {"username": username, "remembered": False}
        self._write_all(state)

    def last_username(self, portal_url: str) -> str | None:
        entry = self._read_state().get(self._key(portal_url))
        if isinstance(entry, dict) and isinstance(entry.get("username"), str):
            return str(entry["username"])
        return None

    # --- the state file -------------------------------------------------------------------

    def _read_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, OSError):
            return {}
        portals = data.get("portals") if isinstance(data, dict) else None
        return dict(portals) if isinstance(portals, dict) else {}

    def _write_state(self, portal_url: str, entry: dict[str, Any]) -> None:
        state = self._read_state()
        state[self._key(portal_url)] = entry
        self._write_all(state)

    def _write_all(self, portals: dict[str, Any]) -> None:
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_file.parent, prefix=".state-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"portals": portals}, handle, indent=2, sort_keys=True)
        os.replace(tmp, self.state_file)


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None

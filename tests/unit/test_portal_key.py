"""The embedded portal is one portal to the credential store, whatever port it started on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpdesk.credentials import SERVICE, CredentialStore
from helpdesk.embedded import EmbeddedPortal
from tests.keyrings import encrypted_keyring

NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
TOKEN = "tok-secret-123456"


def store_for(tmp_path: Path, embedded: EmbeddedPortal) -> CredentialStore:
    backend = encrypted_keyring(tmp_path / "keyring.cfg")
    return CredentialStore(tmp_path / "state.json", backend, portal_key=embedded.portal_key)


def test_a_new_port_finds_what_the_last_one_remembered(tmp_path: Path) -> None:
    embedded = EmbeddedPortal(tmp_path / "portal.sqlite3", tmp_path / "portal.log")
    embedded.url = "http://127.0.0.1:41001"  # as start() sets it
    store_for(tmp_path, embedded).remember(embedded.url, "agent", TOKEN, NOW + timedelta(hours=8))

    embedded.url = "http://127.0.0.1:52002"  # the next start
    store = store_for(tmp_path, embedded)
    found = store.remembered(embedded.url + "/", NOW)
    assert found is not None and (found.username, found.token) == ("agent", TOKEN)
    assert store.last_username(embedded.url) == "agent"
    identity = f"embedded:{(tmp_path / 'portal.sqlite3').resolve()}"
    assert store.backend().get_password(SERVICE, f"agent@{identity}") == TOKEN
    assert '"http://127.0.0.1' not in store.state_file.read_text(encoding="utf-8")


def test_another_portal_keeps_its_url(tmp_path: Path) -> None:
    embedded = EmbeddedPortal(tmp_path / "portal.sqlite3", tmp_path / "portal.log")
    embedded.url = "http://127.0.0.1:41001"
    store = store_for(tmp_path, embedded)
    store.signed_in("https://portal.example/", "agent")
    assert store.last_username("https://portal.example") == "agent"
    assert store.last_username(embedded.url) is None
    assert '"https://portal.example"' in store.state_file.read_text(encoding="utf-8")

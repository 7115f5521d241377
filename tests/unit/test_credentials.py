from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from keyring.backends.chainer import ChainerBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyring.backends.null import Keyring as NullKeyring
from keyrings.alt.file import PlaintextKeyring

from helpdesk.credentials import SERVICE, CredentialStore, KeyringUnavailable, check_backend
from tests.keyrings import encrypted_keyring

PORTAL = "http://127.0.0.1:8000"
NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
TOKEN = "tok-secret-123456"


@pytest.fixture
def store(tmp_path: Path) -> CredentialStore:
    return CredentialStore(tmp_path / "state.json", encrypted_keyring(tmp_path / "keyring.cfg"))


def test_remember_then_find_the_token(store: CredentialStore, tmp_path: Path) -> None:
    store.remember(PORTAL, "agent", TOKEN, NOW + timedelta(hours=8))
    found = store.remembered(PORTAL, NOW)
    assert found is not None
    assert (found.username, found.token) == ("agent", TOKEN)
    assert store.last_username(PORTAL) == "agent"
    # A second store over the same files (the next run of the console) finds it too.
    again = CredentialStore(tmp_path / "state.json", encrypted_keyring(tmp_path / "keyring.cfg"))
    assert again.remembered(PORTAL + "/", NOW) == found


def test_the_token_never_goes_into_a_file_in_the_clear(
    store: CredentialStore, tmp_path: Path
) -> None:
    store.remember(PORTAL, "agent", TOKEN, NOW + timedelta(hours=8))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_keyed_by_portal_and_user(store: CredentialStore) -> None:
    store.remember(PORTAL, "agent", TOKEN, None)
    assert store.remembered("http://other.example", NOW) is None
    backend = store.backend()
    assert backend.get_password(SERVICE, f"agent@{PORTAL}") == TOKEN


def test_an_expired_token_is_forgotten(store: CredentialStore) -> None:
    store.remember(PORTAL, "agent", TOKEN, NOW + timedelta(hours=8))
    assert store.remembered(PORTAL, NOW + timedelta(hours=8)) is None
    assert store.backend().get_password(SERVICE, f"agent@{PORTAL}") is None
    assert store.last_username(PORTAL) == "agent", "the username is not a secret: it stays"


def test_forget_deletes_the_keyring_entry(store: CredentialStore) -> None:
    store.remember(PORTAL, "agent", TOKEN, None)
    store.forget(PORTAL, "agent")
    assert store.remembered(PORTAL, NOW) is None
    assert store.backend().get_password(SERVICE, f"agent@{PORTAL}") is None
    store.forget(PORTAL, "agent")  # twice is fine


def test_the_last_username_is_kept_without_a_token(store: CredentialStore) -> None:
    store.signed_in(PORTAL, "supervisor")
    assert store.last_username(PORTAL) == "supervisor"
    assert store.remembered(PORTAL, NOW) is None
    assert TOKEN not in store.state_file.read_text()


@pytest.mark.parametrize(
    ("backend", "code"),
    [
        (PlaintextKeyring(), "insecure"),
        (FailKeyring(), "none"),
        (NullKeyring(), "none"),
    ],
    ids=["plaintext", "fail", "null"],
)
def test_unsafe_backends_are_refused(tmp_path: Path, backend: object, code: str) -> None:
    store = CredentialStore(tmp_path / "state.json", backend)  # type: ignore[arg-type]
    with pytest.raises(KeyringUnavailable) as refused:
        store.remember(PORTAL, "agent", TOKEN, None)
    assert refused.value.code == code
    assert store.unavailable is not None
    assert store.remembered(PORTAL, NOW) is None
    assert not (tmp_path / "state.json").exists()


def test_a_chain_with_a_plaintext_backend_is_refused(tmp_path: Path) -> None:
    chain = ChainerBackend()
    chain.__dict__["backends"] = [encrypted_keyring(tmp_path / "k.cfg"), PlaintextKeyring()]
    with pytest.raises(KeyringUnavailable):
        check_backend(chain)


def test_an_empty_chain_is_refused() -> None:
    chain = ChainerBackend()
    chain.__dict__["backends"] = []
    with pytest.raises(KeyringUnavailable):
        check_backend(chain)


def test_the_encrypted_backend_is_accepted(tmp_path: Path) -> None:
    check_backend(encrypted_keyring(tmp_path / "k.cfg"))


def test_a_corrupt_state_file_is_ignored(store: CredentialStore) -> None:
    store.state_file.write_text("{not json")
    assert store.remembered(PORTAL, NOW) is None
    store.remember(PORTAL, "agent", TOKEN, None)
    assert store.remembered(PORTAL, NOW) is not None

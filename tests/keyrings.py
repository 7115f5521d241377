"""A real, encrypted keyring backend for tests: keyrings.cryptfile in a file of the test's tmp dir."""

from __future__ import annotations

from pathlib import Path

from keyrings.cryptfile.cryptfile import CryptFileKeyring


def encrypted_keyring(path: Path) -> CryptFileKeyring:
    keyring = CryptFileKeyring()
    keyring.file_path = str(path)
    # The real encryption with a cheap key derivation: the tests check our use of a keyring,
    # not the strength of Argon2. Set before the key: setting the key already encrypts the file's
    # reference value (about a second at the default cost).
    keyring.time_cost = 1
    keyring.memory_cost = 1024
    keyring.parallelism = 1
    keyring.keyring_key = "test-keyring-passphrase"  # set, so it never prompts
    return keyring

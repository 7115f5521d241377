"""The keyring the console uses under a benchmark (``PYTHON_KEYRING_BACKEND``): a real encrypted
file in the bench's throwaway ``XDG_DATA_HOME``, with a fixed passphrase so it never prompts and a
cheap key derivation, so a bench never touches the user's own keyring."""

from __future__ import annotations

from keyrings.cryptfile.cryptfile import CryptFileKeyring


class BenchKeyring(CryptFileKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.time_cost = 1
        self.memory_cost = 1024
        self.parallelism = 1
        self.keyring_key = "bench-keyring-passphrase"

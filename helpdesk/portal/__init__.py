"""The reference implementation of the portal admin API (the console's embedded default)."""

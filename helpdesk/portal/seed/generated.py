"""The generated demo profiles (being written: for now, none)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from helpdesk.portal.seed.rows import Batch


def generated_batches(now: datetime, count: int) -> Iterator[Batch]:
    return iter(())

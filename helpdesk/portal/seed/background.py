"""Run a generator in a forked child process and read what it yields here, so that generating
(in the child) and inserting (here) each have a core."""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from queue import Empty
from typing import TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    # fork, not spawn: spawn would re-run an unguarded calling script in the child. Only Linux
    # forks safely enough (macOS frameworks do not survive it), and only with a second core.
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
    )


def in_background(produce: Callable[[], Iterator[T]], name: str) -> Iterator[T]:
    """What `produce()` yields, made in a child process (two items ahead at most, pickled)."""
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[tuple[str, object]] = context.Queue(maxsize=2)
    # fork copies `produce` into the child as it is: nothing but the items is pickled.
    child = context.Process(target=_run, args=(produce, queue), name=name, daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, item = queue.get(timeout=1)
            except Empty:
                if not child.is_alive():
                    raise RuntimeError(f"{name}: the child process died") from None
                continue
            if kind == "done":
                break
            if kind == "failed":
                raise RuntimeError(f"{name}: the child process failed:\n{item}")
            yield item  # type: ignore[misc]
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _run(
    produce: Callable[[], Iterator[T]], queue: multiprocessing.Queue[tuple[str, object]]
) -> None:
    try:
        for item in produce():
            queue.put(("item", item))
        queue.put(("done", None))
    except BaseException:
        queue.put(("failed", traceback.format_exc()))

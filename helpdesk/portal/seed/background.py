"""Run generators in forked child processes and read what they yield here, in order, so that
generating (in the children) and inserting (here) share every core."""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
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


def in_background(
    produce: Callable[[int, int], Iterator[T]], name: str, workers: int = 1
) -> Iterator[T]:
    """The items of `produce(worker, workers)` for each of `workers` child processes, dealt in
    turn: the first item of worker 0, then of worker 1, …, then the second of worker 0. Each
    worker must make the items of its turns (every `workers`-th, from its own index) and may
    stop only after the last worker with an item before it.

    The children are forked now, before this returns (so, for instance, threads the caller
    starts afterwards are not forked with them); each runs two items ahead at most, pickled."""
    context = multiprocessing.get_context("fork")
    queues: list[multiprocessing.Queue[tuple[str, object]]] = []
    children = []
    for worker in range(workers):
        queue: multiprocessing.Queue[tuple[str, object]] = context.Queue(maxsize=2)
        # fork copies `produce` into the child as it is: nothing but the items is pickled.
        child = context.Process(
            target=_run,
            args=(produce, worker, workers, queue),
            name=f"{name} {worker}",
            daemon=True,
        )
        child.start()
        queues.append(queue)
        children.append(child)
    return _read(queues, children, name)


def _read(
    queues: Sequence[multiprocessing.Queue[tuple[str, object]]],
    children: Sequence[multiprocessing.process.BaseProcess],
    name: str,
) -> Iterator[T]:
    try:
        turn = 0
        while True:
            queue, child = queues[turn], children[turn]
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
            turn = (turn + 1) % len(queues)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()


def _run(
    produce: Callable[[int, int], Iterator[T]],
    worker: int,
    workers: int,
    queue: multiprocessing.Queue[tuple[str, object]],
) -> None:
    try:
        for item in produce(worker, workers):
            queue.put(("item", item))
        queue.put(("done", None))
    except BaseException:
        queue.put(("failed", traceback.format_exc()))

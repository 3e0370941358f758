"""``scamtrail run``: ingest, process and index together, in one thread or beside a child process."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from scamtrail.ingest.base import Source
from scamtrail.runtime.consumer import settle_gc
from scamtrail.runtime.ingestor import Ingestor
from scamtrail.runtime.stages import IndexStage, ProcessStage

if TYPE_CHECKING:  # the index stage's child process never loads the extract model's modules
    from scamtrail.runtime.child import StageProcess


def run_all(
    process: ProcessStage,
    index: IndexStage | StageProcess,
    *,
    source: Source | None = None,
    ingestor: Ingestor | None = None,
    until_drained: bool = False,
    stop: threading.Event | None = None,
) -> None:
    """Run process and index (and ``source`` in another thread) until stopped.

    ``index`` is either a stage, stepped in turn with ``process`` in this thread (one core), or
    a started :class:`~scamtrail.runtime.child.StageProcess`, the index stage in a child process
    working alongside (two cores; what ``scamtrail run`` does). With ``until_drained`` it returns
    once the source has finished and both groups have committed everything on their topics. A
    stop (``stop`` set) finishes the batches in hand and commits them; the child is stopped and
    waited for in every case, and its failure raises
    :class:`~scamtrail.runtime.child.StageProcessError`.
    """
    settle_gc()
    stop = stop or threading.Event()
    source_done = threading.Event()
    errors: list[BaseException] = []
    if source is not None and ingestor is not None:

        def _feed() -> None:
            try:
                ingestor.run(source)
            except BaseException as exc:  # handed to the main thread, which re-raises it
                errors.append(exc)
            finally:
                source_done.set()

        threading.Thread(target=_feed, name="ingest", daemon=True).start()
    else:
        source_done.set()
    try:
        if isinstance(index, IndexStage):
            _step_both(process, index, source_done, errors, until_drained, stop)
        else:
            _beside_child(process, index, source_done, errors, until_drained, stop)
    finally:
        if source is not None:
            source.stop()
        process.close()
        index.close()  # a child is stopped and waited for (a no-op once it has ended)


def _step_both(
    process: ProcessStage,
    index: IndexStage,
    source_done: threading.Event,
    errors: list[BaseException],
    until_drained: bool,
    stop: threading.Event,
) -> None:
    """Both stages in this thread, one step each in turn."""
    while not stop.is_set():
        if errors:
            raise errors[0]
        busy = process.step(0.02) + index.step(0.02)
        drained = busy == 0 and until_drained and source_done.is_set() and not errors
        if drained and process.lag() == 0 and index.lag() == 0:
            break


def _beside_child(
    process: ProcessStage,
    index: StageProcess,
    source_done: threading.Event,
    errors: list[BaseException],
    until_drained: bool,
    stop: threading.Event,
) -> None:
    """The process stage in this thread while the index stage runs in its child process."""
    while not stop.is_set():
        if errors:
            raise errors[0]
        if index.check():
            break  # the child was stopped on its own (SIGTERM to it): stop as well
        busy = process.step()
        drained = busy == 0 and until_drained and source_done.is_set() and not errors
        if drained and process.lag() == 0:
            # Everything is on the enriched topic: the child ends once it has committed it all.
            index.drain()
            break
    else:
        index.stop()
    index.wait(stop)

"""The cyclic garbage collector's pace in a process that runs stages (or ``scamtrail extract``).

Apart from :mod:`scamtrail.runtime.consumer` so that a process that only needs the pace (the
offline ``scamtrail extract``) does not import the consumer loop, the bus and the metrics.
"""

from __future__ import annotations

import gc

#: Allocations between two young-generation runs of the cyclic garbage collector in a stage
#: process (CPython's default is 700). A batch keeps hundreds of records and their dicts alive
#: while it is handled, and at 700 the collector walks them again and again: 20-25% of the index
#: and process stages' CPU per message. Garbage without reference cycles is freed at once either
#: way; cyclic garbage waits at most this many allocations longer.
GC_YOUNG_THRESHOLD = 50_000


def settle_gc() -> None:
    """Space out the cyclic garbage collector's runs in a long-running stage process (see
    :data:`GC_YOUNG_THRESHOLD`); called where a process starts its stages."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)

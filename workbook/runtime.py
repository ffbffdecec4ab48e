"""Process-wide settings for a run over large workbooks.

Python's cyclic garbage collector walks every live object on each full collection, and a full
collection is triggered by allocations: reading and checking a department of 20,000 rows
allocates hundreds of thousands of small objects (cells, Refs, Decimals) that are all alive, so
with the default thresholds the collector's work grows with the square of the workbook. The data
read has no reference cycles worth collecting early, so a run collects far less often, and the
objects alive before the run (modules, the catalogues) are frozen out of every collection.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

_THRESHOLDS = (50_000, 50, 100)
_done = False


def for_bulk_work() -> None:
    """Once per process: the command line and each batch worker call it before reading."""
    global _done
    if _done:
        return
    _done = True
    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)


@contextmanager
def no_cycle_collection():
    """Pause the cyclic garbage collector while a read, a check or a patch makes hundreds of
    thousands of small objects and no lasting cycles: a full collection meanwhile walks the whole
    heap (a large department's Book, its relations) and once took a check from 0.6 s to 1.5 s.
    Reference counting still frees everything; the collector resumes afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

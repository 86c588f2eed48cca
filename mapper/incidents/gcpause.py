"""Pausing the cyclic garbage collector while many long-lived objects are built."""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive
    (it would rescan them again and again: half the time of reading 100,000 incidents).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _age_survivors()
            gc.enable()


def _age_survivors() -> None:
    """Move the objects made while the collector was paused to the oldest generation.

    Otherwise the first allocation after ``gc.enable()`` runs a young collection over every one
    of them (all 100,000 incidents: 0.5-0.8 s per pipeline). Freeze then unfreeze is two list
    splices and resets the young counter; the oldest generation is still collected as usual.
    Skipped when the caller froze objects of its own (unfreezing would release them).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()

"""Building many small objects at once without the cyclic garbage collector's full passes.

CPython's collector runs whenever enough container objects have been made, and now and then scans
every tracked object. Reading a large store builds hundreds of thousands of tuples, strings and
lists in one go; none of them form cycles, yet each scan walks the whole heap: at 10M edges those
passes cost over a second of a `rank` (tuples and lists are freed by reference counting all the same).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Cyclic collection off for the block (as it was after it); reference counting still frees."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()

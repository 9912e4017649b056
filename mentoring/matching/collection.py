"""A run builds hundreds of thousands of objects and keeps them all.

CPython's cyclic garbage collector runs every few hundred new objects and,
every tenth pass of every tenth, walks the whole heap of the process (a
Django worker holds a few hundred thousand objects): during a run's load
those passes find nothing to free and took 0.2–0.5 s of a 1,000 × 300 run.
"""

from __future__ import annotations

import functools
import gc


def without_cyclic_collection(function):
    """Pause the cyclic collector while `function` runs; reference counting
    still frees everything that is not in a cycle."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
            # What the run built and dropped in cycles (a profile and its
            # person point at each other) is all in the youngest generation:
            # collecting it alone is quick, and frees the rows of the load
            # (100 MB at 5,000 × 1,500) before the matrices are built.
            gc.collect(0)

    return paused

"""Timing helpers for tests/perf: ours and its floor in turn, and the ratio table.

Used through the `bench_table` fixture and `interleaved_medians` (see
tests/perf/conftest.py for how a benchmark uses them).
"""

import contextlib
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any


def interleaved_medians(*functions: Callable, runs: int = 7) -> list[float]:
    """Median wall seconds of each function, warmed, then timed in turn.

    Timing them in turn, run after run, lets a burst of load on the machine
    hit ours and its floor alike, so the ratio holds while the times move.
    """
    for function in functions:
        function()
    times = [[] for _ in functions]
    for _ in range(runs):
        for function, spent in zip(functions, times, strict=True):
            started = time.perf_counter()
            function()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


@contextlib.contextmanager
def rendered_as_a_server_renders():
    """Django's own `Template._render` while timing, not the test one.

    `setup_test_environment` (pytest-django) keeps the original aside and
    puts `instrumented_test_render` in its place: each template rendered
    sends `template_rendered`, on which the test client copies the context
    for `response.context`. No server pays that, nor does a floor of replayed
    SQL.
    """
    from django.template import Template
    from django.test.utils import _TestState

    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def in_a_fresh_thread(function: Callable[[], Any]) -> Any:
    """`function()` run on a new thread, as a server's worker thread runs a
    request; its database connections are closed when it ends.

    CPython 3.11 keeps a thread's frames in 16 KiB chunks, allocated when a
    call crosses a chunk's end and freed on the way back. Deep in pytest's
    stack a Django request crossed one back and forth: about a thousand
    mmap/munmap pairs a request, and the curator's persons list cost 26.5 ms
    of CPU there against 15.5 ms on a new thread (and in a plain process,
    and on gunicorn's threads, which start shallow); `/admin/login/` 3.7
    against 3.0 ms (2 December 2026, strace and os.times()).
    """

    def run() -> Any:
        from django.db import connections

        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@dataclass
class Row:
    measure: str
    ours: float
    floor: float
    goal: float | None
    target: float | None

    @property
    def ratio(self) -> float:
        return self.ours / self.floor


@dataclass
class BenchTable:
    # Not in its repr: a failing test's traceback would print every row.
    rows: list[Row] = field(default_factory=list, repr=False)

    def record(
        self,
        measure: str,
        *,
        ours: float,
        floor: float,
        goal: float | None,
        target: float | None = None,
    ) -> float:
        """Keep a row for the summary; return ours / floor for the test to assert.

        Times in seconds. `goal` is the ratio the test asserts (None: printed
        for information only); `target` is a later aim, printed, not asserted.
        """
        row = Row(measure, ours, floor, goal, target)
        self.rows.append(row)
        return row.ratio

    def lines(self) -> list[str]:
        width = max(len(row.measure) for row in self.rows)
        head = (
            f"{'measure':<{width}} | {'ours ms':>9} | {'floor ms':>9} | "
            f"{'ratio':>7} | goal"
        )
        lines = [head, "-" * len(head) + "-" * 20]
        for row in self.rows:
            goal = "—" if row.goal is None else f"≤ {row.goal:g}"
            if row.goal is not None and row.ratio > row.goal:
                goal += " FAILED"
            if row.target is not None:
                goal += f" (target ≤ {row.target:g}, not asserted)"
            lines.append(
                f"{row.measure:<{width}} | {row.ours * 1000:>9.1f} | "
                f"{row.floor * 1000:>9.1f} | {row.ratio:>6.2f}× | {goal}"
            )
        return lines

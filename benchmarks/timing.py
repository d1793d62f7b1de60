"""Timing for every benchmark script: medians of repeated runs, never one shot.

`measure(run, times, budget)` repeats a call up to `times` times, starting no new run once
`budget` seconds are spent (slow measurements at large sizes run once), and gives a
`Timing` (median, range, number of runs); `median_seconds` is the fixed-count form the
small benchmarks use.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


def number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.3g} ms" if value < 1 else f"{value:.3g} s"
    if unit == "MB":
        return f"{value / 1024:.2f} GB" if value >= 1024 else f"{value:.0f} MB"
    return f"{value:,.1f} {unit}" if unit == "reports/s" else f"{value:,.0f} {unit}"


# -- timing ------------------------------------------------------------------------------------


@dataclass
class Timing:
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def __str__(self) -> str:
        low, high = min(self.runs), max(self.runs)
        spread = (
            f" ({number(low, 's')} - {number(high, 's')}, {len(self.runs)} runs)" if len(self.runs) > 1 else " (1 run)"
        )
        return number(self.median, "s") + spread


def repeat(run: Callable[[], object], times: int, budget: float) -> list:
    """The results of `run`, called up to `times` times; no new call starts once
    `budget` seconds are spent (there is always one)."""
    start, results = time.perf_counter(), []
    while not results or (len(results) < times and time.perf_counter() - start < budget):
        results.append(run())
    return results


def measure(run: Callable[[], object], times: int, budget: float) -> tuple[Timing, object]:
    """Timing of `run` over its repeats, and what its last call returned (earlier
    results are let go before the next call: at large N they are whole graphs)."""
    seconds, last = [], None

    def timed() -> None:
        nonlocal last
        last = None
        start = time.perf_counter()
        last = run()
        seconds.append(time.perf_counter() - start)

    repeat(timed, times, budget)
    return Timing(seconds), last


def median_seconds(run: Callable[[], object], repeat: int = 7, warmup: int = 1) -> tuple[float, float, float]:
    """(median, min, max) wall-clock seconds of `run` over `repeat` runs after `warmup` runs."""
    for _ in range(warmup):
        run()
    timing, _ = measure(run, repeat, budget=float("inf"))
    return timing.median, min(timing.runs), max(timing.runs)


def median_process_seconds(code: str, repeat: int = 5) -> tuple[float, float, float]:
    """The same for a fresh Python process running `code` (imports included)."""

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)

    return median_seconds(run, repeat=repeat, warmup=1)


def machine() -> str:
    import os
    import platform

    return f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"

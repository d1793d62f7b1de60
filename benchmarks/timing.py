"""Timing helpers for the benchmark scripts: medians of repeated runs, never one shot."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def median_seconds(run: Callable[[], object], repeat: int = 7, warmup: int = 1) -> tuple[float, float, float]:
    """(median, min, max) wall-clock seconds of `run` over `repeat` runs after `warmup` runs."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def median_process_seconds(code: str, repeat: int = 5) -> tuple[float, float, float]:
    """The same for a fresh Python process running `code` (imports included)."""

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)

    return median_seconds(run, repeat=repeat, warmup=1)


def machine() -> str:
    import os
    import platform

    return f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"

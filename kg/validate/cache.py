"""The validation cache: what one validation pass found, kept under a hash of its data,
its shapes and the versions of pyshacl and cyberkg, so a graph that gains one report
is revalidated in the passes that changed.

Entries are small JSON files in $CYBERKG_CACHE_DIR, else $XDG_CACHE_HOME/cyberkg/validation,
else ~/.cache/cyberkg/validation; each is written atomically, and an entry that cannot be
read counts as missing. Deleting the folder is always safe.

The folder does not grow without end: reading an entry marks it used (its modification
time), and once a day (`prune`, run by validation) entries unused for MAX_AGE_DAYS are
deleted. Every edit of a corpus leaves entries no later graph asks for.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

MAX_AGE_DAYS = 30  # an entry unused this long is deleted
PRUNE_EVERY = 24 * 3600  # seconds between two prunings of one folder


def default_dir() -> Path:
    if os.environ.get("CYBERKG_CACHE_DIR"):
        return Path(os.environ["CYBERKG_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cyberkg" / "validation"


class Cache:
    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else default_dir()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list | None:
        path = self._path(key)
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: pruning keeps it
        return found

    def prune(self, max_age_days: float = MAX_AGE_DAYS, now: float | None = None) -> int:
        """Delete the entries unused for `max_age_days`, at most once every PRUNE_EVERY
        seconds per folder (a stamp file records the last time); the number deleted."""
        now = time.time() if now is None else now
        stamp = self.folder / ".pruned"
        try:
            if now - stamp.stat().st_mtime < PRUNE_EVERY:
                return 0
        except OSError:
            pass  # never pruned, or no folder yet
        if not self.folder.is_dir():
            return 0
        deleted = 0
        for entry in self.folder.glob("??/*.json"):
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime > max_age_days * 86400:
                    entry.unlink()
                    deleted += 1
        with contextlib.suppress(OSError):
            stamp.touch()
            os.utime(stamp, (now, now))
        return deleted

    def put(self, key: str, value: list) -> None:
        path = self._path(key)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:  # a cache that cannot be written only costs time
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

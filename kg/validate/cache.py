"""The validation cache: what one validation pass found, kept under a hash of its data,
its shapes and the versions of pyshacl and cyberkg, so a graph that gains one report
is revalidated in the passes that changed.

Entries are small JSON files in $CYBERKG_CACHE_DIR, else $XDG_CACHE_HOME/cyberkg/validation,
else ~/.cache/cyberkg/validation; each is written atomically, and an entry that cannot be
read counts as missing. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path


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
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

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

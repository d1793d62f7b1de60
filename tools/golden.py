"""The golden check: every file `make demo` writes, by its SHA-256, so that a change that
should not change the outputs can be shown not to (issue 17), and one that should names
the files it changed.

    python tools/golden.py write golden.txt      # run make demo into a fresh folder, list the hashes
    python tools/golden.py check golden.txt      # run it again and compare: exit 1 on any difference

Run `write` on the commit before the change and `check` after it. `write` runs make demo
twice and marks a file the two runs write differently as `unstable` (not compared: today
the pyLODE pages). The list is plain text, one `sha256  path` line per file, sorted by path.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# make demo writes here (one fixed folder, emptied first: the build report names its path)
OUT = Path(tempfile.gettempdir()) / "cyberkg-golden" / "out"
UNSTABLE = "unstable"  # the digest recorded for a file two runs of one commit write differently


def demo_hashes() -> dict[str, str]:
    """Run `make demo` with its outputs in OUT; {relative path: sha256}."""
    shutil.rmtree(OUT, ignore_errors=True)
    done = subprocess.run(["make", "demo", f"OUT={OUT}"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"make demo failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:] or ''}")
    return {
        str(p.relative_to(OUT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(OUT.rglob("*"))
        if p.is_file()
    }


def read(path: Path) -> dict[str, str]:
    hashes = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if (len(digest) != 64 and digest != UNSTABLE) or not name:
            raise SystemExit(f"{path}:{number}: expected 'sha256  path'")
        hashes[name] = digest
    return hashes


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "check"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    command, target = argv[0], Path(argv[1])
    now = demo_hashes()
    if command == "write":
        again = demo_hashes()  # a second run: what differs between the two is not the change's doing
        now = {name: digest if again.get(name) == digest else UNSTABLE for name, digest in now.items()}
        target.write_text("".join(f"{digest}  {name}\n" for name, digest in now.items()), encoding="utf-8")
        unstable = [name for name, digest in now.items() if digest == UNSTABLE]
        print(
            f"wrote the hashes of {len(now)} files to {target}"
            + (f"; not the same in two runs: {', '.join(unstable)}" if unstable else "")
        )
        return 0
    before = read(target)
    changed = sorted(n for n in before.keys() & now.keys() if before[n] not in (now[n], UNSTABLE))
    gone, new = sorted(before.keys() - now.keys()), sorted(now.keys() - before.keys())
    for label, names in (("changed", changed), ("no longer written", gone), ("new", new)):
        for name in names:
            print(f"{label}: {name}")
    if changed or gone or new:
        return 1
    unstable = sum(1 for digest in before.values() if digest == UNSTABLE)
    print(
        f"all {len(now) - unstable} files of make demo are byte-identical"
        + (f" ({unstable} not the same in two runs of one commit, not compared)" if unstable else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Scores the extractor on the development set (tests/data/devset/) and the held-out set
(tests/data/heldout/): documents in genres the samples lack, each with the positions a
careful reader expects (`NAME.expected.json`, written by hand, independently of the reader).

An expected position names a verbatim piece of its sentence, its holder (ISO3 code, an
organization key, "org:<name>" for an organization the reference data does not know, or
{"quantifier", "kind"} for an anonymous collective), who voiced it for a group
(`voiced_by`), its stance and target, and the form the holder was named in. A position
the extractor finds is right when one expected position has the same holder, stance and
target and its piece of sentence is in the position's quote.

`python tests/devset.py` prints the tables the README quotes; tests/test_devset.py holds
the targets.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"
SETS = ("devset", "heldout", "statements")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')).strip()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def holder_key(holder) -> str:
    """One spelling for a holder, expected or found: 'RUS', 'g77', 'org:access-now', 'some/delegations'."""
    if isinstance(holder, dict):
        return f"{holder['quantifier']}/{holder['kind']}"
    if holder.startswith("org:"):
        return "org:" + _slug(holder[4:])
    return holder


def found_key(position: dict) -> str:
    holder = position["holder"]
    if isinstance(holder, dict):
        return holder_key(holder)
    return f"org:{holder}" if position.get("holder_class") == "NonStateOrganization" else holder


@dataclass
class Score:
    """Counts for one document or a whole set; named and anonymous holders apart."""

    found: Counter = field(default_factory=Counter)  # kind -> positions found
    right: Counter = field(default_factory=Counter)  # kind -> found positions that are expected
    expected: Counter = field(default_factory=Counter)  # kind -> expected positions
    recalled: Counter = field(default_factory=Counter)  # kind -> expected positions found
    forms: Counter = field(default_factory=Counter)  # form -> expected named positions
    forms_recalled: Counter = field(default_factory=Counter)
    voiced: Counter = field(default_factory=Counter)  # 'right' / 'all' over recalled positions with a voice expected
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("found", "right", "expected", "recalled", "forms", "forms_recalled", "voiced"):
            getattr(self, name).update(getattr(other, name))
        self.misses += other.misses
        self.extras += other.extras

    def precision(self, kind: str = "named") -> float:
        return self.right[kind] / self.found[kind] if self.found[kind] else 1.0

    def recall(self, kind: str = "named") -> float:
        return self.recalled[kind] / self.expected[kind] if self.expected[kind] else 1.0

    def f1(self, kind: str = "named") -> float:
        p, r = self.precision(kind), self.recall(kind)
        return 2 * p * r / (p + r) if p + r else 0.0


def _kind(key: str) -> str:
    return "anonymous" if "/" in key else "named"


def score(expected: dict, got: dict, name: str = "") -> Score:
    """Compare one document's expected positions with what the extractor described."""
    s = Score()
    wanted = []
    for e in expected["positions"]:
        key = holder_key(e["holder"])
        wanted.append((_norm(e["sentence"]), key, e["stance"], e["target"], e.get("voiced_by"), e.get("form", "")))
        s.expected[_kind(key)] += 1
        if _kind(key) == "named":
            s.forms[e.get("form", "")] += 1
    found = [
        (_norm(p["quote"]), found_key(p), p["stance"], p["target"], p.get("voiced_by"))
        for p in got["positions"]
        if not p["on_topic"]
    ]
    # a treaty act told in a sentence is the annotation's stance "acted"
    found += [(_norm(a["quote"]), a["actor"], "acted", a["treaty"], None) for a in got.get("treaty_actions", [])]
    for quote, key, stance, target, _ in found:
        s.found[_kind(key)] += 1
        if any(piece in quote and (key, stance, target) == (k, st, t) for piece, k, st, t, _, _ in wanted):
            s.right[_kind(key)] += 1
        else:
            s.extras.append((name, key, stance, target, quote[:110]))
    for piece, key, stance, target, voice, form in wanted:
        hits = [f for f in found if piece in f[0] and (key, stance, target) == f[1:4]]
        if hits:
            s.recalled[_kind(key)] += 1
            if _kind(key) == "named":
                s.forms_recalled[form] += 1
            if voice:
                s.voiced["all"] += 1
                s.voiced["right"] += any(h[4] == voice for h in hits)
        else:
            s.misses.append((name, key, stance, target, form, piece[:110]))
    return s


def documents(which: str) -> list[Path]:
    return sorted((DATA / which).glob("*.expected.json"))


def run(which: str, extractor=None) -> tuple[Score, dict[str, Score]]:
    from kg.extract import Extractor
    from kg.extract.summary import summarise
    from kg.reference import load_reference

    extractor = extractor or Extractor(load_reference())
    total, per = Score(), {}
    for path in documents(which):
        name = path.name.removesuffix(".expected.json")
        expected = json.loads(path.read_text(encoding="utf-8"))
        got = summarise(extractor(path.with_name(f"{name}.txt")), extractor.iris)
        per[name] = score(expected, got, name)
        total.add(per[name])
    return total, per


def table(which: str, total: Score, per: dict[str, Score]) -> str:
    lines = [
        f"### {which}",
        "",
        "| document | named P | named R | named F1 | anonymous P | anonymous R |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in [*per.items(), ("**all**", total)]:
        lines.append(
            f"| {name} | {s.precision():.2f} ({s.right['named']}/{s.found['named']}) "
            f"| {s.recall():.2f} ({s.recalled['named']}/{s.expected['named']}) "
            f"| {s.f1():.2f} | {s.precision('anonymous'):.2f} | {s.recall('anonymous'):.2f} |"
        )
    lines += ["", "| holder form (named) | expected | found | recall |", "| --- | --- | --- | --- |"]
    for form, n in sorted(total.forms.items(), key=lambda x: -x[1]):
        lines.append(f"| {form} | {n} | {total.forms_recalled[form]} | {total.forms_recalled[form] / n:.2f} |")
    if total.voiced["all"]:
        lines.append(
            f"\nVoice ('X, speaking on behalf of G'): {total.voiced['right']} of {total.voiced['all']} found positions name who spoke."
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    for which in SETS:
        if not documents(which):
            continue
        total, per = run(which)
        print(table(which, total, per))
        print()
        if verbose:
            for miss in total.misses:
                print("MISS ", *miss)
            for extra in total.extras:
                print("EXTRA", *extra)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Scores the extractor on the UN General Debate Corpus's hand-annotated samples:
`../shared/ungdc/gold_dev.csv` (24 speeches) and `tests/data/ungdc/gold_test.csv` (40
speeches), by (holder, instrument, stance) per speech, as the annotation's README defines
them. The speeches stay in ../shared/ungdc (not in this repository); where that folder is
absent there is nothing to score.

The annotation folds "proposes" into "supports" and names instruments its own way; the
extractor's keys are mapped to it here (`INSTRUMENTS`); its `other:` names for
ICT-security instruments the reference data holds are mapped to their keys (`OTHER`, both
open-ended working groups to one). "all rows" scores every row, "cybercrime instruments"
only those on the cybercrime instruments.

`python tests/ungdc.py [-v]` prints the scores; tests/test_ungdc.py holds the floors.
`python tests/ungdc.py corpus` reads the whole corpus and writes the counts and a random
sample of the positions for review by hand (tests/data/ungdc/).
"""

from __future__ import annotations

import csv
import functools
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "ungdc"
SAMPLES = {
    "dev": (CORPUS / "dev_ids.txt", CORPUS / "gold_dev.csv"),
    "dev2": (ROOT / "tests" / "data" / "ungdc" / "dev2_ids.txt", ROOT / "tests" / "data" / "ungdc" / "gold_dev2.csv"),
    "test": (ROOT / "tests" / "data" / "ungdc" / "test_ids.txt", ROOT / "tests" / "data" / "ungdc" / "gold_test.csv"),
}
INSTRUMENTS = {
    "budapest-convention": "budapest",
    "untoc": "untoc",
    "new-global-instrument-on-cybercrime": "new-un-convention",
    "un-convention-against-cybercrime": "un-convention-against-cybercrime",
    "ga-73-187": "res-73-187",
    "ga-74-247": "res-74-247",
    "ga-75-282": "res-75-282",
    "ga-79-243": "res-79-243",
}
# the annotation's names for instruments the reference data holds apart from the cybercrime ones
OTHER = {
    "norms-responsible-state-behaviour-ict": ["UN norms of responsible State behaviour in ICT use"],
    "oewg-ict-security": [
        "OEWG on security of and in the use of ICTs 2021-2025",
        "OEWG on developments in the field of ICTs 2019-2021",
    ],
    "gge-ict-security": ["UN Group of Governmental Experts on ICTs in the context of international security (GGE)"],
    "paris-call": ["Paris Call for Trust and Security in Cyberspace"],
    "itu-global-cybersecurity-agenda": ["ITU Global Cybersecurity Agenda"],
    "international-information-security-agreement-proposed": [
        "UN agreement on international information security",
        "agreements on international information security (Belarus digital neighbourhood)",
    ],
}
GOLD_OTHER = {f"other:{name}": f"other:{key}" for key, names in OTHER.items() for name in names}
STANCES = {"proposes": "supports"}
CYBERCRIME = set(INSTRUMENTS.values())


def available() -> bool:
    return (CORPUS / "speeches").is_dir()


def speech_path(speech_id: str) -> Path:
    session, year = speech_id.split("_")[1:]
    return CORPUS / "speeches" / f"Session {session} - {year}" / f"{speech_id}.txt"


@functools.cache
def _holder(name: str) -> str:
    """The annotation's holder in the extractor's keys: 'GROUP:ASEAN' is the group the
    reference data knows by that name ('asean'), an ISO3 code or 'ANON:...' stays."""
    if not name.startswith("GROUP:"):
        return name
    from kg.iris import Iris
    from kg.reference import load_reference

    node = load_reference().actors.lookup(name.removeprefix("GROUP:"))
    return Iris().key(node) if node is not None else name


def gold(sample: str) -> tuple[list[str], set[tuple[str, str, str, str]]]:
    ids_path, rows_path = SAMPLES[sample]
    ids = [line.strip() for line in ids_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with rows_path.open(encoding="utf-8", newline="") as stream:
        rows = {
            (r["speech_id"], _holder(r["holder_iso3"]), GOLD_OTHER.get(r["instrument"], r["instrument"]), r["stance"])
            for r in csv.DictReader(stream)
        }
    return ids, rows


def _found_holder(position: dict) -> str:
    """A described position's holder as the annotation writes it: a key, or 'ANON:some/speakers'."""
    holder = position["holder"]
    return holder if isinstance(holder, str) else "ANON:" + "/".join(holder.values())


def positions_of(extractor, speech_id: str) -> set[tuple[str, str, str]]:
    """(holder, instrument key, stance) of the positions the reader finds in one speech."""
    from kg.extract.summary import summarise

    described = summarise(extractor(speech_path(speech_id)), extractor.iris)
    return {(_found_holder(p), p["target"], p["stance"]) for p in described["positions"] if not p["on_topic"]} | {
        (a["actor"], a["treaty"], "acted") for a in described["treaty_actions"]
    }  # a treaty act is the annotation's "acted"


def found(extractor, speech_id: str) -> set[tuple[str, str, str, str]]:
    """The positions of one speech in the annotation's terms."""
    return {
        (speech_id, holder, INSTRUMENTS.get(target, f"other:{target}"), STANCES.get(stance, stance))
        for holder, target, stance in positions_of(extractor, speech_id)
    }


def score(sample: str, extractor=None) -> dict:
    from kg.extract import Extractor
    from kg.reference import load_reference

    extractor = extractor or Extractor(load_reference())
    ids, expected = gold(sample)
    got = set().union(*(found(extractor, i) for i in ids))
    on = lambda rows: {r for r in rows if r[2] in CYBERCRIME}  # noqa: E731
    anonymous = lambda rows: {r for r in rows if not r[1].startswith("ANON")}  # noqa: E731
    result = {}
    for name, exp, have in (
        ("cybercrime instruments", on(expected), anonymous(on(got))),
        ("all rows", expected, anonymous(got)),
    ):
        right = exp & have
        result[name] = {
            "expected": len(exp),
            "found": len(have),
            "right": len(right),
            "precision": len(right) / len(have) if have else 1.0,
            "recall": len(right) / len(exp) if exp else 1.0,
            "misses": sorted(exp - have),
            "extras": sorted(have - exp),
        }
    result["speeches with a position that should have none"] = sorted({r[0] for r in got} - {r[0] for r in expected})
    result["counts"] = Counter(r[2] for r in got)
    return result


REVIEW = ROOT / "tests" / "data" / "ungdc" / "review_sample.csv"
SUMMARY = ROOT / "tests" / "data" / "ungdc" / "corpus_summary.md"


def corpus(sample_size: int = 60, seed: int = 16) -> None:
    """Read every speech of the corpus, write the counts (SUMMARY) and a random sample of the
    positions found for review by hand (REVIEW; verdicts already given there are kept)."""
    import random

    from kg.extract import Extractor
    from kg.extract.summary import summarise
    from kg.reference import load_reference

    extractor = Extractor(load_reference())
    paths = sorted((CORPUS / "speeches").rglob("*.txt"))
    rows, speeches_with, by_year, acts, on_topics = [], Counter(), Counter(), Counter(), []
    for n, path in enumerate(paths, start=1):
        described = summarise(extractor(path), extractor.iris)
        for p in described["positions"]:
            if p["on_topic"]:
                on_topics.append(
                    f"| {path.stem} | {_found_holder(p)} | {p['stance']} | {p['target']} | {' '.join(p['quote'].split())[:200]} |"
                )
                continue
            rows.append(
                {
                    "speech_id": path.stem,
                    "holder": _found_holder(p),
                    "instrument": p["target"],
                    "stance": p["stance"],
                    "quote": " ".join(p["quote"].split())[:200],
                }
            )
            speeches_with[path.stem] += 1
            by_year[path.stem.rsplit("_", 1)[1]] += 1
        acts.update((a["treaty"], a["action"]) for a in described["treaty_actions"])
        if n % 500 == 0:
            print(f"{n} of {len(paths)} speeches read", file=sys.stderr)
    old = {}
    if REVIEW.is_file():
        with REVIEW.open(encoding="utf-8", newline="") as stream:
            old = {
                (r["speech_id"], r["holder"], r["instrument"], r["stance"], r["quote"]): r
                for r in csv.DictReader(stream)
            }
    sample = random.Random(seed).sample(rows, min(sample_size, len(rows)))
    sample.sort(key=lambda r: (r["speech_id"], r["instrument"], r["holder"]))
    with REVIEW.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(
            stream, ["speech_id", "holder", "instrument", "stance", "quote", "verdict", "note"], lineterminator="\n"
        )
        writer.writeheader()
        for row in sample:
            kept = old.get((row["speech_id"], row["holder"], row["instrument"], row["stance"], row["quote"]), {})
            writer.writerow({**row, "verdict": kept.get("verdict", ""), "note": kept.get("note", "")})
    by_instrument, by_stance = Counter(r["instrument"] for r in rows), Counter(r["stance"] for r in rows)
    lines = [
        "# Positions found in the whole General Debate corpus (sessions 56-79, 2001-2024)",
        "",
        f"Written by `python tests/ungdc.py corpus`: {len(paths)} speeches read, {len(rows)} positions found "
        f"in {len(speeches_with)} speeches ({len(paths) - len(speeches_with)} speeches give none).",
        "",
        "| instrument | positions |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {v} |" for k, v in sorted(by_instrument.items(), key=lambda x: (-x[1], x[0]))]
    lines += ["", "| stance | positions |", "| --- | --- |"] + [
        f"| {k} | {v} |" for k, v in sorted(by_stance.items(), key=lambda x: (-x[1], x[0]))
    ]
    lines += ["", "| year | positions |", "| --- | --- |"] + [f"| {k} | {v} |" for k, v in sorted(by_year.items())]
    lines += [
        "",
        f"Treaty acts told in the speeches (treaty actions, not positions): {sum(acts.values())}.",
        "",
        "| treaty | action | told |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {t} | {a} | {v} |" for (t, a), v in sorted(acts.items(), key=lambda x: (-x[1], x[0]))]
    lines += [
        "",
        f"Stances on topics of the topic scheme (not on an instrument, so not in the review sample): {len(on_topics)}.",
        "",
        "| speech | holder | stance | topic | sentence |",
        "| --- | --- | --- | --- | --- |",
        *on_topics,
    ]
    SUMMARY.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} positions in {len(speeches_with)} of {len(paths)} speeches; wrote {SUMMARY} and {REVIEW}")


def main(argv: list[str]) -> int:
    if not available():
        print(f"{CORPUS}: not here, nothing to score")
        return 0
    if argv[:1] == ["corpus"]:
        corpus()
        return 0
    for sample in SAMPLES:
        result = score(sample)
        print(f"### {sample}")
        for name in ("cybercrime instruments", "all rows"):
            r = result[name]
            print(
                f"{name}: precision {r['precision']:.2f} ({r['right']}/{r['found']}), "
                f"recall {r['recall']:.2f} ({r['right']}/{r['expected']})"
            )
        print(
            "speeches with a position that should have none:",
            ", ".join(result["speeches with a position that should have none"]) or "none",
        )
        if "-v" in argv:
            for row in result["all rows"]["misses"]:
                print("MISS ", *row)
            for row in result["all rows"]["extras"]:
                print("EXTRA", *row)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

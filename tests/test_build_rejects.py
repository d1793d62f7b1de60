"""One report that breaks the shapes costs only that report: `cyberkg build` writes the
others, names the one left out with its violations (file and line) and exits 1; `--strict`
writes nothing. The bad report is made by a user's own rules (a quantifier the scheme does
not know), the kind of mistake a real user makes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from commands import cyberkg
from kg import resources

GOOD = (
    "A/AC.291/97\n\nReport of the Ad Hoc Committee on its fourth session\n\nIII. Summary of deliberations\n\n"
    "1. Brazil supported the Budapest Convention.\n"
)
BAD = (
    "A/AC.291/98\n\nReport of the Ad Hoc Committee on its fifth session\n\nIII. Summary of deliberations\n\n"
    "1. Dozens of delegations supported the Budapest Convention.\n"
)


def setup(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "rules"
    shutil.copytree(resources.resource_dir("rules"), rules)
    text = (rules / "positions.toml").read_text(encoding="utf-8")
    (rules / "positions.toml").write_text(
        text.replace("[holders.quantifiers]\n", '[holders.quantifiers]\ndozens = ["dozens of"]\n', 1), encoding="utf-8"
    )
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "good.txt").write_text(GOOD, encoding="utf-8")
    (reports / "bad.txt").write_text(BAD, encoding="utf-8")
    return rules, reports


def test_a_failing_report_is_left_out_and_named(tmp_path):
    rules, reports = setup(tmp_path)
    out = tmp_path / "out.trig"
    done = cyberkg("build", str(reports), "--rules", str(rules), "-o", str(out), "-q", "--no-cache")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{reports / 'bad.txt'}:7:" in done.stderr  # file and line of the paragraph
    assert "1 report(s) broke the shapes" in done.stderr
    written = out.read_text(encoding="utf-8")
    assert "A/AC.291/97" in written and "A/AC.291/98" not in written
    report = json.loads((tmp_path / "out.report.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in report["rejected"]] == [str(reports / "bad.txt")]
    assert report["rejected"][0]["violations"][0]["line"] == 7
    assert report["validation"]["conforms"] is True
    assert [Path(d["file"]).name for d in report["documents"]] == ["good.txt"]


def test_strict_writes_nothing(tmp_path):
    rules, reports = setup(tmp_path)
    out = tmp_path / "strict.trig"
    done = cyberkg("build", str(reports), "--rules", str(rules), "-o", str(out), "-q", "--strict", "--no-cache")
    assert done.returncode == 1
    assert "not written" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()

"""The wheel carries the vocabulary, shapes, queries and corpus, and an installed copy
finds them without the source tree; the README's commands and CI are wired as promised."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr}")
    (path,) = out.glob("cyberkg-*.whl")
    return path


def test_wheel_ships_the_data_folders(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for relative in (
        "ontology/cyberkg.ttl",
        "ontology/schemes.ttl",
        "ontology/topics.ttl",
        "ontology/examples/example.ttl",
        "shapes/README.md",
        "queries/README.md",
        "corpus/README.md",
        "corpus/000_b95f14e4626b4bb8.txt",
        "corpus/002_0b2aa91680a90bc9.txt",
        "reference/sources.ttl",
        "reference/instruments.ttl",
        "reference/state_names.csv",
    ):
        assert f"kg/_data/{relative}" in names, relative
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_finds_its_data_outside_the_source_tree(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from kg import resources; from kg.ontology import Vocabulary, load_ontology;"
        "d = resources.resource_dir('ontology'); assert str(d).startswith(%r), d;"
        "v = Vocabulary(load_ontology()); assert v.check() == [];"
        "from kg.reference import load_reference; assert len(load_reference().graph) > 5000;"
        "print(len(v.classes), resources.resource_dir('corpus'))" % str(site)
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, corpus = result.stdout.split()
    assert int(count) > 30
    assert corpus.startswith(str(site))


def test_ci_runs_the_readme_test_command():
    ci = ROOT / ".ci" / "run"
    assert os.access(ci, os.X_OK)
    commands = [
        line.strip() for line in ci.read_text().splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make test" in commands
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme.split("\n## ")[0] and "make test" in readme.split("\n## ")[0]


def test_ci_fails_when_a_test_fails(tmp_path: Path):
    failing = tmp_path / "test_always_fails.py"
    failing.write_text("def test_fails():\n    assert 1 == 2\n")
    passing = tmp_path / "test_always_passes.py"
    passing.write_text("def test_passes():\n    assert 1 == 1\n")
    venv = Path(sys.executable).parent.parent  # the environment running these tests
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MAKE"))}
    runs = {}
    for name, path in (("fails", failing), ("passes", passing)):
        runs[name] = subprocess.run(
            ["bash", str(ROOT / ".ci" / "run")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            env={
                **env,
                "VENV": str(venv),
                "PYTEST_ARGS": f"-p no:cacheprovider {path}",
                "CYBERKG_CI_NO_SYSTEM_PACKAGES": "1",
            },
        )
    assert runs["passes"].returncode == 0, runs["passes"].stdout + runs["passes"].stderr
    assert runs["fails"].returncode != 0
    assert "1 failed" in runs["fails"].stdout

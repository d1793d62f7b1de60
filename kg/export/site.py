"""The vocabulary as a portal serves it at the ontology IRI: the OWL ontology, concept
schemes and topics (Turtle), the JSON-LD context, the SHACL shapes, and the HTML
documentation when pyLODE is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg import resources
from kg.errors import CyberkgError


def write_vocabulary(folder: Path) -> list[Path]:
    folder = Path(folder)
    (folder / "shapes").mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(resources.resource_dir("ontology").glob("*")):
        if path.is_file() and path.suffix in (".ttl", ".jsonld"):
            written.append(Path(shutil.copyfile(path, folder / path.name)))
    for path in sorted(resources.resource_dir("shapes").glob("*.ttl")):
        written.append(Path(shutil.copyfile(path, folder / "shapes" / path.name)))
    try:
        from kg.docs import write_ontology_html

        written.append(write_ontology_html(folder / "index.html"))
    except CyberkgError:
        pass  # pyLODE is an optional extra: the Turtle is enough to serve the vocabulary
    return written

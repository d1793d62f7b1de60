"""HTML documentation of the ontology, generated with pyLODE (an optional extra).

The page is built from the vocabulary files, never written by hand: run
`cyberkg ontology docs -o PATH` or `make docs`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kg import resources
from kg.errors import CyberkgError
from kg.graphio import atomic_write
from kg.ontology import load_ontology


def write_ontology_html(destination: Path) -> Path:
    """Render the classes and properties of the ontology to one HTML page.

    Only ontology/cyberkg.ttl is rendered: pyLODE's OntPub profile merges every
    skos:ConceptScheme it sees into the page title, and its VocPub profile shows no
    concepts for our schemes, so the coded values are read in schemes.ttl and topics.ttl.
    """
    logging.disable(logging.INFO)  # pyLODE logs at INFO and DEBUG on the root logger
    try:
        html = _render(resources.resource_dir("ontology") / "cyberkg.ttl")
    finally:
        logging.disable(logging.NOTSET)
    with atomic_write(Path(destination)) as stream:
        stream.write(html)
    return Path(destination)


def _render(path: Path) -> str:
    try:
        from pylode import OntPub
    except ImportError:
        raise CyberkgError("pyLODE is not installed: install the docs extra, pip install 'cyberkg[docs]'") from None
    except Exception as error:  # some pyLODE releases fail at import time (3.4.1 on Python 3.11)
        raise CyberkgError(
            f"pyLODE could not be loaded ({error}); install the tested version: pip install 'cyberkg[docs]'"
        ) from None
    return OntPub(ontology=load_ontology([path]), sort_subjects=True).make_html()

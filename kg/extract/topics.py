"""Topics of sentences and passages: concepts of the topic scheme tagged by the cue
rules in rules/topics.toml; a passage no cue tags takes its agenda item's topics. In a
statement on the state of the world (a General Debate speech) only a passage that names
the subject has topics: there 'capacity-building' or 'human rights' may be about anything."""

from __future__ import annotations

from rdflib import URIRef

from kg.extract.model import Extraction
from kg.extract.rules import Rules
from kg.namespaces import TOPIC


def topics_of(text: str, rules: Rules) -> list[URIRef]:
    return [TOPIC[name] for name, patterns in rules.topic_patterns if any(p.search(text) for p in patterns)]


def extract_topics(extraction: Extraction, rules: Rules) -> None:
    statement = extraction.metadata.statement
    broad = statement is not None and statement.broad
    for passage in extraction.passages:
        if broad and not rules.topic_anchor.search(passage.text):
            extraction.topics[passage.path] = []
            continue
        found = topics_of(passage.text, rules)
        if not found and passage.agenda_item is not None and passage.agenda_item.title:
            found = topics_of(passage.agenda_item.title, rules)
        extraction.topics[passage.path] = found

"""Treaty acts told in a document: "Ghana acceded to the Council of Europe Convention on
Cybercrime in December 2018", "A few minutes ago, the Dominican Republic signed the United
Nations Convention against Cybercrime", "we ratified the Convention". Each becomes a treaty
action (signature, ratification, accession) of its actor on its treaty, with the sentence
as its source, beside those of the reference tables; the sentence then gives no position
of support for it (the act says more).

An act is read only where it is certain: a verb of `[acts]` in rules/positions.toml, in the
past or the present perfect, not negated and not wished for ("will sign", "intends to
ratify", "has not yet acceded" are left to the stance rules), whose subject is nothing but
a named actor or the first person of a statement's speaker, and a treaty (not a proposal,
not a resolution) after it in its clause.
"""

from __future__ import annotations

import re

from rdflib.namespace import RDF

from kg.extract.model import Extraction, TreatyAct
from kg.extract.positions import PositionReader
from kg.extract.rules import Rules
from kg.namespaces import CKG
from kg.text import MONTH_NAMES

# the date a sentence gives an act: 'in December 2018', 'on 23 November 2001', 'in 2012'
_DATE = re.compile(rf"\b(?:(?:on|in)\s+)?(?P<date>(?:\d{{1,2}}\s+)?{MONTH_NAMES}\s+\d{{4}}|\d{{4}})\b")


def extract_acts(extraction: Extraction, reader: PositionReader, rules: Rules) -> None:
    """Add to `extraction.acts` every treaty act its sentences tell."""
    graph = reader.graph
    treaties = (CKG.Treaty, CKG.Protocol)
    scope: tuple = ()
    mentioned: list = []  # the instruments named so far in the section or speech, for 'acceded to the Convention'
    for passage in extraction.passages:
        if (passage.section, passage.speech) != scope:
            scope, mentioned = (passage.section, passage.speech), []
        if not mentioned and not reader.instruments.find(passage.text):
            continue  # no treaty named in it or before it: no act to tell
        for index, sentence in enumerate(passage.sentences, start=1):
            verbs = [(action, verb) for action, pattern in rules.acts for verb in pattern.finditer(sentence)]
            found = reader.targets(sentence, mentioned) if verbs else reader.instruments_named(sentence)
            mentioned.extend((t.node, sentence[t.start : t.end]) for t in found)
            for action, verb in verbs:
                clause_start, clause_end = reader.clause(sentence, verb.start(), verb.end())
                before = sentence[clause_start : verb.start()]
                if rules.act_blockers.search(before):
                    continue
                subject = reader.holders.act_subject(before, passage)
                if subject is None:
                    continue
                targets = [
                    t
                    for t in found
                    if verb.end() <= t.start < clause_end and any((t.node, RDF.type, c) in graph for c in treaties)
                ]
                if not targets:
                    continue
                target = targets[0]
                date = _DATE.search(sentence, target.end, clause_end)
                extraction.acts.append(
                    TreatyAct(
                        subject, target.node, action, passage, index, sentence, date.group("date") if date else None
                    )
                )

"""Comparing the rows two SPARQL engines return for one query: shared by the tests that
run every canned query on several stores and by the scale benchmark (benchmarks/scale.py)."""

from __future__ import annotations

import re
from collections import Counter
from itertools import takewhile

from kg.query.results import Results


def order_variables(text: str) -> list[str]:
    """The variables of a query's ORDER BY clause, in order."""
    match = re.search(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", text, re.I | re.S)
    return re.findall(r"\?(\w+)", match.group(1)) if match else []


def differences(query_text: str, results: dict[str, Results]) -> list[str]:
    """How each store's rows differ from the first store's: compared as multisets of
    string values; when the query has ORDER BY, also the order of the ordering variables
    it returns (up to the first it does not return: ties may come in any order)."""
    (first, expected), *others = results.items()
    keys = list(takewhile(lambda v: v in expected.variables, order_variables(query_text)))
    found = []
    for store, got in others:
        if set(got.variables) != set(expected.variables):
            found.append(f"{store} returns variables {got.variables}, {first} {expected.variables}")
            continue
        want, have = Counter(expected.tuples()), Counter(Results(expected.variables, got.rows).tuples())
        if want != have:
            missing, extra = want - have, have - want
            example = next(iter(missing or extra))
            found.append(
                f"{store}: {sum(missing.values())} of {first}'s rows missing, {sum(extra.values())} extra, "
                f"e.g. {'missing' if missing else 'extra'} {example}"
            )
        elif Results(keys, got.rows).tuples() != Results(keys, expected.rows).tuples():
            found.append(
                f"{store}: same rows as {first} but not in the order of ORDER BY {' '.join('?' + k for k in keys)}"
            )
    return found

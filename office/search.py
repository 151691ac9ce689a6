"""Chinese full-text search on core PostgreSQL: CJK character bigrams plus Latin words and digits,
indexed as a ``simple`` tsvector under GIN (the way search engines' CJK analysers do it; the
embedded PostgreSQL has no zhparser or pg_trgm)."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[A-Za-z0-9]+")


def tokens(text: str) -> list[str]:
    """A text's search terms: every pair of adjacent CJK characters (single characters alone
    where a run has one), and each Latin word or number, lower-cased."""
    terms: list[str] = []
    for run in CJK.findall(text or ""):
        terms.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    terms.extend(word.lower() for word in LATIN.findall(text or ""))
    return terms


def document_text(*parts: str) -> str:
    """What goes into ``to_tsvector('simple', …)``: the terms separated by spaces."""
    return " ".join(tokens(" ".join(part or "" for part in parts)))


def query(text: str) -> SearchQuery | None:
    """All the query's terms must occur (AND), as bigrams; None for an empty query."""
    terms = tokens(text)
    if not terms:
        return None
    return SearchQuery(" & ".join(dict.fromkeys(terms)), config="simple", search_type="raw")

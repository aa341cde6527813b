"""M-6 full-text search over Chinese text, as overlapping bigrams.

SQLite's FTS5 tokenizers do not segment Chinese: unicode61 keeps a whole run of Han characters as one token and
trigram cannot find the two-character words clerks type most (占道, 张三). So each text is indexed as its
overlapping character bigrams plus the last character of every run; a query becomes a phrase of its own bigrams.
A phrase of consecutive bigrams matches exactly where the query occurs as a substring, and a one-character query
is a prefix search. Punctuation and spaces separate runs: a query is matched run by run (all runs must occur).
"""

from __future__ import annotations

import unicodedata


def _runs(text: str) -> list[str]:
    norm = unicodedata.normalize("NFKC", text).casefold()
    runs: list[str] = []
    current: list[str] = []
    for ch in norm:
        if ch.isalnum():
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _run_tokens(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(*texts: str) -> str:
    """The space-separated token string stored in the FTS table for these texts."""
    return " ".join(tok for text in texts if text for run in _runs(text) for tok in _run_tokens(run))


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a clerk's query, or None when the query has nothing searchable."""
    parts: list[str] = []
    for run in _runs(query):
        if len(run) == 1:
            parts.append(f'"{run}"*')
        else:
            # Tokens are alphanumeric only, so no quote can appear inside them.
            parts.append('"' + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + '"')
    return " AND ".join(parts) if parts else None

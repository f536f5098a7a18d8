"""What a reader typed into the search box, read once and written for either database.

The syntax is PostgreSQL's ``websearch_to_tsquery``: words are all required, ``"quoted
words"`` must appear together, ``-word`` (or ``-"a phrase"``) leaves posts out, and ``or``
between two terms accepts either. :func:`parse` reads it into a :class:`SearchQuery`, which
writes it back as a ``websearch_to_tsquery`` string for PostgreSQL and as an FTS5 query for
SQLite, each term quoted, so nothing a reader types is ever taken as the database's own
syntax (FTS5's ``NEAR``, ``*``, column filters and the rest are only words here).
"""

import re
from dataclasses import dataclass, field

MAX_LENGTH = 200
MAX_TERMS = 16

# C0 and C1 controls and DEL (NUL never reaches a view: config.middleware refuses it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryError(ValueError):
    """Search terms that cannot be searched for; the message says why, for the reader."""


@dataclass(frozen=True)
class Term:
    text: str  # one word, or several for a phrase
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return " " in self.text


@dataclass(frozen=True)
class SearchQuery:
    """Alternatives (``or``), each a list of terms that must all hold."""

    alternatives: tuple[tuple[Term, ...], ...] = field(default_factory=tuple)

    def websearch(self) -> str:
        """For PostgreSQL's ``websearch_to_tsquery``."""
        return " or ".join(
            " ".join(("-" if t.excluded else "") + f'"{t.text}"' for t in terms)
            for terms in self.alternatives
        )

    def fts5(self) -> str:
        """For SQLite's FTS5 ``MATCH``: each term a quoted string; in each alternative the
        wanted terms first, then ``NOT`` each unwanted one (FTS5's ``NOT`` is binary)."""
        alternatives = []
        for terms in self.alternatives:
            wanted = " ".join(_fts5_string(t.text) for t in terms if not t.excluded)
            unwanted = "".join(f" NOT {_fts5_string(t.text)}" for t in terms if t.excluded)
            alternatives.append(f"({wanted}){unwanted}")
        return " OR ".join(alternatives)

    def words(self) -> list[str]:
        """The wanted words, for highlighting what the database did not mark."""
        return [
            word
            for terms in self.alternatives
            for t in terms
            if not t.excluded
            for word in t.text.split()
        ]

    def __str__(self) -> str:
        return self.websearch()


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def parse(terms: str) -> SearchQuery:
    """Read what the reader typed; :class:`QueryError` says what is wrong with it."""
    terms = terms.strip()
    if not terms:
        raise QueryError("Enter one or more words to search for.")
    if len(terms) > MAX_LENGTH:
        raise QueryError(f"Search for at most {MAX_LENGTH} characters at a time.")
    if _CONTROL.search(terms):
        raise QueryError("Search terms cannot contain control characters.")
    alternatives: list[tuple[Term, ...]] = []
    current: list[Term] = []
    count = 0
    for match in _TOKEN.finditer(terms):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            if current:
                alternatives.append(tuple(current))
                current = []
            continue
        excluded = bool(minus) or (bare is not None and bare.startswith("-"))
        text = quoted if quoted is not None else bare.lstrip("-")
        # Only letters and digits are searched: punctuation separates words, as the indexes'
        # tokenizers do, and a term of nothing else finds nothing.
        words = re.findall(r"\w+", text)
        if not words:
            continue
        count += 1
        if count > MAX_TERMS:
            raise QueryError(f"Search for at most {MAX_TERMS} words or phrases at a time.")
        current.append(Term(" ".join(words), excluded=excluded))
    if current:
        alternatives.append(tuple(current))
    if not alternatives:
        raise QueryError("Search for words or numbers: punctuation alone finds nothing.")
    if any(all(term.excluded for term in terms) for terms in alternatives):
        raise QueryError(
            "A minus sign leaves a word out: add at least one word to look for with it."
        )
    return SearchQuery(tuple(alternatives))

"""The lexical index kept in the claims database itself: SQLite FTS5, PostgreSQL full-text search.

Both cover a claim's text and its title, and are kept in step with the claims table by the
database (migrations 0010, 0012): an FTS5 table fed by triggers on SQLite, a GIN index over the
text and title as one ``tsvector`` on PostgreSQL. They change in the same transaction as the
claims, so a crash can never leave them apart.
"""

from __future__ import annotations

import functools
import re

import snowballstemmer
from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    String,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from crosscheck.claims.models import Claim

FTS_TABLE = "claims_fts"
PG_INDEX = "ix_claims_text_search"
# The text search configuration of the PostgreSQL expression index, and what the index covers
# (migration 0012): the claim's words and its title's, as one document. A query must spell the
# same expression for the index to serve it.
PG_CONFIG = "english"
PG_DOCUMENT = f"to_tsvector('{PG_CONFIG}', claims.text || ' ' || coalesce(claims.title, ''))"
# The rarest words count most; beyond this many a query only gets slower, not better.
MAX_TERMS = 32
# On SQLite a query's time follows how many claims hold its words: in a large store, words held
# by more than this share of the claims are left out (they barely move BM25), keeping at least
# the rarest MIN_TERMS. Only words held by more than COMMON_MIN_CLAIMS claims go: leaving out
# words held by 1,000 of 10,000 claims cost 0.07 of lexical MAP@5 on the CheckThat! dev tweets.
COMMON_SHARE = 0.05
COMMON_MIN_CLAIMS = 50_000
MIN_TERMS = 3

_TERM = re.compile(r"[^\W_]{2,}")

_fts = table(FTS_TABLE, column("rowid"))
_STEMMER = snowballstemmer.stemmer("porter")


def not_in_models(name: str | None, kind: str) -> bool:
    """Whether ``name`` is part of the lexical index, which migrations make and no model maps
    (the FTS5 table and its shadow tables, the PostgreSQL expression index)."""
    if name is None:
        return False
    return (kind == "table" and name.startswith(FTS_TABLE)) or (
        kind == "index" and name == PG_INDEX
    )


@functools.cache
def _stop_words() -> frozenset[str]:
    # Read on first use: importing scikit-learn would slow every CLI command's start.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def lexical_terms(query: str) -> list[str]:
    """The words of ``query`` that a lexical match may use: lowercased, stop words out, each
    once, at most ``MAX_TERMS``."""
    seen: dict[str, None] = {}
    for term in _TERM.findall(query.lower()):
        if term not in _stop_words():
            seen.setdefault(term, None)
    return list(seen)[:MAX_TERMS]


def search_lexical(
    *,
    session: Session,
    query: str,
    limit: int,
    conditions: list[ColumnElement[bool]] | None = None,
) -> list[tuple[int, float]]:
    """Claim ids and scores (higher is better) of the best lexical matches, any term counting
    (BM25 on SQLite, cover density ranking on PostgreSQL); only claims meeting ``conditions``."""
    terms = lexical_terms(query)
    if not terms or limit < 1:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgresql(session, terms, limit, conditions or [])
    return _search_sqlite(session, terms, limit, conditions or [])


def _rarest(session: Session, terms: list[str]) -> list[str]:
    """``terms`` rarest first, the common ones left out (see ``COMMON_SHARE``); the vocabulary
    table counts stems, so each word is stemmed as the FTS5 porter tokenizer stems it."""
    stems = {term: _STEMMER.stemWord(term) for term in terms}
    placeholders = ", ".join(f":s{i}" for i in range(len(stems)))
    held: dict[str, int] = dict(
        session.execute(
            text(f"SELECT term, doc FROM {FTS_TABLE}_vocab WHERE term IN ({placeholders})"),
            {f"s{i}": stem for i, stem in enumerate(stems.values())},
        ).all()
    )
    # Ids are never reused, so the highest is an upper bound of the claims held, read at once.
    claims = session.scalar(select(func.max(Claim.id))) or 0
    ordered = sorted(terms, key=lambda term: held.get(stems[term], 0))
    common = max(COMMON_SHARE * claims, COMMON_MIN_CLAIMS)
    kept = [term for term in ordered if held.get(stems[term], 0) <= common]
    return kept if len(kept) >= MIN_TERMS else ordered[:MIN_TERMS]


def _search_sqlite(
    session: Session, terms: list[str], limit: int, conditions: list[ColumnElement[bool]]
) -> list[tuple[int, float]]:
    match = " OR ".join(f'"{term}"' for term in _rarest(session, terms))
    # bm25() is lower for better matches; FTS5 reads it only in a query on the FTS table.
    score = func.bm25(literal_column(FTS_TABLE), type_=Float)
    statement = (
        select(_fts.c.rowid, score)
        .where(literal_column(FTS_TABLE).op("MATCH")(match))
        .order_by(score)
        .limit(limit)
    )
    if conditions:
        statement = statement.join(Claim, Claim.id == _fts.c.rowid).where(*conditions)
    return [(int(claim_id), -float(value)) for claim_id, value in session.execute(statement)]


def _search_postgresql(
    session: Session, terms: list[str], limit: int, conditions: list[ColumnElement[bool]]
) -> list[tuple[int, float]]:
    statement = postgresql_query(terms, limit, conditions)
    return [(int(claim_id), float(value)) for claim_id, value in session.execute(statement)]


def postgresql_query(
    terms: list[str], limit: int, conditions: list[ColumnElement[bool]]
) -> Select[int, float]:
    """The ranked full-text query; its document is spelled as the index's, so the index
    serves it."""
    config = literal_column(f"'{PG_CONFIG}'::regconfig", type_=String)
    document: ColumnElement[str] = literal_column(PG_DOCUMENT, type_=String)
    # Terms are letters and digits only, so they are safe inside a tsquery.
    query = func.to_tsquery(config, text(":terms").bindparams(terms=" | ".join(terms)))
    score = func.ts_rank_cd(document, query, type_=Float)
    statement = (
        select(Claim.id, score)
        .where(document.op("@@")(query), *conditions)
        .order_by(score.desc(), Claim.id)
        .limit(limit)
    )
    return statement


def rebuild_lexical_index(session: Session) -> None:
    """Rebuild the lexical index from the claims table (``crosscheck reindex``)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"REINDEX INDEX {PG_INDEX}"))
    else:
        session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    session.commit()

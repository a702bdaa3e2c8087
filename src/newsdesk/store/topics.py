"""Query expansion across languages by the topic lexicon: "Hochwasser" also asks for "flood*", "inundaci*".

The enrich stage's topics name each news topic in English, German and Spanish; a query that names a topic
is searched again with every cue of that topic (prefix cues as prefixes), as one more ranking to fuse.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from newsdesk.enrich.entities.words import topic_patterns
from newsdesk.store.search import SearchFilters, _filter_sql, _ids_of_rowids, _postgres_query
from newsdesk.text import read_rows


@cache
def topic_cues() -> dict[str, tuple[str, ...]]:
    """Each topic's cues (a trailing * matches any ending)."""
    return {
        topic: tuple(c.strip() for c in cues.split("|") if c.strip())
        for topic, cues in read_rows("topics.tsv")
    }


def query_topics(query: str) -> list[str]:
    """The topics the query names."""
    lowered = query.lower()
    return [topic for topic, pattern in topic_patterns() if pattern.search(lowered)]


def expansion_cues(query: str) -> list[str]:
    """Every cue of every topic the query names."""
    cues = topic_cues()
    return list(dict.fromkeys(cue for topic in query_topics(query) for cue in cues.get(topic, ())))


def fts5_cue(cue: str) -> str:
    """A cue as an FTS5 phrase ("flash flood*" → "flash flood"*)."""
    phrase = cue.removesuffix("*").replace('"', "")
    return f'"{phrase}"' + ("*" if cue.endswith("*") else "")


def topic_article_ids(session: Session, query: str, filters: SearchFilters | None, limit: int) -> list[str]:
    """Articles that name the query's topics in any language, best BM25 first."""
    cues = expansion_cues(query)
    if not cues:
        return []
    params: dict[str, Any] = {"limit": limit}
    where = _filter_sql(filters or SearchFilters(), params)
    if session.get_bind().dialect.name == "sqlite":
        params["match"] = " OR ".join(fts5_cue(c) for c in cues)
        join = " JOIN articles a ON a.rowid = f.rowid" if where else ""
        sql = (
            f"SELECT f.rowid FROM articles_fts f{join} WHERE articles_fts MATCH :match{where} "
            "ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT :limit"
        )
        return _ids_of_rowids(session, [int(r[0]) for r in session.execute(text(sql), params)])
    words = [[c.removesuffix("*")] for c in cues]
    tsquery = _postgres_query(words, True, params)
    sql = (
        f"SELECT a.id FROM articles a WHERE a.search_vector @@ {tsquery}{where} "
        f"ORDER BY ts_rank(a.search_vector, {tsquery}) DESC LIMIT :limit"
    )
    return [str(r[0]) for r in session.execute(text(sql), params)]

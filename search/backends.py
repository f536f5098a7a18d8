"""The two databases' ways of running a :class:`~search.query.SearchQuery` over the index of
``search/index.py``; :func:`backend` picks the one for the site's database.

Each answers two questions in one query each: which posts match, best first, one page of
them with the total (:meth:`find`), and the excerpts of that page's posts and titles, with
the matched words between :data:`MARK_START` and :data:`MARK_END` (:meth:`excerpts`).
A post matches by its body or, for a topic's opening post, by the topic's title, which
counts for more in the ranking.
"""

from dataclasses import dataclass

from django.db import connection

from forum.models import Post, Topic

from .index import CONFIG
from .query import SearchQuery

# Private-use characters around matched words: the excerpt is escaped as text first, then
# these become <mark> tags (``search.selectors``).
MARK_START, MARK_END = "\ue000", "\ue001"
ELLIPSIS = "…"
EXCERPT_WORDS = 30


@dataclass(frozen=True)
class Filters:
    include_hidden: bool = False  # moderators only
    forum_ids: tuple[int, ...] = ()
    author_id: int | None = None


@dataclass(frozen=True)
class Hit:
    post_id: int
    by_title: bool  # the topic's title matched; the post is its opening post


@dataclass(frozen=True)
class Excerpts:
    bodies: dict[int, str]  # post id: excerpt, for the posts whose body matched
    titles: dict[int, str]  # topic id: title, for the titles that matched


def _where(filters: Filters) -> tuple[str, list]:
    clauses, params = [], []
    if not filters.include_hidden:
        clauses.append("p.status = %s AND t.status IN (%s, %s)")
        params += [Post.Status.PUBLISHED, *Topic.VISIBLE_STATUSES]
    if filters.forum_ids:
        clauses.append(f"t.forum_id IN ({', '.join(['%s'] * len(filters.forum_ids))})")
        params += list(filters.forum_ids)
    if filters.author_id is not None:
        clauses.append("p.author_id = %s")
        params.append(filters.author_id)
    return (" AND ".join(clauses) or "TRUE"), params


def _find(
    found: str, match_params: list, filters: Filters, *, best: str, limit: int, offset: int
) -> tuple[int, list[Hit]]:
    """One page of the posts ``found`` (a CTE list ending in ``found (post_id, score,
    by_title)``, a post once per way it matched) best first, and their total, for
    ``filters``. ``best`` is the order of the scores that come first ("DESC" or "ASC")."""
    where, params = _where(filters)
    sql = f"""
        WITH {found},
        hits AS (
            SELECT post_id, sum(score) AS score, max(by_title) AS by_title
            FROM found GROUP BY post_id
        )
        SELECT p.id, hits.by_title, count(*) OVER ()
        FROM hits
        JOIN forum_post p ON p.id = hits.post_id
        JOIN forum_topic t ON t.id = p.topic_id
        WHERE {where}
        ORDER BY hits.score {best}, p.id DESC
        LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *params, limit, offset])
        rows = cursor.fetchall()
    total = rows[0][2] if rows else 0
    return total, [Hit(post_id, bool(by_title)) for post_id, by_title, _ in rows]


class PostgresBackend:
    def find(
        self, query: SearchQuery, filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Hit]]:
        found = f"""
            query AS (SELECT websearch_to_tsquery('{CONFIG}'::regconfig, %s) AS q),
            found AS (
                SELECT d.post_id, ts_rank(d.document, query.q) AS score, 0 AS by_title
                FROM search_post_document d, query WHERE d.document @@ query.q
                UNION ALL
                SELECT t.first_post_id,
                       ts_rank(setweight(to_tsvector('{CONFIG}'::regconfig, t.title), 'A'),
                               query.q),
                       1
                FROM forum_topic t, query
                WHERE to_tsvector('{CONFIG}'::regconfig, t.title) @@ query.q
                  AND t.first_post_id IS NOT NULL
            )
        """
        return _find(found, [query.websearch()], filters, best="DESC", limit=limit, offset=offset)

    def excerpts(self, query: SearchQuery, post_ids: list[int]) -> Excerpts:
        if not post_ids:
            return Excerpts({}, {})
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={EXCERPT_WORDS}, "
            f'MinWords={EXCERPT_WORDS // 2}, MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
        )
        sql = f"""
            WITH query AS (SELECT websearch_to_tsquery('{CONFIG}'::regconfig, %s) AS q)
            SELECT p.id, p.topic_id,
                   d.document @@ query.q,
                   ts_headline('{CONFIG}'::regconfig, p.body, query.q, %s),
                   to_tsvector('{CONFIG}'::regconfig, t.title) @@ query.q,
                   ts_headline('{CONFIG}'::regconfig, t.title, query.q, %s)
            FROM query
            CROSS JOIN forum_post p
            JOIN search_post_document d ON d.post_id = p.id
            JOIN forum_topic t ON t.id = p.topic_id
            WHERE p.id = ANY(%s)
        """
        title_options = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
        with connection.cursor() as cursor:
            cursor.execute(sql, [query.websearch(), options, title_options, post_ids])
            rows = cursor.fetchall()
        bodies = {post_id: text for post_id, _, matches, text, _, _ in rows if matches}
        titles = {topic_id: title for _, topic_id, _, _, matches, title in rows if matches}
        return Excerpts(bodies, titles)


class SqliteBackend:
    # FTS5's bm25() is lower for better matches; a title's counts three times a body's.
    TITLE_WEIGHT = 3.0

    def find(
        self, query: SearchQuery, filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Hit]]:
        found = f"""
            found AS (
                SELECT rowid AS post_id, bm25(search_post_fts) AS score, 0 AS by_title
                FROM search_post_fts WHERE search_post_fts MATCH %s
                UNION ALL
                SELECT t.first_post_id, bm25(search_topic_fts) * {self.TITLE_WEIGHT}, 1
                FROM search_topic_fts JOIN forum_topic t ON t.id = search_topic_fts.rowid
                WHERE search_topic_fts MATCH %s AND t.first_post_id IS NOT NULL
            )
        """
        match = query.fts5()
        return _find(found, [match, match], filters, best="ASC", limit=limit, offset=offset)

    def excerpts(self, query: SearchQuery, post_ids: list[int]) -> Excerpts:
        if not post_ids:
            return Excerpts({}, {})
        keys = ", ".join(["%s"] * len(post_ids))
        sql = f"""
            SELECT 'post', rowid,
                   snippet(search_post_fts, 0, %s, %s, %s, {EXCERPT_WORDS})
            FROM search_post_fts
            WHERE search_post_fts MATCH %s AND rowid IN ({keys})
            UNION ALL
            SELECT 'topic', rowid, highlight(search_topic_fts, 0, %s, %s)
            FROM search_topic_fts
            WHERE search_topic_fts MATCH %s
              AND rowid IN (SELECT topic_id FROM forum_post WHERE id IN ({keys}))
        """
        match = query.fts5()
        params = [MARK_START, MARK_END, ELLIPSIS, match, *post_ids]
        params += [MARK_START, MARK_END, match, *post_ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return Excerpts(
            {key: text for kind, key, text in rows if kind == "post"},
            {key: text for kind, key, text in rows if kind == "topic"},
        )


def backend() -> PostgresBackend | SqliteBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"Search supports PostgreSQL and SQLite, not {connection.vendor}.")

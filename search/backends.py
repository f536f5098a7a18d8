"""The two databases' ways of running a :class:`~search.query.SearchQuery` over the index of
``search/index.py``; :func:`backend` picks the one for the site's database.

Each answers two questions in one query each: which posts match, best first, one page of
them with the total (:meth:`find`: the :data:`WINDOW` most recent matches, ranked), and the
excerpts of that page's posts and titles, with
the matched words between :data:`MARK_START` and :data:`MARK_END` (:meth:`excerpts`).
A post matches by its body or, for a topic's opening post, by the topic's title, which
counts for more in the ranking.
"""

from dataclasses import dataclass

from django.db import connection

from forum.models import Post

from .index import CONFIG, VISIBLE_TOPIC
from .query import SearchQuery

# Private-use characters around matched words: the excerpt is escaped as text first, then
# these become <mark> tags (``search.selectors``).
MARK_START, MARK_END = "\ue000", "\ue001"
ELLIPSIS = "…"
EXCERPT_WORDS = 30
# The most recent matches a search ranks (of bodies, and of titles). Ranking every match of
# a common word (one post in thirteen says "protein") cost a quarter of a second on SQLite
# with a million posts; a search matching more says so and ranks its most recent ones.
WINDOW = 1_000


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


def _where(
    filters: Filters,
    *,
    visible: str = f"p.status = '{Post.Status.PUBLISHED}' AND t.status IN {VISIBLE_TOPIC}",
    forum: str = "t.forum_id",
    author: str = "p.author_id",
) -> tuple[str, list]:
    """The filters as SQL over the given columns (by default those of ``p``, the post, and
    ``t``, its topic), and their parameters."""
    clauses, params = [], []
    if not filters.include_hidden:
        clauses.append(visible)
    if filters.forum_ids:
        clauses.append(f"{forum} IN ({', '.join(['%s'] * len(filters.forum_ids))})")
        params += list(filters.forum_ids)
    if filters.author_id is not None:
        clauses.append(f"{author} = %s")
        params.append(filters.author_id)
    return (" AND ".join(clauses) or "TRUE"), params


def _find(
    body: tuple[str, list], title: tuple[str, list], *, limit: int, offset: int
) -> tuple[int, list[Hit]]:
    """One page of hits, best first, and how many there are (at most ``2 * (WINDOW + 1)``).

    ``body`` and ``title`` are SQL with its parameters for the posts whose body matched and
    the opening posts whose topic's title did, each ``(post_id, score, by_title)``, newest
    first, at most ``WINDOW + 1`` of each. Lower scores come first.
    """
    (body_sql, body_params), (title_sql, title_params) = body, title
    sql = f"""
        WITH body AS ({body_sql}), title AS ({title_sql}),
        hits AS (
            SELECT post_id, sum(score) AS score, max(by_title) AS by_title
            FROM (SELECT * FROM body UNION ALL SELECT * FROM title) AS found
            GROUP BY post_id
        )
        SELECT post_id, by_title, count(*) OVER () FROM hits
        ORDER BY score, post_id DESC
        LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*body_params, *title_params, limit, offset])
        rows = cursor.fetchall()
    total = rows[0][2] if rows else 0
    return total, [Hit(post_id, bool(by_title)) for post_id, by_title, _ in rows]


class PostgresBackend:
    # A title that matches counts as much as any body could (ts_rank gives a body up to
    # about 0.1 with the default weights): title matches come first, newest first, and an
    # opening post matching by both comes before either. Ranking each matching title anew
    # (to_tsvector on the title) cost more than the rest of a search for a common word.
    TITLE_SCORE = 1.0

    def find(
        self, query: SearchQuery, filters: Filters, *, limit: int, offset: int
    ) -> tuple[int, list[Hit]]:
        # The query is written into the statement (Django's psycopg binds parameters on the
        # client), so the planner knows how common its words are: for a common one it walks
        # the newest rows and stops at the window, for a rare one it asks the GIN index.
        # ts_rank is higher for better matches: negated, so that lower comes first.
        tsquery = f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
        where, params = _where(
            filters, visible="d.visible", forum="d.forum_id", author="d.author_id"
        )
        body = (
            f"""
            SELECT d.post_id, -ts_rank(d.document, {tsquery}) AS score, 0 AS by_title
            FROM search_post_document d
            WHERE d.document @@ {tsquery} AND {where}
            ORDER BY d.post_id DESC LIMIT {WINDOW + 1}
            """,
            [query.websearch(), query.websearch(), *params],
        )
        # A visible topic's title, then its opening post, checked after the window: a topic
        # is visible with its opening post in all but a corner (an opening post held again),
        # and reading each matching topic's post first cost most of the search.
        topic_where, topic_params = _where(
            Filters(forum_ids=filters.forum_ids, include_hidden=filters.include_hidden),
            visible=f"t.status IN {VISIBLE_TOPIC}",
        )
        post_where, post_params = _where(
            Filters(author_id=filters.author_id, include_hidden=filters.include_hidden),
            visible=f"p.status = '{Post.Status.PUBLISHED}'",
        )
        title = (
            f"""
            SELECT p.id, matched.score, 1
            FROM (
                SELECT t.first_post_id, {-self.TITLE_SCORE} AS score
                FROM forum_topic t
                WHERE to_tsvector('{CONFIG}'::regconfig, t.title) @@ {tsquery}
                  AND t.first_post_id IS NOT NULL AND {topic_where}
                ORDER BY t.id DESC LIMIT {WINDOW + 1}
            ) AS matched
            JOIN forum_post p ON p.id = matched.first_post_id
            WHERE {post_where}
            """,
            [query.websearch(), *topic_params, *post_params],
        )
        return _find(body, title, limit=limit, offset=offset)

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
        # bm25() is lower for better matches. Each FTS5 scan runs newest first and stops at
        # the window, and bm25() is worked out only for the rows it hands on.
        match = query.fts5()
        where, params = _where(filters)
        body = (
            f"""
            SELECT f.rowid AS post_id, bm25(search_post_fts) AS score, 0 AS by_title
            FROM search_post_fts f
            JOIN forum_post p ON p.id = f.rowid
            JOIN forum_topic t ON t.id = p.topic_id
            WHERE search_post_fts MATCH %s AND {where}
            ORDER BY f.rowid DESC LIMIT {WINDOW + 1}
            """,
            [match, *params],
        )
        title = (
            f"""
            SELECT p.id, bm25(search_topic_fts) * {self.TITLE_WEIGHT}, 1
            FROM search_topic_fts s
            JOIN forum_topic t ON t.id = s.rowid
            JOIN forum_post p ON p.id = t.first_post_id
            WHERE search_topic_fts MATCH %s AND {where}
            ORDER BY s.rowid DESC LIMIT {WINDOW + 1}
            """,
            [match, *params],
        )
        return _find(body, title, limit=limit, offset=offset)

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

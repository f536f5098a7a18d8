"""The full-text index of posts and topic titles, kept by the database itself.

Triggers on ``forum_post`` and ``forum_topic`` update the index in the statement that changes
a post's body or a topic's title, so it follows every write in that write's transaction:
the services, the admin, bulk ``update()``s, imports and deletes alike, with nothing in
``forum`` knowing that search exists. Moderation, moves, merges and splits change no text:
on SQLite what a reader may see is read from the posts and topics when searching; on
PostgreSQL the triggers copy it onto the post's row (below).

- PostgreSQL: ``search_post_document`` holds each post's ``tsvector`` (``english``
  configuration) under a GIN index, with what a search filters on (whether readers may see
  the post, its forum, its author), so that a reader's search reads this one table: its
  planner then walks the newest rows for a common word and the GIN index for a rare one.
  Topic titles are searched through a GIN index on the expression
  ``to_tsvector('english', title)``, titles being short enough to rank anew.
- SQLite: two FTS5 tables with external content (the posts' ``body`` and the topics'
  ``title`` columns, read back for excerpts), Porter stemming over ``unicode61``.

:func:`rebuild` empties the index and fills it again from the rows (``manage.py
rebuild_search_index``); the migration that installs the triggers calls it too, for the posts
written before it (the seeded guide).
"""

from collections.abc import Callable

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from forum.models import Post, Topic

CONFIG = "english"  # PostgreSQL's text search configuration; changing it needs a rebuild

PUBLISHED = f"{Post.Status.PUBLISHED}"
VISIBLE_TOPIC = "(" + ", ".join(f"'{status}'" for status in Topic.VISIBLE_STATUSES) + ")"

# A post's row: its document, and what the search filters on, so that a reader's search reads
# this table alone: whether readers may see the post (published, in a visible topic), its
# topic's forum and its author. Each trigger keeps its part: a post written or edited
# (everything), a post's status, topic or author changed (its place), a topic's status or
# forum changed (the place of each of its posts).
_PLACE = f"""
    visible = (p.status = '{PUBLISHED}' AND t.status IN {VISIBLE_TOPIC}),
    forum_id = t.forum_id,
    author_id = p.author_id
"""

# The index's row of each post ``p`` (its topic ``t``), for the triggers and the rebuild; in an
# AFTER trigger the row written is already visible to it.
_POST_ROWS = f"""
    SELECT p.id, p.status = '{PUBLISHED}' AND t.status IN {VISIBLE_TOPIC},
           t.forum_id, p.author_id, to_tsvector('{CONFIG}'::regconfig, p.body)
    FROM forum_post p JOIN forum_topic t ON t.id = p.topic_id
"""
_COLUMNS = "(post_id, visible, forum_id, author_id, document)"

POSTGRESQL_INSTALL = [
    """
    CREATE TABLE search_post_document (
        post_id bigint PRIMARY KEY,
        visible boolean NOT NULL,
        forum_id bigint NOT NULL,
        author_id bigint NOT NULL,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX search_post_document_gin ON search_post_document USING gin (document)",
    f"""
    CREATE INDEX search_topic_title_gin ON forum_topic
    USING gin (to_tsvector('{CONFIG}'::regconfig, title))
    """,
    f"""
    CREATE FUNCTION search_post_document_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_post_document {_COLUMNS}
        {_POST_ROWS} WHERE p.id = NEW.id
        ON CONFLICT (post_id) DO UPDATE SET
            visible = EXCLUDED.visible, forum_id = EXCLUDED.forum_id,
            author_id = EXCLUDED.author_id, document = EXCLUDED.document;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION search_post_document_place() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_post_document d SET {_PLACE}
        FROM forum_post p JOIN forum_topic t ON t.id = p.topic_id
        WHERE p.id = NEW.id AND d.post_id = p.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION search_topic_posts_place() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_post_document d SET {_PLACE}
        FROM forum_post p JOIN forum_topic t ON t.id = p.topic_id
        WHERE t.id = NEW.id AND d.post_id = p.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION search_topic_posts_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_post_document {_COLUMNS}
        {_POST_ROWS} WHERE t.id = NEW.id
        ON CONFLICT (post_id) DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION search_post_document_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_post_document WHERE post_id = OLD.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION search_post_document_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_post_document;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_post_inserted AFTER INSERT ON forum_post
    FOR EACH ROW EXECUTE FUNCTION search_post_document_write()
    """,
    """
    CREATE TRIGGER search_post_edited AFTER UPDATE OF body ON forum_post
    FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION search_post_document_write()
    """,
    """
    CREATE TRIGGER search_post_placed AFTER UPDATE OF status, topic_id, author_id ON forum_post
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.topic_id IS DISTINCT FROM NEW.topic_id
        OR OLD.author_id IS DISTINCT FROM NEW.author_id
    )
    EXECUTE FUNCTION search_post_document_place()
    """,
    """
    CREATE TRIGGER search_topic_placed AFTER UPDATE OF status, forum_id ON forum_topic
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status OR OLD.forum_id IS DISTINCT FROM NEW.forum_id
    )
    EXECUTE FUNCTION search_topic_posts_place()
    """,
    # A post inserted before its topic (foreign keys are checked at commit: an importer may
    # write in any order) found no topic to index it with; its topic's insert does it.
    """
    CREATE TRIGGER search_topic_inserted AFTER INSERT ON forum_topic
    FOR EACH ROW EXECUTE FUNCTION search_topic_posts_write()
    """,
    """
    CREATE TRIGGER search_post_deleted AFTER DELETE ON forum_post
    FOR EACH ROW EXECUTE FUNCTION search_post_document_delete()
    """,
    # Django's ``flush`` (between tests, ``manage.py flush``) truncates the posts.
    """
    CREATE TRIGGER search_post_truncated AFTER TRUNCATE ON forum_post
    FOR EACH STATEMENT EXECUTE FUNCTION search_post_document_truncate()
    """,
]

POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER search_post_truncated ON forum_post",
    "DROP TRIGGER search_post_deleted ON forum_post",
    "DROP TRIGGER search_topic_inserted ON forum_topic",
    "DROP TRIGGER search_topic_placed ON forum_topic",
    "DROP TRIGGER search_post_placed ON forum_post",
    "DROP TRIGGER search_post_edited ON forum_post",
    "DROP TRIGGER search_post_inserted ON forum_post",
    "DROP FUNCTION search_post_document_truncate()",
    "DROP FUNCTION search_post_document_delete()",
    "DROP FUNCTION search_topic_posts_write()",
    "DROP FUNCTION search_topic_posts_place()",
    "DROP FUNCTION search_post_document_place()",
    "DROP FUNCTION search_post_document_write()",
    "DROP INDEX search_topic_title_gin",
    "DROP TABLE search_post_document",
]

_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _sqlite_fts(fts: str, content: str, column: str) -> list[str]:
    """The FTS5 table ``fts`` over ``content.column`` and the triggers that keep it, in the
    shape SQLite's documentation gives for external content tables."""
    return [
        f"""
        CREATE VIRTUAL TABLE {fts} USING fts5(
            {column}, content='{content}', content_rowid='id', tokenize='{_TOKENIZER}'
        )
        """,
        f"""
        CREATE TRIGGER {fts}_inserted AFTER INSERT ON {content} BEGIN
            INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column});
        END
        """,
        f"""
        CREATE TRIGGER {fts}_deleted AFTER DELETE ON {content} BEGIN
            INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});
        END
        """,
        f"""
        CREATE TRIGGER {fts}_edited AFTER UPDATE OF {column} ON {content}
        WHEN old.{column} IS NOT new.{column} BEGIN
            INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});
            INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column});
        END
        """,
    ]


SQLITE_INSTALL = [
    *_sqlite_fts("search_post_fts", "forum_post", "body"),
    *_sqlite_fts("search_topic_fts", "forum_topic", "title"),
]

SQLITE_UNINSTALL = [
    f"DROP TRIGGER {fts}_{event}"
    for fts in ("search_post_fts", "search_topic_fts")
    for event in ("inserted", "deleted", "edited")
] + ["DROP TABLE search_post_fts", "DROP TABLE search_topic_fts"]


def _statements(vendor: str, postgresql: list[str], sqlite: list[str]) -> list[str]:
    if vendor == "postgresql":
        return postgresql
    if vendor == "sqlite":
        return sqlite
    raise NotImplementedError(f"Search supports PostgreSQL and SQLite, not {vendor}.")


def install(db: BaseDatabaseWrapper) -> None:
    """Create the index and its triggers on ``db``, and fill it from the rows."""
    with db.cursor() as cursor:
        for statement in _statements(db.vendor, POSTGRESQL_INSTALL, SQLITE_INSTALL):
            cursor.execute(statement)
    rebuild(db)


def uninstall(db: BaseDatabaseWrapper) -> None:
    with db.cursor() as cursor:
        for statement in _statements(db.vendor, POSTGRESQL_UNINSTALL, SQLITE_UNINSTALL):
            cursor.execute(statement)


BATCH = 20_000


def rebuild(
    db: BaseDatabaseWrapper = connection,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Empty the index and fill it again from every post and topic; returns what it holds.

    On PostgreSQL the posts go in batches of :data:`BATCH` by key, each one statement, with
    ``progress(what, done, total)`` called after each; on SQLite FTS5's ``rebuild`` command
    reads each content table in one statement. Run it inside a transaction (the command
    does) so that readers see the old index until the new one is whole; writers of posts
    and topics wait until it commits. On PostgreSQL the
    old rows stay in the table's files as dead space until a VACUUM (which the command runs)
    lets later writes reuse it: the files hold up to twice the index after a rebuild.
    """
    report = progress or (lambda what, done, total: None)
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM forum_post")
        posts = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM forum_topic")
        topics = cursor.fetchone()[0]
        if db.vendor == "sqlite":
            cursor.execute("INSERT INTO search_post_fts (search_post_fts) VALUES ('rebuild')")
            report("posts", posts, posts)
            cursor.execute("INSERT INTO search_topic_fts (search_topic_fts) VALUES ('rebuild')")
            report("topic titles", topics, topics)
        elif db.vendor == "postgresql":
            # Writers wait until the rebuild commits, as on SQLite (whose transaction holds
            # the write lock): a moderator's change made meanwhile would otherwise wait on a
            # row the rebuild deleted, apply to nothing, and leave a hidden post searchable.
            cursor.execute("LOCK TABLE forum_post, forum_topic IN SHARE MODE")
            cursor.execute("DELETE FROM search_post_document")
            done, last_id = 0, 0
            while True:
                cursor.execute(
                    f"""
                    WITH batch AS (
                        {_POST_ROWS} WHERE p.id > %s ORDER BY p.id LIMIT %s
                    ),
                    written AS (
                        INSERT INTO search_post_document {_COLUMNS}
                        SELECT * FROM batch
                        ON CONFLICT (post_id) DO NOTHING
                    )
                    SELECT count(*), max(id) FROM batch
                    """,
                    [last_id, BATCH],
                )
                count, last = cursor.fetchone()
                if not count:
                    break
                done, last_id = done + count, last
                report("posts", done, posts)
            # Titles are indexed by an expression index, which PostgreSQL keeps itself.
            report("topic titles", topics, topics)
        else:
            raise NotImplementedError(db.vendor)
    return {"posts": posts, "topics": topics}


def indexed_counts(db: BaseDatabaseWrapper = connection) -> dict[str, int]:
    """How many posts the index holds (for ``rebuild_search_index --dry-run``)."""
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM search_post_document")
        else:
            # The FTS5 index's own row count (not the content table's).
            cursor.execute("SELECT count(*) FROM search_post_fts_docsize")
        return {"posts": cursor.fetchone()[0]}

"""Importing a bbPress forum from its WordPress export: the writes.

The import reads the file twice. The survey (``importer.survey``) reads it whole and writes
nothing, so a malformed file stops the import with the line at fault before any change. Then
one transaction creates the members, tags, forums and topics (and the subscriptions and
favorites), and a second reading creates the posts, ``BATCH_SIZE`` at a time, each batch in
its own transaction. Every post keeps its WordPress id as its own; rows already imported are
skipped, never written twice, so an import that was stopped half-way (a kill, a full disk)
is finished by running it again. Last, every counter is recomputed by ``forum.recount``,
as bbPress's own repair tools do after an import: nothing the export counted is trusted.
"""

import ipaddress
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import member_set_role
from forum import page_cache, tagging
from forum.legacy_html import render_bbpress_html
from forum.models import (
    Forum,
    ForumSubscription,
    Post,
    PostRevision,
    Tag,
    Topic,
    TopicFavorite,
    TopicSubscription,
)
from forum.recount import Progress as RecountProgress
from forum.recount import recount_all
from forum.services import move_post_id_sequence_past_explicit_ids

from .models import ImportedForum, ImportedMember, ImportedReplySlug, ImportedTopic
from .php import NotSerialized, php_unserialize
from .roles import KEYMASTER
from .survey import (
    REPLY_STATUSES,
    TOPIC_STATUSES,
    IdBitmap,
    Survey,
    plain_title,
    usable_slug,
    user_ids,
    whole_number,
)
from .wxr import Item, SiteClock, read_wxr

BATCH_SIZE = 2_000  # posts a transaction
GUEST_USERNAME = "guest"
_OPENING_POST_STATUS = {"open": "published", "closed": "published", "pending": "pending",
                        "spam": "spam", "trash": "trash"}  # fmt: skip


class ImportRefused(Exception):
    """The export cannot be imported into this database as it is; the message says why.
    ``part_done`` says whether batches were written before it (they stay)."""

    def __init__(self, message: str, *, part_done: bool = False) -> None:
        super().__init__(message)
        self.part_done = part_done


@dataclass
class ImportReport:
    """What an import created (or, for a dry run, would create) and what it left out."""

    members: int = 0
    forums: int = 0
    topics: int = 0
    posts: int = 0
    tags: int = 0
    subscriptions: int = 0
    favorites: int = 0
    revisions: int = 0
    already_imported: dict[str, int] = field(default_factory=dict)
    matched: list[tuple[str, str]] = field(default_factory=list)  # (login, member here)
    deleted_topics: list[str] = field(default_factory=list)  # --delete-conflicting-topics
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (login, username)
    skipped: dict[str, int] = field(default_factory=dict)
    recount_fixes: int = 0


ProgressCallback = Callable[[str, int, int], None]  # stage, done, total


def post_id_conflicts(survey: Survey, *, limit: int | None = 10) -> list[Post]:
    """Posts already here under an id the export's posts need, that did not come from this
    export (the seeded guide's #6700, say): the import refuses to renumber them."""
    if not survey.max_post_id:
        return []
    candidates = (
        Post.objects.filter(pk__gte=survey.min_post_id, pk__lte=survey.max_post_id)
        .exclude(body_format=Post.BodyFormat.BBPRESS_HTML)  # only imports write these
        .select_related("topic")
        .order_by("pk")
    )
    conflicts = []
    for post in candidates.iterator(chunk_size=2_000):
        if post.pk in survey.post_ids:
            conflicts.append(post)
            if len(conflicts) == limit:
                break
    return conflicts


def refuse_conflicts(survey: Survey) -> None:
    conflicts = post_id_conflicts(survey)
    if conflicts:
        listed = ", ".join(f"#{post.pk} (in “{post.topic.title}”)" for post in conflicts)
        raise ImportRefused(
            f"Posts here already have numbers the export's posts keep: {listed}. "
            "Delete those topics first, in the admin or with --delete-conflicting-topics"
            " (a fresh site's seeded guide is #6700)."
        )


def _delete_conflicting_topics(survey: Survey, report: ImportReport) -> None:
    """Delete the topics here that hold a post under a number the export needs."""
    topics = {post.topic_id: post.topic for post in post_id_conflicts(survey, limit=None)}
    for topic in topics.values():
        report.deleted_topics.append(topic.title)
        topic.delete()


def planned(survey: Survey) -> ImportReport:
    """What :func:`import_survey` would create, for ``--dry-run``: reads, writes nothing."""
    report = ImportReport(skipped=dict(survey.skipped))
    known_members = set(
        ImportedMember.objects.filter(wp_id__in=list(survey.authors)).values_list(
            "wp_id", flat=True
        )
    )
    matched, _ = _match_existing_members(
        [a for wp_id, a in survey.authors.items() if wp_id not in known_members]
    )
    report.members = len(set(survey.authors) - known_members) - len(matched)
    _report_matches(matched, survey, report)
    known_forums = set(ImportedForum.objects.values_list("wp_id", flat=True))
    report.forums = len(set(survey.forums) - known_forums)
    known_topics = set(ImportedTopic.objects.values_list("wp_id", flat=True))
    report.topics = len(set(survey.topics) - known_topics)
    existing_posts = Post.objects.filter(body_format=Post.BodyFormat.BBPRESS_HTML).count()
    report.posts = max(survey.posts - existing_posts, 0)
    known_tags = set(Tag.objects.values_list("slug", flat=True))
    report.tags = sum(
        1 for slug, name in survey.tag_names.items() if _tag_slug(slug, name) not in known_tags
    )
    report.already_imported = {
        "members": len(known_members),
        "forums": len(set(survey.forums) & known_forums),
        "topics": len(set(survey.topics) & known_topics),
        "posts": existing_posts,
    }
    return report


def import_survey(
    survey: Survey,
    *,
    roles: dict[str, str] | None = None,
    super_sticky: Iterable[int] = (),
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    delete_conflicting_topics: bool = False,
) -> ImportReport:
    """Import what ``survey`` read; see the module's docstring for the order and the
    transactions. ``roles`` maps logins to roles (``importer.roles``); ``super_sticky``
    names topics by WordPress id (bbPress keeps super stickies in a site option, which
    exports leave out). Topics here holding a post under a number the export needs stop the
    import, unless ``delete_conflicting_topics``, when they are deleted first."""
    report = ImportReport(skipped=dict(survey.skipped))
    if not delete_conflicting_topics:
        refuse_conflicts(survey)
    with transaction.atomic():
        _reserve_post_ids(survey.max_post_id)
        if delete_conflicting_topics:
            _delete_conflicting_topics(survey, report)
        members = _import_members(survey, roles or {}, report)
        tags = _import_tags(survey, report)
        forums = _import_forums(survey, members, report)
        topics = _import_topics(survey, members, forums, tags, set(super_sticky), report)
    if super_sticky:  # named again on a later run: the topics may be here already
        Topic.objects.filter(
            pk__in=ImportedTopic.objects.filter(wp_id__in=list(super_sticky)).values("topic_id")
        ).update(pin=Topic.Pin.SUPER_STICKY)
    _import_posts(survey, members, topics, report, on_progress, batch_size)
    move_post_id_sequence_past_explicit_ids()

    def recount_progress(progress: RecountProgress) -> None:
        if on_progress:
            stage = f"recount: {progress.stage}"
            on_progress(stage, progress.batches_done, progress.batches_total)

    report.recount_fixes = recount_all(on_progress=recount_progress).rows_fixed
    page_cache.expire_all_pages()
    return report


def _reserve_post_ids(up_to: int) -> None:
    """Make the database number new posts past ``up_to`` from now on, so that posts written
    on the site while the import runs (or after a stopped one) never take a number the
    export's posts keep."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('forum_post', 'id'),"
                " GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM forum_post)))",
                [max(up_to, 1)],
            )
        elif connection.vendor == "sqlite":  # AUTOINCREMENT's counter
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = 'forum_post'", [up_to]
            )
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'forum_post', %s"
                " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'forum_post')",
                [up_to],
            )


# Members


@dataclass
class Members:
    by_wp_id: dict[int, int]  # WordPress user id → member id
    by_login: dict[str, int]
    guest_id: int

    def author_of(self, login: str) -> int | None:
        return self.by_login.get(login)


def _import_members(survey: Survey, roles: dict[str, str], report: ImportReport) -> Members:
    by_wp_id = dict(
        ImportedMember.objects.filter(wp_id__in=[0, *survey.authors]).values_list(
            "wp_id", "member_id"
        )
    )
    report.already_imported["members"] = len(set(by_wp_id) - {0})
    new_authors = [a for wp_id, a in survey.authors.items() if wp_id not in by_wp_id]
    links, to_create = _match_existing_members(new_authors)
    _report_matches(links, survey, report)
    now = timezone.now()
    users = []
    for author in to_create:
        username = _free_username(author.login, author.author_id)
        if username != author.login:
            report.renamed.append((author.login, username))
        users.append(
            User(
                username=username,
                email=author.email.lower(),
                display_name=plain_title(author.display_name, 50)
                if author.display_name != author.login
                else "",
                first_name=author.first_name[:150],
                last_name=author.last_name[:150],
                password=make_password(None),
                date_joined=survey.first_post_at.get(author.login, now),
            )
        )
    created = User.objects.bulk_create(users, batch_size=1_000)
    for author, user in zip(to_create, created, strict=True):
        links[author.author_id] = user.pk
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user.pk, email=user.email, primary=True, verified=False)
            for user in created
            if user.email
        ],
        batch_size=1_000,
    )
    if 0 not in by_wp_id:
        guest = User.objects.create(
            username=_free_username(GUEST_USERNAME, 0),
            display_name="Guest",
            password=make_password(None),
            is_active=False,
        )
        links[0] = guest.pk
    ImportedMember.objects.bulk_create(
        [ImportedMember(wp_id=wp_id, member_id=member_id) for wp_id, member_id in links.items()],
        batch_size=1_000,
    )
    report.members = len(created)
    by_wp_id.update(links)
    by_login = {
        author.login: by_wp_id[wp_id]
        for wp_id, author in survey.authors.items()
        if wp_id in by_wp_id
    }
    _apply_roles(roles, by_login)
    return Members(by_wp_id=by_wp_id, by_login=by_login, guest_id=by_wp_id[0])


def _match_existing_members(authors: list) -> tuple[dict[int, int], list]:
    """Authors who are members here already (the same verified email, or the same login with no
    email here, as the seeded "admin"), and the others."""
    emails = {a.email.lower() for a in authors if a.email}
    by_email = {}
    for chunk in _chunks(sorted(emails), 500):
        query = Q()
        for email in chunk:
            query |= Q(email__iexact=email)
        verified = EmailAddress.objects.filter(query, verified=True)  # proven theirs here
        by_email.update({e.lower(): pk for pk, e in verified.values_list("user_id", "email")})
    logins = [a.login for a in authors]
    by_login = {}
    for chunk in _chunks(logins, 500):
        by_login.update(
            {
                u: (pk, e)
                for pk, u, e in User.objects.filter(username__in=chunk).values_list(
                    "pk", "username", "email"
                )
            }
        )
    links, to_create = {}, []
    already = set(ImportedMember.objects.values_list("member_id", flat=True))
    for author in authors:
        member_id = by_email.get(author.email.lower()) if author.email else None
        if member_id is None and author.login in by_login and not by_login[author.login][1]:
            member_id = by_login[author.login][0]
        if member_id is not None and member_id not in already:
            links[author.author_id] = member_id
            already.add(member_id)
        else:
            to_create.append(author)
    return links, to_create


def _report_matches(links: dict[int, int], survey: Survey, report: ImportReport) -> None:
    names = dict(User.objects.filter(pk__in=links.values()).values_list("pk", "username"))
    report.matched = [
        (survey.authors[wp_id].login, names[member_id]) for wp_id, member_id in links.items()
    ]


def _free_username(login: str, wp_id: int) -> str:
    login = login[:140]
    for candidate in (login, f"{login}-{wp_id}"):
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    suffix = 2
    while User.objects.filter(username__iexact=f"{login}-{wp_id}-{suffix}").exists():
        suffix += 1
    return f"{login}-{wp_id}-{suffix}"


def _apply_roles(roles: dict[str, str], by_login: dict[str, int]) -> None:
    for login, role in roles.items():
        member = User.objects.get(pk=by_login[login])
        if role == KEYMASTER:
            member.is_superuser = True
            role = User.Role.PARTICIPANT
        member_set_role(member=member, role=role)


# Tags, forums, topics


def _tag_slug(wp_slug: str, name: str) -> str:
    slug = usable_slug(wp_slug, 40) or tagging.tag_slug(plain_title(name, 30))
    return slug.lower()


def _import_tags(survey: Survey, report: ImportReport) -> dict[str, int]:
    """The tag of each WordPress tag slug the topics use, made when missing."""
    wanted: dict[str, str] = {}
    for topic in survey.topics.values():
        for wp_slug, name in topic.tags:
            wanted.setdefault(wp_slug, survey.tag_names.get(wp_slug) or name)
    slugs = {wp_slug: _tag_slug(wp_slug, name) for wp_slug, name in wanted.items()}
    existing = dict(Tag.objects.filter(slug__in=set(slugs.values())).values_list("slug", "pk"))
    names_taken = {name.lower() for name in Tag.objects.values_list("name", flat=True)}
    new = {}
    for wp_slug, slug in slugs.items():
        name = plain_title(wanted[wp_slug], 30) or slug[:30]
        if slug in existing or slug in new or not slug:
            continue
        base, n = name, 2
        while name.lower() in names_taken:
            suffix = f"-{n}"
            name, n = base[: 30 - len(suffix)] + suffix, n + 1
        names_taken.add(name.lower())
        new[slug] = Tag(name=name, slug=slug)
    for tag in Tag.objects.bulk_create(new.values()):
        existing[tag.slug] = tag.pk
    report.tags = len(new)
    return {wp_slug: existing[slug] for wp_slug, slug in slugs.items() if slug in existing}


def _free_slug(
    model: type[Forum] | type[Topic], wanted: str | None, fallback: str, taken: set[str]
) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = wanted or slugify(fallback)[: max_length - 10].strip("-") or fallback
    slug, n = base, 2
    while slug in taken or model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 10]}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _import_forums(survey: Survey, members: Members, report: ImportReport) -> dict[int, int]:
    """WordPress forum id → forum id, every forum of the export (hierarchy and order kept)."""
    known = dict(ImportedForum.objects.values_list("wp_id", "forum_id"))
    report.already_imported["forums"] = len(set(survey.forums) & set(known))
    taken: set[str] = set()
    created = {}
    for wp_id, item in survey.forums.items():
        if wp_id in known:
            continue
        forum = Forum.objects.create(
            name=plain_title(item.title, 120) or f"Forum {wp_id}",
            slug=_free_slug(Forum, usable_slug(item.slug, 140), f"forum-{wp_id}", taken),
            description=plain_title(item.content, 10_000),
            position=item.menu_order,
            status=Forum.Status.CLOSED
            if item.meta_value("_bbp_status") == "closed"
            else Forum.Status.OPEN,
        )
        created[wp_id] = forum.pk
        ImportedForum.objects.create(wp_id=wp_id, forum=forum, wp_slug=item.slug[:200])
    known.update(created)
    for wp_id, forum_id in created.items():
        parent = survey.forums[wp_id].parent_id
        if parent in known:
            Forum.objects.filter(pk=forum_id).update(parent_id=known[parent])
        subscribers = user_ids(survey.forums[wp_id].meta_values("_bbp_subscription"))
        report.subscriptions += _subscribe(
            ForumSubscription, "forum_id", forum_id, subscribers, members
        )
    report.forums = len(created)
    return known


@dataclass(frozen=True)
class PlacedTopic:
    topic_id: int
    status: str  # the topic's, here


def _import_topics(
    survey: Survey,
    members: Members,
    forums: dict[int, int],
    tags: dict[str, int],
    super_sticky: set[int],
    report: ImportReport,
) -> dict[int, PlacedTopic]:
    """WordPress topic id → the topic here, every topic of the export."""
    placed = {
        wp_id: PlacedTopic(topic_id, status)
        for wp_id, topic_id, status in ImportedTopic.objects.values_list(
            "wp_id", "topic_id", "topic__status"
        )
    }
    report.already_imported["topics"] = len(set(survey.topics) & set(placed))
    new_plans = [plan for wp_id, plan in survey.topics.items() if wp_id not in placed]
    taken: set[str] = set()
    tag_rows = []
    for chunk in _chunks(new_plans, BATCH_SIZE):
        rows = [
            Topic(
                forum_id=forums[plan.forum_wp_id],
                title=plain_title(plan.title, 80) or f"Topic {plan.wp_id}",
                slug=_free_slug(
                    Topic, usable_slug(plan.wp_slug, 100), f"topic-{plan.wp_id}", taken
                ),
                author_id=_author_id(plan.creator, members),
                created_at=plan.created_at,
                last_active_at=plan.created_at,
                status=TOPIC_STATUSES[plan.status],
                pin=_pin(plan.wp_id, survey, super_sticky),
            )
            for plan in chunk
        ]
        for plan, topic in zip(chunk, Topic.objects.bulk_create(rows), strict=True):
            placed[plan.wp_id] = PlacedTopic(topic.pk, topic.status)
            tag_rows += [
                Topic.tags.through(topic_id=topic.pk, tag_id=tags[wp_slug])
                for wp_slug, _ in plan.tags
                if wp_slug in tags
            ]
            report.subscriptions += _subscribe(
                TopicSubscription, "topic_id", topic.pk, plan.subscribers, members
            )
            report.favorites += _subscribe(
                TopicFavorite, "topic_id", topic.pk, plan.favorited_by, members
            )
        ImportedTopic.objects.bulk_create(
            [
                ImportedTopic(
                    wp_id=plan.wp_id,
                    topic_id=placed[plan.wp_id].topic_id,
                    wp_slug=plan.wp_slug[:200],
                )
                for plan in chunk
            ]
        )
    Topic.tags.through.objects.bulk_create(tag_rows, batch_size=5_000, ignore_conflicts=True)
    report.topics = len(new_plans)
    return placed


def _pin(wp_id: int, survey: Survey, super_sticky: set[int]) -> int:
    if wp_id in super_sticky:
        return Topic.Pin.SUPER_STICKY
    return Topic.Pin.STICKY if wp_id in survey.sticky_topic_ids else Topic.Pin.NONE


def _subscribe(model, key: str, target_id: int, wp_user_ids: list[int], members: Members) -> int:
    """Follow rows for the members among ``wp_user_ids`` (others were not in the export)."""
    rows = [
        model(**{key: target_id}, member_id=members.by_wp_id[wp_id])
        for wp_id in dict.fromkeys(wp_user_ids)
        if wp_id in members.by_wp_id
    ]
    model.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _author_id(login: str, members: Members) -> int:
    return members.author_of(login) or members.guest_id if login else members.guest_id


# Posts


def _import_posts(
    survey: Survey,
    members: Members,
    topics: dict[int, PlacedTopic],
    report: ImportReport,
    on_progress: ProgressCallback | None,
    batch_size: int,
) -> None:
    """The second reading: every topic's opening post and every reply, in batches."""
    written = IdBitmap()
    later_reply_to: list[tuple[int, int]] = []
    batch: list[tuple[Item, Post]] = []
    in_batch: set[int] = set()
    total = survey.posts
    done = 0
    last_told = 0.0

    def flush() -> None:
        nonlocal batch, done, last_told
        _write_batch(batch, members, report)
        for _, post in batch:
            written.add(post.pk)
        done += len(batch)
        batch = []
        in_batch.clear()
        now = time.monotonic()
        if on_progress and (now - last_told > 1 or done == total):
            on_progress("posts", done, total)
            last_told = now

    clock = SiteClock()  # as the survey read the dates: every item, in the file's order
    for item in read_wxr(survey.path):
        if not isinstance(item, Item):
            continue
        item.created_at = clock.created_at(item)
        if item.post_type not in ("topic", "reply"):
            continue
        post = _post(item, survey, members, topics, report)
        if post is None:
            continue
        reply_to = whole_number(item.meta_value("_bbp_reply_to"))
        if reply_to and reply_to in survey.post_ids and reply_to != post.pk:
            if reply_to in written or reply_to in in_batch:
                post.reply_to_id = reply_to
            else:
                later_reply_to.append((post.pk, reply_to))
        batch.append((item, post))
        in_batch.add(post.pk)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    # Replies answering a reply further on in the file (the export's order is the
    # database's, not the posts' dates): the answered one exists only now.
    for post_id, reply_to in later_reply_to:
        if Post.objects.filter(pk=reply_to).exists():
            Post.objects.filter(pk=post_id, reply_to__isnull=True).update(reply_to_id=reply_to)
    # A reply answers a post of its own topic: one that names another topic's (merged or
    # split in bbPress) would lead a reader to a post they may not see.
    Post.objects.filter(body_format=Post.BodyFormat.BBPRESS_HTML, reply_to__isnull=False).exclude(
        reply_to__topic_id=F("topic_id")
    ).update(reply_to=None)


def _post(
    item: Item,
    survey: Survey,
    members: Members,
    topics: dict[int, PlacedTopic],
    report: ImportReport,
) -> Post | None:
    if item.post_type == "topic":
        if item.post_id not in topics:
            return None  # skipped by the survey, and counted there
        placed = topics[item.post_id]
        status = _OPENING_POST_STATUS[placed.status]
        listed = False
    else:
        if item.status not in REPLY_STATUSES:
            return None
        topic_wp_id = item.parent_id or whole_number(item.meta_value("_bbp_topic_id"))
        placed = topics.get(topic_wp_id)
        if placed is None:
            return None  # skipped by the survey, and counted there
        status = REPLY_STATUSES[item.status]
        listed = status == Post.Status.PUBLISHED and placed.status in Topic.VISIBLE_STATUSES
    guest_name = ""
    author_id = members.author_of(item.creator) if item.creator else None
    if author_id is None:
        author_id = members.guest_id
        guest_name = (
            plain_title(item.meta_value("_bbp_anonymous_name") or item.creator, 100) or "Anonymous"
        )
    revisions = _revision_log(item)
    return Post(
        id=item.post_id,
        topic_id=placed.topic_id,
        author_id=author_id,
        body=item.content,
        body_format=Post.BodyFormat.BBPRESS_HTML,
        body_html="",  # rendered in _write_batch, for the posts not already here
        created_at=item.created_at,
        edited_at=(item.modified_at or item.created_at) if revisions else None,
        status=status,
        author_ip=_ip(item.meta_value("_bbp_author_ip")),
        guest_name=guest_name,
        guest_website=_website(item.meta_value("_bbp_anonymous_website")) if guest_name else "",
        listed_as_reply=listed,
    )


def _write_batch(batch: list[tuple[Item, Post]], members: Members, report: ImportReport) -> None:
    with transaction.atomic():
        ids = [post.pk for _, post in batch]
        found = dict(Post.objects.filter(pk__in=ids).values_list("pk", "body_format"))
        taken = sorted(pk for pk, kind in found.items() if kind != Post.BodyFormat.BBPRESS_HTML)
        if taken:
            numbers = ", ".join(f"#{pk}" for pk in taken[:10])
            raise ImportRefused(
                "Posts written here since the import began have numbers the export's posts"
                f" keep: {numbers}. Move or delete them, then run the import again to finish it.",
                part_done=True,
            )
        existing = set(found)
        new = [(item, post) for item, post in batch if post.pk not in existing]
        for _, post in new:
            post.body_html = render_bbpress_html(post.body)
        Post.objects.bulk_create([post for _, post in new])
        revisions, slugs = [], []
        for item, post in new:
            for wp_user_id, reason in _revision_log(item):
                revisions.append(
                    PostRevision(
                        post_id=post.pk,
                        editor_id=members.by_wp_id.get(wp_user_id, post.author_id),
                        reason=plain_title(reason, 100),
                        previous_body="",
                        created_at=post.edited_at or post.created_at,
                    )
                )
            if item.post_type == "reply" and item.slug and item.slug != str(post.pk):
                slugs.append(ImportedReplySlug(slug=item.slug[:200], post_id=post.pk))
        PostRevision.objects.bulk_create(revisions)
        ImportedReplySlug.objects.bulk_create(slugs, ignore_conflicts=True)
    reset_queries()  # with DEBUG on, Django would keep every batch's INSERT in memory
    report.posts += len(new)
    report.revisions += len(revisions)
    report.already_imported["posts"] = report.already_imported.get("posts", 0) + len(existing)


def _revision_log(item: Item) -> list[tuple[int, str]]:
    """(editor's WordPress id, reason) of each edit in ``_bbp_revision_log``, oldest first;
    an unreadable log is no log (the post itself is still imported)."""
    value = item.meta_value("_bbp_revision_log")
    if not value.strip():
        return []
    try:
        log = php_unserialize(value)
    except NotSerialized:
        return []
    if not isinstance(log, dict):
        return []
    edits = []
    for _, entry in sorted(log.items(), key=lambda pair: str(pair[0]).zfill(20)):
        if isinstance(entry, dict):
            author = entry.get("author", 0)
            edits.append((whole_number(str(author)), str(entry.get("reason") or "")))
    return edits


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _website(text: str) -> str:
    text = text.strip()
    return text[:200] if text.startswith(("http://", "https://")) and " " not in text else ""


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""``manage.py import_bbpress`` on a fixture with every field the importer reads
(``fixtures/forum.xml``), then the forum as a reader, a member and an operator meet it."""

import io
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from forum import services
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
from forum.recount import recount_all
from importer.models import ImportedForum, ImportedMember, ImportedTopic
from importer.services import import_survey
from importer.survey import survey_export

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "forum.xml"
TOPIC = "/forums/topic/how-deep-should-a-squat-go/"

pytestmark = pytest.mark.django_db(transaction=False)


def run_import(*args, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bbpress", *args, stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.fixture
def roles_file(tmp_path) -> Path:
    path = tmp_path / "roles.csv"
    path.write_text("# login,role\nadmin,Keymaster\nbob,moderator\ncarol,Blocked\ndave,KEYMASTER\n")
    return path


@pytest.fixture
def imported(roles_file, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return run_import(str(EXPORT), roles=str(roles_file), super_sticky="30")


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Forum,
            Topic,
            Post,
            Tag,
            PostRevision,
            TopicSubscription,
            TopicFavorite,
            ForumSubscription,
            ImportedMember,
            ImportedForum,
            ImportedTopic,
        )
    }


def test_the_report_says_what_was_created_and_left_out(imported):
    assert "Created: 4 members, 3 forums, 7 topics, 17 posts, 3 tags" in imported
    assert "“admin” is the member “admin” here" in imported
    assert "Not imported: 2 private, hidden or unpublished forums." in imported
    assert "Not imported: 1 topics in forums not imported." in imported
    assert "Not imported: 1 replies in forums not imported." in imported
    assert "Not imported: 1 WordPress items of type “page”." in imported
    assert "Not imported: 1 WordPress items of type “attachment”." in imported


def test_the_topic_page_reads_as_it_did_on_bbpress(client, imported):
    page = client.get(TOPIC)
    assert page.status_code == 200
    text = text_of(page)
    # Published replies: 21 (a guest), 23 and 29 (bob), 26 and 27 (alice); voices: alice,
    # the guest, bob. The last post is #27 (March 6, 12:00 GMT), by Alice.
    assert re.search(
        r"This topic has 5 replies, 3 voices, and was last updated .+ ago by Alice Liddell ?\.",
        text,
    )
    for number in (20, 21, 23, 26, 27, 29):
        assert f">#{number}</a>" in page.content.decode()
    for hidden in (22, 24, 25):  # spam, pending, trash
        assert f"#{hidden}<" not in page.content.decode()
    assert "March 4, 2023 at 8:30 am" in text  # the opening post, GMT
    assert "Tagged: Form &amp; Technique , Squats" in text
    assert "A passer-by" in text and "Guest" in text
    assert 'href="https://passer.example.net/"' in page.content.decode()
    assert "This topic was modified" in text and "Reason: typo!" in text


def test_content_is_html_made_safe(client, imported):
    html = client.get(TOPIC).content.decode()
    assert "<strong>parallel</strong>" in html
    assert "<p>Below" in html  # WordPress's automatic paragraphs
    assert 'href="https://example.org/squat"' in html
    assert 'src="https://example.org/squat.png"' in html
    assert '[gallery ids="1,2"]' in html  # an unknown shortcode is text, never run
    assert "onclick" not in html and "<script>alert" not in html
    assert "[b]always[/b]" in html


def test_numbers_dates_and_statuses_are_kept(imported):
    topic = Topic.objects.get(slug="how-deep-should-a-squat-go")
    assert topic.first_post_id == 20
    assert topic.pin == Topic.Pin.STICKY
    assert topic.forum.slug == "squats-and-deadlifts"
    assert topic.created_at.isoformat() == "2023-03-04T08:30:00+00:00"
    opening = Post.objects.get(pk=20)
    assert str(opening.author_ip) == "203.0.113.5"
    assert opening.edited_at.isoformat() == "2023-03-05T09:00:00+00:00"
    assert Post.objects.get(pk=22).status == Post.Status.SPAM
    assert Post.objects.get(pk=24).status == Post.Status.PENDING
    # Held posts have only the site's local time (GMT+1 here) in the export: made GMT.
    assert Post.objects.get(pk=24).created_at.isoformat() == "2023-03-04T12:00:00+00:00"
    waiting = Topic.objects.get(slug="waiting-topic")
    assert waiting.created_at.isoformat() == "2023-04-01T09:00:00+00:00"
    assert waiting.first_post.created_at == waiting.created_at
    assert Post.objects.get(pk=25).status == Post.Status.TRASH
    assert Post.objects.get(pk=23).author_ip is None  # "not an address" dropped
    assert Post.objects.get(pk=23).reply_to_id == 21
    assert Post.objects.get(pk=27).reply_to_id == 29  # answers a reply further on in the file
    assert Topic.objects.get(slug="rules-of-this-forum").status == Topic.Status.CLOSED
    assert Topic.objects.get(slug="rules-of-this-forum").pin == Topic.Pin.SUPER_STICKY
    for slug, status in [("waiting-topic", "pending"), ("spam-topic", "spam"),
                         ("trashed-topic", "trash")]:  # fmt: skip
        topic = Topic.objects.get(slug=slug)
        assert topic.status == status and topic.first_post.status == status
    training = Forum.objects.get(slug="training")
    squats = Forum.objects.get(slug="squats-and-deadlifts")
    assert squats.parent == training and squats.status == Forum.Status.CLOSED
    assert squats.name == "Squats & Deadlifts"
    assert [
        f.slug for f in Forum.objects.filter(parent=None, slug__in=["training", "general"])
    ] == [
        "training",
        "general",
    ]
    assert not Forum.objects.filter(slug__in=["staff-room", "old-announcements"]).exists()
    assert not Post.objects.filter(pk__in=[40, 41]).exists()


def test_counters_are_recomputed_not_trusted(imported):
    squats = Forum.objects.get(slug="squats-and-deadlifts")
    assert (squats.topic_count, squats.post_count) == (1, 6)
    assert recount_all(dry_run=True) == []
    out = io.StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "0 wrong" in out.getvalue() or "nothing" in out.getvalue().lower()


def test_members_roles_subscriptions_and_favorites(imported):
    admin = User.objects.get(username="admin")  # the seeded keymaster: same login, no email
    assert ImportedMember.objects.get(wp_id=1).member == admin
    dave = User.objects.get(username="dave")
    assert dave.is_superuser and dave.is_staff
    assert dave.email == "dave@example.com"  # as allauth looks addresses up
    assert len(dave.display_name) <= 50
    bob = User.objects.get(username="bob")
    assert bob.role == User.Role.MODERATOR and bob.is_staff
    assert User.objects.get(username="carol").role == User.Role.BLOCKED
    alice = User.objects.get(username="alice")
    assert (alice.email, alice.display_name, alice.first_name) == (
        "alice@example.com", "Alice Liddell", "Alice")  # fmt: skip
    assert not alice.has_usable_password()
    assert alice.date_joined.isoformat() == "2023-03-04T08:30:00+00:00"  # her first post
    topic = Topic.objects.get(slug="how-deep-should-a-squat-go")
    assert set(topic.subscriptions.values_list("member__username", flat=True)) == {"admin", "alice"}
    assert set(topic.favorites.values_list("member__username", flat=True)) == {"admin", "bob"}
    assert ForumSubscription.objects.filter(forum__slug="general", member=bob).exists()
    revision = PostRevision.objects.get(post_id=20)
    assert (revision.editor, revision.reason) == (alice, "typo!")


def test_a_member_sets_a_password_through_forgot_your_password(client, imported):
    # Dave's address is "Dave@Example.COM" in the export.
    response = client.post(reverse("account_reset_password"), {"email": "Dave@example.com"})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a new, long passphrase", "password2": "a new, long passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username="dave", password="a new, long passphrase")


def test_old_links_redirect_to_the_right_page_and_post(client, imported):
    assert client.get("/?p=21").headers["Location"] == "/forums/reply/21/"
    assert client.get("/?p=20")["Location"] == TOPIC
    assert client.get("/?topic=how-deep-should-a-squat-go")["Location"] == TOPIC
    assert client.get("/?forum=general")["Location"] == "/forums/forum/general/"
    assert client.get("/?p=12")["Location"] == "/forums/forum/general/"
    moved = client.get("/forums/reply/reply-to-how-deep-should-a-squat-go/")
    assert (moved.status_code, moved["Location"]) == (301, "/forums/reply/26/")
    assert (
        client.get("/?reply=reply-to-how-deep-should-a-squat-go")["Location"] == "/forums/reply/26/"
    )
    cyrillic = Topic.objects.get(first_post_id=35)
    old = client.get("/forums/topic/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82/")
    assert (old.status_code, old["Location"]) == (301, cyrillic.get_absolute_url())
    reply = client.get("/forums/reply/26/")
    assert reply["Location"].endswith("#post-26")


def test_new_posts_continue_past_the_imported_numbers(imported, make_member):
    topic = Topic.objects.get(slug="how-deep-should-a-squat-go")
    post = services.reply_create(topic=topic, author=make_member(), body="After the import.")
    assert post.pk == 9002  # the export's largest is #9001, past the seeded guide's #6700


def test_without_a_roles_file_no_one_gets_power(db):
    run_import(str(EXPORT))
    imported = User.objects.filter(username__in=["alice", "bob", "carol", "dave"])
    assert imported.count() == 4
    assert not imported.filter(Q(is_staff=True) | Q(is_superuser=True)).exists()
    assert set(imported.values_list("role", flat=True)) == {User.Role.PARTICIPANT}


def test_super_stickies_named_on_a_later_run_are_stuck(db):
    run_import(str(EXPORT))
    assert Topic.objects.get(slug="rules-of-this-forum").pin == Topic.Pin.NONE
    run_import(str(EXPORT), super_sticky="30")
    assert Topic.objects.get(slug="rules-of-this-forum").pin == Topic.Pin.SUPER_STICKY


def test_long_values_are_cut_to_their_columns(imported):
    topic = Topic.objects.get(slug="waiting-topic")
    assert len(topic.title) <= 80 and topic.title.endswith("…")
    tag = Tag.objects.get(slug="a-tag-name-longer-than-thirty-characters")
    assert len(tag.name) <= 30
    for row in [topic, tag, User.objects.get(username="dave")]:
        row.full_clean(exclude=["password", "slug"])


def test_an_id_twice_in_the_file_names_its_line(tmp_path):
    twice = tmp_path / "twice.xml"
    text = EXPORT.read_text()
    at = text.index("<wp:post_id>29</wp:post_id>")
    twice.write_text(text.replace("<wp:post_id>29</wp:post_id>", "<wp:post_id>21</wp:post_id>"))
    item_line = text[: text.rindex("<item>", 0, at)].count("\n") + 1
    before = counts()
    with pytest.raises(CommandError, match=rf"line {item_line}: post id 21 appears twice"):
        run_import(str(twice))
    assert counts() == before


def test_a_guests_topic_shows_the_name_it_was_posted_under(client, imported):
    page = client.get("/forums/topic/a-question-from-a-guest/")
    assert "Visitor Vic" in text_of(page)
    assert 'href="https://vic.example.org/"' in page.content.decode()


def test_hidden_topics_are_not_shown_to_readers(client, imported):
    for slug in ("waiting-topic", "spam-topic", "trashed-topic"):
        assert client.get(f"/forums/topic/{slug}/").status_code == 404
    listing = text_of(client.get("/forums/forum/general/"))
    assert "Rules of this forum" in listing and "Spam topic" not in listing


def test_running_it_again_creates_nothing_twice(imported, roles_file):
    before = counts()
    again = run_import(str(EXPORT), roles=str(roles_file))
    assert counts() == before
    assert "Created: 0 members, 0 forums, 0 topics, 0 posts, 0 tags" in again
    assert "Already imported, skipped: 5 members, 3 forums, 7 topics, 17 posts." in again


def test_a_dry_run_reports_and_writes_nothing(db):
    before = counts()
    out = run_import(str(EXPORT), dry_run=True)
    assert "Would create: 4 members, 3 forums, 7 topics, 17 posts, 3 tags." in out
    assert "“admin” is the member “admin” here" in out
    assert counts() == before


@contextmanager
def inserting_post_fails(post_id: int):
    """The database refuses to write post ``post_id`` (as a full disk would)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TEMP TRIGGER refuse BEFORE INSERT ON forum_post WHEN NEW.id = {post_id}"
                " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON forum_post FOR EACH ROW"
                f" WHEN (NEW.id = {post_id}) EXECUTE FUNCTION refuse()"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse" + (" ON forum_post" if connection.vendor != "sqlite" else "")
        )
        if connection.vendor != "sqlite":
            cursor.execute("DROP FUNCTION refuse()")


def test_a_stopped_import_is_finished_by_running_it_again(db, make_member):
    survey = survey_export(EXPORT)
    # Posts in the file's order, four a batch: 20 21 22 27 | 23 24 25 26 | 29 30 36 31 | …
    with inserting_post_fails(29), pytest.raises(DatabaseError, match="disk full"):
        import_survey(survey, batch_size=4)
    assert Post.objects.filter(body_format="bbpress-html").count() == 8  # two whole batches
    # The site goes on meanwhile: a new post takes a number past every one the export keeps.
    topic = Topic.objects.get(slug="how-deep-should-a-squat-go")
    written = services.reply_create(topic=topic, author=make_member(), body="Meanwhile.")
    assert written.pk == 9002
    out = run_import(str(EXPORT))
    assert "8 posts" in out.split("\n")[1]  # already imported
    assert Post.objects.filter(body_format="bbpress-html").count() == 17
    assert Post.objects.get(pk=27).reply_to_id == 29
    assert recount_all(dry_run=True) == []


def test_a_malformed_file_names_the_line_and_changes_nothing(tmp_path):
    broken = tmp_path / "broken.xml"
    lines = EXPORT.read_text().splitlines()
    lines[300] += "<wp:status>"  # an element never closed, in the middle of the posts
    broken.write_text("\n".join(lines))
    before = counts()
    with pytest.raises(CommandError, match=r"line \d+: not well-formed.*Nothing was imported"):
        run_import(str(broken))
    assert counts() == before


def test_entity_expansion_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><title>&b;</title></channel></rss>'
    )
    before = counts()
    with pytest.raises(CommandError, match="refused"):
        run_import(str(bomb))
    assert counts() == before


def test_a_post_number_already_taken_here_stops_the_import(db, tmp_path):
    taken = tmp_path / "taken.xml"
    taken.write_text(
        EXPORT.read_text().replace("<wp:post_id>21</wp:post_id>", "<wp:post_id>6700</wp:post_id>")
    )
    before = counts()
    with pytest.raises(CommandError, match=r"#6700 .*Nothing was imported"):
        run_import(str(taken))
    assert counts() == before


def test_a_bad_roles_file_names_its_line(db, tmp_path):
    roles = tmp_path / "roles.csv"
    roles.write_text("alice,Moderator\nbob,Emperor\n")
    with pytest.raises(CommandError, match=r"line 2: “Emperor” is not a role"):
        run_import(str(EXPORT), roles=str(roles))
    assert not User.objects.filter(username="alice").exists()


def test_an_imported_post_is_edited_and_previewed_as_html(client, imported):
    client.force_login(
        User.objects.get(username="bob")
    )  # a moderator: the edit window is long past
    edit = "/forums/reply/26/edit/"
    form = client.get(edit)
    assert 'data-body-format="bbpress-html"' in form.content.decode()
    body = "Hips <b>below</b> the knee.\n\n[b]always[/b]"
    preview = client.post(edit, {"body": body, "reason": "", "action": "preview"})
    assert "<p>Hips <strong>below</strong> the knee.</p>" in preview.content.decode()
    live = client.post("/forums/preview/", {"body": body, "body_format": "bbpress-html"})
    assert "<p>Hips <strong>below</strong> the knee.</p>" in live.content.decode()
    assert "&lt;b&gt;" in client.post("/forums/preview/", {"body": body}).content.decode()
    client.post(edit, {"body": body, "reason": "bold"})
    assert Post.objects.get(pk=26).body_html.startswith("<p>Hips <strong>below</strong>")


def test_progress_shows_items_done_and_time_left(db):
    err = io.StringIO()
    call_command("import_bbpress", str(EXPORT), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(re.fullmatch(r"reading: 0 of 0 MiB \(100 %\), 0 s left", line) for line in lines)
    assert "posts: 17 of 17 (100 %), 0 s left" in lines
    assert any(line.startswith("recount: topics: 1 of 1 (100 %)") for line in lines)


def test_a_database_failure_mid_import_says_to_run_it_again(db):
    with (
        inserting_post_fails(29),
        pytest.raises(CommandError, match=r"refused a write \(disk full\).*run the import again"),
    ):
        run_import(str(EXPORT))
    assert Topic.objects.filter(slug="how-deep-should-a-squat-go").exists()  # before the posts
    run_import(str(EXPORT))
    assert Post.objects.filter(body_format="bbpress-html").count() == 17
    assert recount_all(dry_run=True) == []

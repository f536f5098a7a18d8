"""Fill the members' new ``topic_count`` and ``reply_count`` from the rows, in one UPDATE.

Here rather than beside the fields in ``accounts``: what they count is the forum's (visible
topics; published replies in visible topics, as ``forum.selectors`` lists them), and
``accounts`` knows nothing of the forum. Each member's counts are correlated subqueries on
the ``(author, …)`` indexes, so the one statement reads each post once on SQLite and on
PostgreSQL.
"""

from django.db import migrations
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

VISIBLE = ["open", "closed"]


def fill_member_counters(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    Topic = apps.get_model("forum", "Topic")
    Post = apps.get_model("forum", "Post")

    def counted(rows):
        counts = rows.order_by().values("author").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))

    topics = Topic.objects.filter(author=OuterRef("pk"), status__in=VISIBLE)
    replies = Post.objects.filter(
        author=OuterRef("pk"), status="published", topic__status__in=VISIBLE
    ).exclude(topic__first_post=F("pk"))
    User.objects.update(topic_count=counted(topics), reply_count=counted(replies))


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0007_deep_page_indexes"),
        ("accounts", "0005_member_counters"),
    ]

    operations = [migrations.RunPython(fill_member_counters, migrations.RunPython.noop)]

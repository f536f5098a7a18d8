"""``Post.listed_as_reply``: whether a post is in its author's Replies Created, kept on the row
so the list reaches any page through one (partial) index. Filled from the rows in one UPDATE."""

from django.db import migrations, models
from django.db.models import F

VISIBLE = ["open", "closed"]


def fill_listed_as_reply(apps, schema_editor) -> None:
    Post = apps.get_model("forum", "Post")
    Post.objects.filter(status="published", topic__status__in=VISIBLE).exclude(
        topic__first_post=F("pk")
    ).update(listed_as_reply=True)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0008_fill_member_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="listed_as_reply",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="A published reply (not the opening post) in a visible topic.",
            ),
        ),
        migrations.RunPython(fill_listed_as_reply, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("listed_as_reply", True)),
                fields=["author", "-created_at", "-id"],
                name="post_replies_created",
            ),
        ),
    ]

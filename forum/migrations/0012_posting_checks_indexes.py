"""The indexes the posting checks read inside the write lock: a member's latest posts (flood
control), and a member's posts in one topic (a new voice? the same reply twice?)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0011_drop_topic_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["author", "created_at"], name="forum_post_author__76a783_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["topic", "author", "status"], name="forum_post_topic_i_c05fe2_idx"
            ),
        ),
    ]

"""The members' Topics Started and Replies Created counters; ``forum``'s migration 0008
fills them from the rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_one_line_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="topic_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Visible topics started."
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="reply_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Published replies in visible topics."
            ),
        ),
    ]

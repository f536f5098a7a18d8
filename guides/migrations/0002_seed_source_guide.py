"""Seed the source guide as the very first topic on every fresh database.

This runs the real ``guides.services.seed_source_guide`` (not historical models) so the guide
goes through the same topic service as any other topic and every counter is right. That is
safe because ``migrate`` plans each app's migrations in app-label order: later migrations of
``accounts`` and ``forum`` sort before ``guides`` and are applied first on a fresh database.
The seeding skips itself when the guide's post already exists.
"""

from django.db import migrations


def seed(apps, schema_editor) -> None:
    from guides.services import seed_source_guide

    seed_source_guide()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0001_initial"),
        ("forum", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

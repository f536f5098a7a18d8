"""The full-text index and the triggers that keep it (``search/index.py``), filled from the
posts already written."""

from django.db import migrations


def install(apps, schema_editor) -> None:
    from search import index

    index.install(schema_editor.connection)


def uninstall(apps, schema_editor) -> None:
    from search import index

    index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("forum", "0012_posting_checks_indexes")]

    operations = [migrations.RunPython(install, uninstall)]

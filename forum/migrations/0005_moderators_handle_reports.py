"""Moderators work the reports queue: view and resolve (change) reports."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("forum")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for codename in ("view_report", "change_report"):
        group.permissions.add(
            Permission.objects.get(content_type__app_label="forum", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0004_reports"), ("forum", "0003_moderators_group")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

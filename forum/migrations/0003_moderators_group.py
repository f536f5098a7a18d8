"""The "Moderators" group: what a forum Moderator may do in the admin, and no more."""

from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("forum", "forum", ["view"]),
    ("forum", "topic", ["view", "change"]),
    ("forum", "post", ["view", "change"]),
    ("forum", "postrevision", ["view"]),
    ("accounts", "user", ["view", "change"]),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, model, actions in MODERATOR_PERMISSIONS:
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
            )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile_bio_website_avatar"),
        ("forum", "0002_revisions_subscriptions_favorites"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

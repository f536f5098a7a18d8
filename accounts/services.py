"""Writes to members' profiles."""

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from .models import User


@transaction.atomic
def profile_update(
    *, member: User, fields: dict, avatar: ContentFile | None, remove_avatar: bool
) -> User:
    """Save the profile fields and the new (or removed) avatar.

    The old avatar file is deleted only after the transaction commits, so a failure leaves
    the member with their old avatar, file and all.
    """
    locked = User.objects.select_for_update().get(pk=member.pk)
    old_file = locked.avatar.name if locked.avatar else ""
    for name, value in fields.items():
        setattr(locked, name, value)
    if avatar is not None:
        locked.avatar.save(avatar.name, avatar, save=False)
    elif remove_avatar:
        locked.avatar = ""
    locked.save()
    if old_file and old_file != locked.avatar.name:
        storage = locked.avatar.storage
        # robust: a storage hiccup after the profile is saved is logged, not shown as an error.
        transaction.on_commit(lambda: storage.delete(old_file), robust=True)
    return locked


MODERATORS_GROUP = "Moderators"


@transaction.atomic
def member_set_role(*, member: User, role: str) -> None:
    """Give a member a forum role: the one path by which roles change (the admin's role field
    and blocking both come here).

    Moderators get the admin (staff, the Moderators group's permissions) and lose it again
    with the role. Keymasters are superusers and keep that with any role but Blocked:
    a blocked member keeps no power at all, whatever they were before.
    Who may give whom a role is the caller's to check (``accounts.models.may_act_on``).
    """
    member.role = role
    if role == User.Role.BLOCKED:
        member.is_superuser = False
    member.is_staff = member.is_superuser or role == User.Role.MODERATOR
    member.save(update_fields=["role", "is_staff", "is_superuser"])
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if role == User.Role.MODERATOR:
        member.groups.add(group)
    else:
        member.groups.remove(group)

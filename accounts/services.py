"""Writes to members' profiles."""

import logging

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction

from .models import User

logger = logging.getLogger(__name__)


class AvatarNotSaved(Exception):
    """The new avatar could not be written to storage (a full or read-only disk…); nothing
    was changed. The message is for the member to read."""


def profile_update(
    *, member: User, fields: dict, avatar: ContentFile | None, remove_avatar: bool
) -> User:
    """Save the profile fields and the new (or removed) avatar, all or nothing.

    The new avatar's file is written first, outside the transaction; if it cannot be written
    nothing is changed and :class:`AvatarNotSaved` is raised. If the database write then
    fails, the new file is removed again. The old avatar file is deleted only after the
    transaction commits, so a failure leaves the member with their old avatar, file and all.
    """
    field = User._meta.get_field("avatar")
    new_file = ""
    if avatar is not None:
        name = field.generate_filename(member, avatar.name)
        new_file = _avatar_write(field.storage, name, avatar, max_length=field.max_length)
    try:
        return _profile_save(
            member=member, fields=fields, new_file=new_file, remove_avatar=remove_avatar
        )
    except BaseException:
        if new_file:
            _avatar_discard(field.storage, new_file)
        raise


def _avatar_write(storage: Storage, name: str, avatar: ContentFile, *, max_length: int) -> str:
    """Write the avatar under ``name`` (random, so free) and return the name it was saved as;
    on a storage error, remove what was written and raise :class:`AvatarNotSaved`."""
    name = storage.get_available_name(name, max_length=max_length)
    try:
        return storage.save(name, avatar, max_length=max_length)
    except OSError:
        logger.exception("The avatar %s could not be written to storage", name)
        _avatar_discard(storage, name)
        raise AvatarNotSaved(
            "Your avatar could not be saved just now, so nothing was changed. "
            "Please try again later."
        ) from None


def _avatar_discard(storage: Storage, name: str) -> None:
    """Remove a new avatar file (or what was written of it) that no profile points to."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.exception("The unused avatar %s could not be removed from storage", name)


@transaction.atomic
def _profile_save(*, member: User, fields: dict, new_file: str, remove_avatar: bool) -> User:
    locked = User.objects.select_for_update().get(pk=member.pk)
    old_file = locked.avatar.name if locked.avatar else ""
    for name, value in fields.items():
        setattr(locked, name, value)
    if new_file:
        locked.avatar.name = new_file
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

"""Writes to members' profiles."""

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
        transaction.on_commit(lambda: storage.delete(old_file))
    return locked

"""Cached pages expire with writes that do not go through ``forum.services``: a member's
name, avatar or role (shown on every page) changed by their profile form, a role change or
the admin; a forum or a tag added, renamed or removed in the admin; a topic deleted for
good."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import User

from . import page_cache
from .models import Forum, Tag, Topic

# Saves that change nothing a page shows: a login, a password.
_UNSEEN_USER_FIELDS = frozenset({"last_login", "password"})


@receiver(post_save, sender=User, dispatch_uid="forum.pages.user_saved")
def _user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and set(update_fields) <= _UNSEEN_USER_FIELDS):
        return
    page_cache.expire_all_pages()


@receiver(post_delete, sender=User, dispatch_uid="forum.pages.user_deleted")
@receiver(post_save, sender=Forum, dispatch_uid="forum.pages.forum_saved")
@receiver(post_delete, sender=Forum, dispatch_uid="forum.pages.forum_deleted")
@receiver(post_delete, sender=Tag, dispatch_uid="forum.pages.tag_deleted")
def _seen_everywhere(sender, **kwargs) -> None:
    page_cache.expire_all_pages()


@receiver(post_delete, sender=Topic, dispatch_uid="forum.pages.topic_deleted")
def _topic_deleted(sender, instance: Topic, **kwargs) -> None:
    page_cache.expire_topic_pages([instance.slug])


@receiver(post_save, sender=Tag, dispatch_uid="forum.pages.tag_saved")
def _tag_saved(sender, instance: Tag, created: bool, **kwargs) -> None:
    # A new tag is on no page yet: the topic it was made for expires its own pages.
    if not created:
        page_cache.expire_all_pages()

"""The forum's user: Django's user plus a public display name and a bbPress forum role."""

import zlib

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .validators import multi_line, single_line

AVATAR_PALETTE_SIZE = 8
AVATAR_SIZE = 160  # pixels a side of the stored square thumbnail


class User(AbstractUser):
    """A member. Keymasters are superusers; every other member has one of the roles below."""

    class Role(models.TextChoices):
        MODERATOR = "moderator", "Moderator"
        PARTICIPANT = "participant", "Participant"
        SPECTATOR = "spectator", "Spectator"
        BLOCKED = "blocked", "Blocked"

    # Django's, one line like every name here (the admin shows them to Keymasters).
    first_name = models.CharField(
        "first name", max_length=150, blank=True, validators=[single_line]
    )
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[single_line])
    display_name = models.CharField(
        max_length=50,
        blank=True,
        validators=[single_line],
        help_text="Shown on posts instead of the username.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    bio = models.TextField(
        max_length=1000,
        blank=True,
        validators=[multi_line],
        help_text="Plain text, shown on the profile.",
    )
    website = models.URLField(
        blank=True, validators=[URLValidator(schemes=["http", "https"]), single_line]
    )
    avatar = models.ImageField(
        upload_to="avatars/",
        blank=True,
        help_text="A square thumbnail made by accounts.avatars, never the upload.",
    )
    # The reply and new-topic forms' "Notify me of follow-up replies" box starts ticked
    # (posting then subscribes to the topic); set on the member's email preferences page.
    subscribe_on_reply = models.BooleanField(
        "subscribe to topics I reply to",
        default=False,
        help_text="Tick the reply form's notify box, so replying follows the topic.",
    )
    # What the member pages list, counted: moved with F() by ``forum``'s services in the
    # transaction that writes the rows (``forum.member_counters``), repaired by
    # ``manage.py recount``.
    topic_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible topics started."
    )
    reply_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Published replies in visible topics."
    )

    # The unread count in the header of every page a member sees, kept here so that it costs
    # no query: moved with F() by ``notifications.services`` alone, repaired by
    # ``manage.py prune_notifications``.
    unread_notifications = models.PositiveIntegerField(
        default=0, editable=False, help_text="Notifications not yet read."
    )

    COUNTERS = ("topic_count", "reply_count", "unread_notifications")

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs) -> None:
        """Save the member, never the counters: a member loaded before a post was written
        (the admin's form, a password change) would write back the counts it read."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            unsaved = {*self.COUNTERS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in unsaved
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("forum:member", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        """The role as bbPress names it under the author's name."""
        return "Keymaster" if self.is_superuser else self.get_role_display()

    @property
    def avatar_initial(self) -> str:
        return self.public_name[:1].upper()

    @property
    def avatar_colour(self) -> int:
        """A stable colour for the default avatar: a CSS class, so CSP needs no inline style."""
        return avatar_colour(self.username)

    def avatar_html(self, *, small: bool = False) -> SafeString:
        """The member's avatar, the one markup for it everywhere (``{% avatar member %}``).

        Decorative (empty ``alt``): the member's name is always written beside it.
        """
        if self.avatar:
            return format_html(
                '<img class="avatar avatar--image{}" src="{}" alt="" width="{}" height="{}">',
                " avatar--small" if small else "",
                self.avatar.url,
                AVATAR_SIZE,
                AVATAR_SIZE,
            )
        return letter_avatar_html(self.public_name, colour_key=self.username, small=small)


def avatar_colour(key: str) -> int:
    """Which of the palette's colours the default avatar of ``key`` (a username) has."""
    return zlib.crc32(key.encode()) % AVATAR_PALETTE_SIZE


def letter_avatar_html(name: str, *, colour_key: str, small: bool = False) -> SafeString:
    """The default avatar, for a member without an upload and for a guest's post: the first
    letter of ``name`` on the colour of ``colour_key``. Decorative, like every avatar."""
    return format_html(
        '<span class="avatar avatar--c{}{}" aria-hidden="true">{}</span>',
        avatar_colour(colour_key),
        " avatar--small" if small else "",
        name[:1].upper(),
    )


def rank(member: User | AnonymousUser) -> int:
    """Where a member stands: Keymaster 3, Moderator 2, any other member 1, a visitor 0."""
    if not member.is_authenticated:
        return 0
    if member.is_superuser:
        return 3
    return 2 if member.role == User.Role.MODERATOR else 1


def may_act_on(actor: User | AnonymousUser, member: User) -> bool:
    """Whether ``actor`` may act on ``member`` as a moderator: block them, change their role,
    edit their profile, hide or edit their posts.

    The one answer to "who may act on whom": Keymasters act on everyone; Moderators only on
    the members below them (Participants, Spectators, Blocked), never on another Moderator or
    a Keymaster; nobody else acts on anybody. What one may do to oneself is each action's
    own question (members edit their own posts and profile; nobody blocks themself).
    """
    return (
        actor.is_authenticated
        and actor.is_active
        and rank(actor) >= 2
        and (actor.is_superuser or rank(member) < rank(actor))
    )


def may_edit_profile(viewer: User | AnonymousUser, member: User) -> bool:
    """Members edit their own profile, unless they are blocked (what they were blocked for
    would stay public); those who may act on a member edit theirs."""
    if viewer.is_authenticated and viewer.pk == member.pk:
        return viewer.is_active and viewer.role != User.Role.BLOCKED
    return may_act_on(viewer, member)


def shows_profile_text(viewer: User | AnonymousUser, member: User) -> bool:
    """A blocked member's bio and website are shown to themself and to those who may act on
    them, not to everyone else."""
    return member.role != User.Role.BLOCKED or viewer.pk == member.pk or may_act_on(viewer, member)

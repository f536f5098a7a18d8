"""Who wrote a post, as the pages name them: the member, or the guest the post was written as.

bbPress lets guests post under a name, and a website, of their own choosing; imported, such a
post's ``author`` is one shared, inactive guest account and the post keeps the name and the
website (``Post.guest_name``, ``Post.guest_website``). Every place that names a post's author
asks here, so none names that account or links to its profile: a guest's name links to their
website (``rel="nofollow ugc"``, as bbPress links it) or to nothing, and their role line
says "Guest".
"""

from dataclasses import dataclass
from html import escape as _escape  # django.utils.html.escape, without its check for lazy text

from django.utils.safestring import SafeString, mark_safe

from accounts.models import User, letter_avatar_html

from .models import Post

GUEST_ROLE_LABEL = "Guest"
GUEST_LINK_REL = "nofollow ugc"


@dataclass(frozen=True, slots=True)
class Byline:
    """An author's name as a post shows it, and where it links."""

    name: str
    url: str  # the member's page, a guest's website, or "" (a guest without one)
    is_guest: bool

    @property
    def rel(self) -> str:
        """The link's ``rel``: a guest's website is theirs, not the forum's."""
        return GUEST_LINK_REL if self.is_guest else ""

    @property
    def html(self) -> SafeString:
        """The name, linked when there is somewhere to link it."""
        if not self.url:
            return mark_safe(_escape(self.name))  # escaped
        rel = f' rel="{self.rel}"' if self.rel else ""
        return mark_safe(  # every value escaped
            f'<a href="{_escape(self.url)}"{rel}>{_escape(self.name)}</a>'
        )

    def avatar_html(self, author: User, *, small: bool = False) -> SafeString:
        """``author``'s avatar, or a guest's default one for their name."""
        if self.is_guest:
            return letter_avatar_html(self.name, colour_key=self.name, small=small)
        return author.avatar_html(small=small)


def byline(
    *, username: str, display_name: str, guest_name: str, guest_website: str, member_url: str
) -> Byline:
    """The byline of a post from its columns: its author's ``username`` and ``display_name``
    and its own ``guest_name`` and ``guest_website``; ``member_url`` is the member page's URL
    pattern (``forum.rows.url_format``)."""
    if guest_name:
        return Byline(name=guest_name, url=_website(guest_website), is_guest=True)
    return Byline(name=display_name or username, url=member_url.format(username), is_guest=False)


def post_byline(post: Post, *, member_url: str = "") -> Byline:
    """The byline of ``post``, fetched with its ``author``; ``member_url`` as for
    :func:`byline`, or the member's page reversed for this one post."""
    if post.guest_name:
        return Byline(name=post.guest_name, url=_website(post.guest_website), is_guest=True)
    author = post.author
    return Byline(
        name=author.public_name,
        url=member_url.format(author.username) if member_url else author.get_absolute_url(),
        is_guest=False,
    )


def post_author_name(post: Post) -> str:
    """The name ``post`` (fetched with its ``author``) is by, where no link goes with it."""
    return post.guest_name or post.author.public_name


def _website(url: str) -> str:
    """A guest's website when it is a web address: no other scheme is ever made a link."""
    return url if url[:8].lower().startswith(("http://", "https://")) else ""

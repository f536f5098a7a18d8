"""The signed links in notification emails that stop them without logging in: one for a topic's
replies, one for a forum's new topics. ``notifications`` writes the emails; the subscriptions
are forum's, so their links are too. A token is the credential: a member id and what to stop,
signed with the site's secret, each kind with its own salt."""

from django.core import signing

_TOPIC_SALT = "forum.unsubscribe"  # the links in emails sent before forum links existed
_FORUM_SALT = "forum.unsubscribe.forum"


def unsubscribe_token(*, member_id: int, topic_id: int) -> str:
    """The token of the link that unsubscribes ``member_id`` from a topic's replies."""
    return signing.dumps([member_id, topic_id], salt=_TOPIC_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """The (member id, topic id) a token was made for, or ``None`` if it was tampered with."""
    return _read(token, _TOPIC_SALT)


def forum_unsubscribe_token(*, member_id: int, forum_id: int) -> str:
    """The token of the link that stops telling ``member_id`` of a forum's new topics."""
    return signing.dumps([member_id, forum_id], salt=_FORUM_SALT, compress=True)


def read_forum_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """The (member id, forum id) a token was made for, or ``None`` if it was tampered with."""
    return _read(token, _FORUM_SALT)


def _read(token: str, salt: str) -> tuple[int, int] | None:
    try:
        member_id, target_id = signing.loads(token, salt=salt)
        return int(member_id), int(target_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None

"""The signed one-click link in notification emails that turns kinds of email off (mentions,
quotes, moderation, digests; forum's own links unsubscribe from a topic or a forum). The
token is the credential: a member id and the preferences to turn off, signed with the site's
secret under a salt of its own."""

from django.core import signing

from .models import EmailPreferences

_SALT = "notifications.unsubscribe"


def kinds_unsubscribe_token(*, member_id: int, fields: list[str]) -> str:
    """The token of the link that sets ``member_id``'s preferences ``fields`` to "off"."""
    return signing.dumps([member_id, sorted(fields)], salt=_SALT, compress=True)


def read_kinds_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    """The (member id, preference fields) a token was made for, or ``None`` if it was
    tampered with."""
    try:
        member_id, fields = signing.loads(token, salt=_SALT)
        member_id = int(member_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(fields, list) or not fields:
        return None
    if not all(isinstance(field, str) and field in EmailPreferences.ABOUT for field in fields):
        return None
    return member_id, fields

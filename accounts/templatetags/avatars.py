"""``{% avatar member %}`` and ``{% avatar member small=True %}``: a member's avatar."""

from django import template
from django.utils.safestring import SafeString

from accounts.models import User

register = template.Library()


@register.simple_tag
def avatar(member: User, small: bool = False) -> SafeString:
    return member.avatar_html(small=small)

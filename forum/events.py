"""What ``forum`` tells the rooms above it (notifications, and later ones), once, after the
write that made it happen has committed: never for a write that rolled back.

Each event is a Django signal, sent by the service that makes it happen
(``transaction.on_commit`` then ``send_robust``: a listener's failure is logged and never
reaches the member whose post is saved). Listeners subscribe in their app's ``ready()`` and
do little (queue a task): they run in the request. ``forum`` never imports them.

- ``post_published(post_id, approved, opening, mentions)``: a member's post is visible,
  posted unheld (``approved`` false) or approved by a moderator after it was held;
  ``opening`` when it opens its topic; ``mentions`` are the usernames its text mentions
  (``forum.markup.mentioned_usernames``), ``quotes`` the posts it quotes
  (``forum.markup.quoted_post_ids``).
- ``post_held(post_id)``: a member's post waits for a moderator.
- ``post_edited(post_id, mentions, mentioned_before)``: a post's text changed; the
  usernames it mentions now, and those it mentioned until then.
- ``posts_hidden(post_ids, topic_ids, author_ids)``: readers may no longer see those posts,
  the posts of those topics, or the posts of those authors (held, spammed, trashed,
  blocked): what was said about them should stop showing.
- ``posts_deleted()``: posts were deleted for good (with whatever pointed at them).

One event is sent at once, in the request, since it writes nothing of forum's:

- ``topic_viewed(member, topic, read_through)``: a member was shown a page of a topic
  whose newest published post was written at ``read_through`` (unread tracking records
  it, so the lists the member goes back to are up to date).
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

post_published = Signal()
post_held = Signal()
post_edited = Signal()
posts_hidden = Signal()
posts_deleted = Signal()
topic_viewed = Signal()


def announce(signal: Signal, **details) -> None:
    """Send ``signal`` with ``details`` once the current transaction commits."""

    transaction.on_commit(lambda: tell(signal, **details), robust=True)


def tell(signal: Signal, **details) -> None:
    """Send ``signal`` with ``details`` now; a listener's failure is logged, never raised."""
    for receiver, outcome in signal.send_robust(sender=None, **details):
        if isinstance(outcome, Exception):
            logger.error("A listener of a forum event failed: %r", receiver, exc_info=outcome)

"""Text rules every form shares: no control characters where a person types text.

``accounts`` is the lowest room, so the forum's models and forms use these too. A title, a
display name or a reason is one line: a line break there ends up in an email header (which the
mail library then refuses), a tab or an escape character in a page, and a bidirectional
override makes a name read backwards. A post or a biography may hold line breaks and tabs, but
no other control character (they are not allowed in HTML and mean nothing to a reader).
NUL is refused by Django's form fields already; it is listed here too for the admin's models.
"""

import re

from django.core.exceptions import ValidationError

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
NOT_IN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NOT_IN_ONE_LINE_RUNS = re.compile(f"(?:{NOT_IN_ONE_LINE.pattern})+")
# The same less tab, line feed and carriage return, and less the Unicode separators and
# bidirectional marks, which right-to-left writing may need within a longer text.
NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """``text`` made safe for one line (a mail header): each run of what :func:`single_line`
    refuses becomes a space. Forms refuse these characters; this keeps older rows and imports
    from making the mail library refuse a subject."""
    return _NOT_IN_ONE_LINE_RUNS.sub(" ", text).strip()


def single_line(value: str) -> None:
    """Refuse anything but one line of plain text."""
    if NOT_IN_ONE_LINE.search(value):
        raise ValidationError(
            "This must be a single line of text, without line breaks, tabs or other "
            "control characters.",
            code="control_characters",
        )


def multi_line(value: str) -> None:
    """Refuse control characters other than tab and line breaks."""
    if NOT_IN_TEXT.search(value):
        raise ValidationError(
            "This text holds control characters (invisible codes such as escape or "
            "backspace); please remove them.",
            code="control_characters",
        )

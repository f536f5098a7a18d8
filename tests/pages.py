"""Helpers for reading pages as a person does: the visible text, not the markup."""

import html as html_lib
import re


def text_of(response) -> str:
    """The page's visible text: inline tags dropped, block tags as spaces, whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"</?(a|span|time|strong|em|code)\b[^>]*>", "", html)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())

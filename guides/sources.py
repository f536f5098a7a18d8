"""Reading a guide from a markdown file with a small "key: value" front-matter block.

The block is a handful of flat keys, so a few lines here stand in for a YAML dependency.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SOURCE_GUIDE_PATH = CONTENT_DIR / "do-hip-thrusts-work-the-lower-back.md"
FRONT_MATTER_FENCE = "---"


class GuideSourceError(ValueError):
    """The file is not a guide this project can import; the message says why."""


@dataclass(frozen=True)
class GuideSource:
    title: str
    body: str
    forum: str = "Guides"
    author: str = "admin"
    posted: datetime | None = None
    post_number: int | None = None
    summary: str = ""


def parse_guide(text: str) -> GuideSource:
    """Split front matter from the markdown body and check the fields."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise GuideSourceError("A guide file starts with a '---' front-matter block.")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise GuideSourceError("The front-matter block is not closed with '---'.") from None
    fields: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if not sep:
            raise GuideSourceError(f"Front-matter line is not 'key: value': {line!r}")
        fields[key.strip()] = value.strip()
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    if not fields.get("title"):
        raise GuideSourceError("The front matter needs a title.")
    if not body.strip():
        raise GuideSourceError("The guide has no text.")
    return GuideSource(
        title=fields["title"],
        body=body,
        forum=fields.get("forum", "Guides"),
        author=fields.get("author", "admin"),
        posted=_parse_posted(fields.get("posted")),
        post_number=_parse_post_number(fields.get("post_number")),
        summary=fields.get("summary", ""),
    )


def read_guide(path: Path) -> GuideSource:
    return parse_guide(Path(path).read_text(encoding="utf-8"))


def _parse_posted(value: str | None) -> datetime | None:
    """ "2023-08-16 11:34", read in the site's time zone."""
    if not value:
        return None
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        raise GuideSourceError(
            f"'posted' must look like 2023-08-16 11:34, not {value!r}."
        ) from None
    return timezone.make_aware(naive)


def _parse_post_number(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise GuideSourceError(f"'post_number' must be a positive whole number, not {value!r}.")
    return int(value)

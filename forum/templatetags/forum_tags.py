"""Template filters for bbPress-style dates and counted nouns, page links, and what search
engines read (absolute URLs, descriptions)."""

from datetime import datetime

from django import template

from forum import markup, site_url
from forum.rows import count_text
from forum.timesince import bbp_post_date, bbp_time_since, machine_date

register = template.Library()


@register.filter
def time_since(value: datetime) -> str:
    return bbp_time_since(value)


@register.filter
def post_date(value: datetime) -> str:
    return bbp_post_date(value)


@register.filter
def datetime_attr(value: datetime) -> str:
    """For ``<time datetime="…">`` and ``<meta>`` dates: to the second, as HTML allows."""
    return machine_date(value)


@register.filter
def counted(number: int, nouns: str) -> str:
    """``{{ 2|counted:"reply,replies" }}`` gives "2 replies"; numbers get thousands separators."""
    singular, plural = nouns.split(",")
    return f"{count_text(number)} {singular if number == 1 else plural}"


@register.inclusion_tag("_partials/page_links.html")
def page_links(page_obj, base_url: str, label: str) -> dict:
    """Numbered page links ("1 2 … 41 →") for a paginated list whose first page is ``base_url``."""
    paginator = page_obj.paginator
    links = []
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append({"number": number, "url": page_url(base_url, number)})
    return {"page_obj": page_obj, "links": links, "label": label, "base_url": base_url}


@register.simple_tag
def page_url(base_url: str, number: int) -> str:
    """Page ``number`` of the list at ``base_url`` (whose query string, if any, it keeps)."""
    path, mark, query = base_url.partition("?")
    return base_url if number == 1 else f"{path}page/{number}/{mark}{query}"


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str = "") -> str:
    """``{% absolute_url %}``: the page's own address (without its query string), absolute,
    for canonical links; ``{% absolute_url path %}`` another path's (``forum.site_url``)."""
    request = context["request"]
    return site_url.absolute_url(request, path or request.path)


@register.filter
def summary(text: str) -> str:
    """Plain ``text`` in at most 155 characters, cut at a word, for a meta description."""
    return markup.summary(text or "")

"""The search pages. ``/forums/search/?bbp_search=terms`` (bbPress's form) redirects to
``/forums/search/<terms>/``, whose pages list the results. Never cached, and marked
``noindex``: the query space is endless and its pages say nothing a topic does not."""

from urllib.parse import quote_plus, urlencode

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User
from forum import permissions
from forum.models import Forum

from .backends import Filters
from .forms import SearchForm
from .selectors import search_page

FILTERS = ("forum", "author", "hidden")


def _forums() -> list[dict]:
    forums = Forum.objects.order_by("position", "name")
    return list(forums.values("id", "parent_id", "slug", "name"))


def _forum_choices(forums: list[dict]) -> list[tuple[str, str]]:
    """Every forum, each under its parent, indented by its depth."""
    children: dict[int | None, list[dict]] = {}
    for forum in forums:
        children.setdefault(forum["parent_id"], []).append(forum)
    choices: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int, seen: frozenset[int]) -> None:
        for forum in children.get(parent, ()):
            if forum["id"] not in seen:
                choices.append((forum["slug"], "\u2003" * depth + forum["name"]))
                walk(forum["id"], depth + 1, seen | {forum["id"]})

    walk(None, 0, frozenset())
    return choices


def _forum_and_below(forums: list[dict], slug: str) -> tuple[int, ...]:
    ids = {forum["id"] for forum in forums if forum["slug"] == slug}
    grew = True
    while grew:
        below = {forum["id"] for forum in forums if forum["parent_id"] in ids}
        grew = not below <= ids
        ids |= below
    return tuple(sorted(ids))


def _form(request: HttpRequest, data: dict | None, forums: list[dict]) -> SearchForm:
    moderating = request.user.is_authenticated and permissions.is_moderator(request.user)
    return SearchForm(data, forum_choices=_forum_choices(forums), moderating=moderating)


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, "search/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def results_url(terms: str, filters: dict[str, str], page: int = 1) -> str:
    """The address of a results page: the terms in the path, as bbPress writes them ("+" for
    spaces), the filters in the query string."""
    path = reverse("search:results", kwargs={"terms": "_"})
    path = path.removesuffix("_/") + quote_plus(terms, safe="") + "/"
    if page > 1:
        path += f"page/{page}/"
    query = urlencode({name: value for name, value in filters.items() if value})
    return f"{path}?{query}" if query else path


def search(request: HttpRequest) -> HttpResponse:
    """The search form; with ``bbp_search`` given, its results' address."""
    forums = _forums()
    if "bbp_search" not in request.GET:
        return _render(request, {"form": _form(request, None, forums)})
    form = _form(request, request.GET, forums)
    if not form.is_valid():
        return _render(request, {"form": form}, status=400)
    filters = {name: request.GET.get(name, "") for name in FILTERS if name in form.fields}
    return redirect(results_url(request.GET["bbp_search"].strip(), filters))


def search_results(request: HttpRequest, terms: str, page: int = 1) -> HttpResponse:
    # bbPress writes spaces in the path as "+"; a literal "+" is punctuation to the search.
    terms = terms.replace("+", " ").strip()
    forums = _forums()
    form = _form(request, {"bbp_search": terms, **request.GET.dict()}, forums)
    context: dict = {"form": form, "terms": terms}
    if not form.is_valid():
        return _render(request, context, status=400)
    data = form.cleaned_data
    author = None
    if data["author"]:
        author = User.objects.filter(
            Q(username=data["author"]) | Q(username__iexact=data["author"])
        ).first()
        if author is None:
            form.add_error("author", f"No member is called “{data['author']}”.")
            return _render(request, context, status=400)
    filters = Filters(
        include_hidden=bool(data.get("hidden")),
        forum_ids=_forum_and_below(forums, data["forum"]) if data["forum"] else (),
        author_id=author.pk if author else None,
    )
    kept = {name: request.GET.get(name, "") for name in FILTERS if data.get(name)}
    context.update(
        searched=True,
        page_obj=search_page(data["bbp_search"], filters=filters, page_number=page),
        base_url=results_url(terms, kept),
        author=author,
    )
    return _render(request, context)

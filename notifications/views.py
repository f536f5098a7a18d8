"""The notifications inbox (``/notifications/``): members only, their own, never cached."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import inbox_page
from .services import notifications_mark_read


@login_required
def inbox(request: HttpRequest, page: int = 1) -> HttpResponse:
    if request.resolver_match.url_name == "inbox_page" and page == 1:
        return redirect("notifications:inbox", permanent=True)
    context = {"page_obj": inbox_page(request.user, page_number=page)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``id``), or every one (``all``)."""
    if "all" in request.POST:
        marked = notifications_mark_read(member=request.user)
        messages.success(request, f"Marked {marked:,} notifications as read.")
    else:
        ids = [int(n) for n in request.POST.getlist("id") if n.isascii() and n.isdigit()][:100]
        notifications_mark_read(member=request.user, ids=ids)
    return redirect("notifications:inbox")

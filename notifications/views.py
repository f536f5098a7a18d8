"""The notifications inbox (``/notifications/``): members only, their own, never cached; the
email preferences page; and the one-click link in emails that turns kinds of email off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User

from .forms import EmailPreferencesForm
from .models import EmailPreferences
from .selectors import email_preferences_for, inbox_page
from .services import email_preferences_update, notifications_mark_read
from .unsubscribe import read_kinds_unsubscribe_token


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


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """``/notifications/email/``: when to email each kind of notification."""
    member = request.user
    form = EmailPreferencesForm(
        request.POST or None,
        instance=email_preferences_for([member.pk])[member.pk],
        subscribe_on_reply=member.subscribe_on_reply,
    )
    if request.method == "POST" and form.is_valid():
        email_preferences_update(
            member=member,
            choices={name: form.cleaned_data[name] for name in EmailPreferencesForm.Meta.fields},
            subscribe_on_reply=form.cleaned_data["subscribe_on_reply"],
        )
        messages.success(request, "Your email preferences were saved.")
        return redirect("notifications:email_preferences")
    return render(request, "notifications/email_preferences.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST has no cookie
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The ``List-Unsubscribe`` link of mention, quote, moderation and digest emails: a page
    with a button (GET writes nothing: mail scanners fetch links), and the POST that turns
    those kinds of email off, no login needed."""
    read = read_kinds_unsubscribe_token(token)
    if read is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    member_id, fields = read
    member = get_object_or_404(User, pk=member_id)
    done = False
    if request.method == "POST":
        email_preferences_update(
            member=member, choices=dict.fromkeys(fields, EmailPreferences.When.OFF)
        )
        done = True
    preferences = email_preferences_for([member.pk])[member.pk]
    context = {
        "member": member,
        "about": [EmailPreferences.ABOUT[field] for field in fields],
        "done": done or all(getattr(preferences, f) == EmailPreferences.When.OFF for f in fields),
    }
    return render(request, "notifications/unsubscribe.html", context)

"""Editing a member's profile at ``/forums/users/<username>/edit/``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .forms import ProfileForm
from .models import User, may_edit_profile
from .services import profile_update


def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    """The member themself, or staff, edit display name, bio, website and avatar."""
    member = get_object_or_404(User, username=username, is_active=True)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_edit_profile(request.user, member):
        raise PermissionDenied("You may edit only your own profile.")
    # The form works on its own copy, so a refused upload leaves the page showing the member
    # as they are saved.
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=User.objects.get(pk=member.pk)
    )
    if request.method == "POST" and form.is_valid():
        profile_update(
            member=member,
            fields={name: form.cleaned_data[name] for name in ProfileForm.Meta.fields},
            avatar=form.avatar,
            remove_avatar=form.cleaned_data["remove_avatar"],
        )
        own = request.user.pk == member.pk
        messages.success(request, "Your profile was saved." if own else "The profile was saved.")
        return redirect(member)
    return render(request, "accounts/profile_edit.html", {"member": member, "form": form})

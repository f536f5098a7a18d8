"""Editing a member's profile at ``/forums/users/<username>/edit/``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .forms import ProfileForm
from .models import User, may_edit_profile
from .services import AvatarNotSaved, profile_update
from .uploads import AvatarUploadHandler


@csrf_exempt
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    """The member themself, or staff, edit display name, bio, website and avatar.

    The avatar is counted as it streams in and dropped past its size limit
    (``accounts.uploads``). The upload handlers must be in place before anything reads
    ``request.POST``, and the CSRF middleware does, so the CSRF check is made inside, by
    ``csrf_protect``, once they are (Django's "Modifying upload handlers on the fly").
    """
    avatar_handler = AvatarUploadHandler(request)
    request.upload_handlers = [avatar_handler]
    return _profile_edit(request, username, avatar_handler)


@csrf_protect
def _profile_edit(
    request: HttpRequest, username: str, avatar_handler: AvatarUploadHandler
) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_edit_profile(request.user, member):
        raise PermissionDenied("You may edit only your own profile.")
    # The form works on its own copy, so a refused upload leaves the page showing the member
    # as they are saved.
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=User.objects.get(pk=member.pk),
        avatar_too_big=avatar_handler.too_big,
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                member=member,
                fields={name: form.cleaned_data[name] for name in ProfileForm.Meta.fields},
                avatar=form.avatar,
                remove_avatar=form.cleaned_data["remove_avatar"],
            )
        except AvatarNotSaved as not_saved:
            form.add_error("avatar_upload", str(not_saved))
        else:
            own = request.user.pk == member.pk
            messages.success(
                request, "Your profile was saved." if own else "The profile was saved."
            )
            return redirect(member)
    return render(request, "accounts/profile_edit.html", {"member": member, "form": form})

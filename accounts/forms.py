"""Account forms: allauth's (clearer labels, a CSP-safe honeypot) and the profile form."""

from allauth.account import app_settings
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from .avatars import AvatarRejected, avatar_size_limit, avatar_too_big, make_avatar
from .models import User


class LoginForm(AllauthLoginForm):
    """allauth's login form, its first field named for what it takes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"


class SignupForm(AllauthSignupForm):
    """allauth's signup form; its honeypot is hidden by a CSS class, not an inline style.

    The site's Content-Security-Policy refuses inline styles, and a field without a label is
    an accessibility error, so the trap gets a class (``display: none`` in forum.css, which
    people never see and bots that read only HTML still fill in) and a plain label.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        name = app_settings.SIGNUP_FORM_HONEYPOT_FIELD
        if name and name in self.fields:
            field = self.fields[name]
            field.label = "Leave this field empty"
            field.widget.attrs = {"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}


class ProfileForm(forms.ModelForm):
    """What members edit about themselves; fields not listed here cannot be changed."""

    # A plain file field, not the model's ImageField: that one would hand every upload to
    # Pillow (any format) before our pipeline, and store the upload itself.
    avatar_upload = forms.FileField(
        label="Avatar",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label="Remove my avatar", required=False)
    # The form field's own URL check, and the model's (http and https only) for what passes
    # it: one message for a bad address, not one from each.
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        max_length=User._meta.get_field("website").max_length,
    )

    class Meta:
        model = User
        fields = ["display_name", "bio", "website"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        labels = {"display_name": "Display name", "bio": "Biographical info"}

    def __init__(self, *args, avatar_too_big: bool = False, **kwargs) -> None:
        """``avatar_too_big``: the upload handler dropped an avatar over the size limit as it
        streamed in (``accounts.uploads``), so the form must refuse the whole submission."""
        super().__init__(*args, **kwargs)
        self.avatar: ContentFile | None = None
        self.avatar_too_big = avatar_too_big
        limit = avatar_size_limit()
        help_text = f"JPEG, PNG, WebP or GIF, at most {limit}. It is cropped to a square."
        self.fields["avatar_upload"].help_text = help_text

    def clean_avatar_upload(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("avatar_upload")
        if self.avatar_too_big:
            raise forms.ValidationError(str(avatar_too_big()), code="avatar")
        if upload:
            try:
                self.avatar = make_avatar(upload)
            except AvatarRejected as rejected:
                raise forms.ValidationError(str(rejected), code="avatar") from None
        return upload

"""Members in the admin (Django's user admin plus display name and role); the admin's login
spends the site's failed-login budget."""

from allauth.account.adapter import get_adapter
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.db import models

from .models import User, may_act_on
from .services import member_set_role


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    """Django's summary of a password, without the ``disabled`` attribute its ``<div>`` gets
    from the disabled field (HTML allows it on form controls only; the form ignores the
    field's input either way)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class MemberChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordHashWidget()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = MemberChangeForm
    list_display = (
        "username",
        "display_name",
        "email",
        "role",
        "is_superuser",
        "date_joined",
        "last_login",
    )
    list_filter = ("role", "is_superuser", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "display_name", "email")
    # Django's, less groups and permissions (a member's role gives them: member_set_role),
    # with the dates shown rather than edited.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
        ("Forum", {"fields": ("display_name", "role", "bio", "website")}),
    )
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Moderators may tidy a profile but not touch roles, permissions or passwords.
    moderator_fieldsets = ((None, {"fields": ("username", "display_name", "bio", "website")}),)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    def has_change_permission(self, request, obj: User | None = None) -> bool:
        """Moderators change their own profile and those of the members below them."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or obj.pk == request.user.pk or may_act_on(request.user, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        if not request.user.is_superuser:
            return ("username",)
        return ("last_login", "date_joined")

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the form's own groups are saved, or they would undo the role's group.
        if "role" in form.changed_data:
            member_set_role(member=form.instance, role=form.instance.role)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form, checked by the account adapter as the site's login is.

    Without this, ``/admin/login/`` would be a way around the site's failed-login budget. The
    adapter spends one attempt from the account's budget (and the address's) before the
    password is checked, refuses with "Too many failed login attempts" once it is spent, and
    gives the attempt back after a right password, so a staff member's login never wipes the
    failures counted against their address.
    """

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm

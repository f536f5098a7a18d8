"""Members in the admin (Django's user admin plus display name and role); a rate-limited login."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models

from .admin_login import rate_limited
from .models import User
from .services import member_set_role


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Forum", {"fields": ("display_name", "role", "bio", "website")}),
    )
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Moderators may tidy a profile but not touch roles, permissions or passwords.
    moderator_fieldsets = ((None, {"fields": ("username", "display_name", "bio", "website")}),)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if not request.user.is_superuser:
            return ("username",)
        return super().get_readonly_fields(request, obj)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the form's own groups are saved, or they would undo the role's group.
        if "role" in form.changed_data:
            member_set_role(member=form.instance, role=form.instance.role)


admin.site.login = rate_limited(admin.site.login)

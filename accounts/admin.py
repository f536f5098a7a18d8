"""Members in the admin (Django's user admin plus display name and role); a rate-limited login."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .admin_login import rate_limited
from .models import User


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
        ("Forum", {"fields": ("display_name", "role")}),
    )


admin.site.login = rate_limited(admin.site.login)

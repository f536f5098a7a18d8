"""Members in the admin: Django's user admin plus the forum's display name and role."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

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

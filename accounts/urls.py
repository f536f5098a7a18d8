"""Profile editing, under the forum's member URLs as bbPress has it."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("forums/users/<str:username>/edit/", views.profile_edit, name="profile_edit"),
]

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/page/<int:page>/", views.inbox, name="inbox_page"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/email/", views.email_preferences, name="email_preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

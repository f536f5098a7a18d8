from django.urls import path

from . import views

app_name = "reading"

urlpatterns = [
    path("forums/topic/<slug:slug>/unread/", views.topic_unread, name="topic_unread"),
    path("forums/forum/<slug:slug>/read/", views.forum_mark_read, name="forum_mark_read"),
    path("forums/read/", views.site_mark_read, name="site_mark_read"),
]

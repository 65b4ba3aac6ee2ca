"""Notification pages: /notifications/..."""

from django.urls import path

from parkos.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("preferences/", views.preferences_view, name="preferences"),
    path("read-all/", views.read_all_view, name="read_all"),
    path("<int:pk>/", views.open_view, name="open"),
    path("<int:pk>/read/", views.read_view, name="read"),
    path("<int:pk>/unread/", views.unread_view, name="unread"),
]

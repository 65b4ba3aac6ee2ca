"""Enterprise portal page URLs: /portal/..."""

from django.urls import path

from parkos.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path("propose/", views.ProposeView.as_view(), name="propose"),
    path(
        "proposals/<int:pk>/approve/",
        views.ReviewView.as_view(decision="approve"),
        name="profilechangerequest_approve",
    ),
    path(
        "proposals/<int:pk>/reject/",
        views.ReviewView.as_view(decision="reject"),
        name="profilechangerequest_reject",
    ),
    *views.ProfileChangeRequestViews.urls(),
]

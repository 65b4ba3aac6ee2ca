"""Services page URLs: /services/..."""

from django.urls import path

from parkos.services import views
from parkos.services.figures import ServiceFiguresView

app_name = "services"
urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("figures/", ServiceFiguresView.as_view(), name="figures"),
    *views.ServiceViews.urls(),
    *views.ScenarioViews.urls(),
    *views.ServiceRequestViews.urls(),
    *views.RequestMessageViews.urls(),
    *views.ServiceDeskViews.urls(),
    path("requests/<int:pk>/message/", views.request_post_message, name="servicerequest_message"),
    path("requests/<int:pk>/rate/", views.request_rate_view, name="servicerequest_rate"),
    path(
        "requests/<int:pk>/<str:transition>/",
        views.request_transition,
        name="servicerequest_transition",
    ),
    path("catalogue/scenarios/<int:pk>/<str:change>/", views.scenario_membership, name="scenario_membership"),
    path("messages/<int:pk>/download/", views.message_download, name="requestmessage_download"),
]

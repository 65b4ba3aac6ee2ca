"""Services API URLs: /api/services/..."""

from django.urls import path

from parkos.core.api.views import Router
from parkos.services.api import views

app_name = "services-api"
router = Router()
router.register("services", views.ServiceViewSet)
router.register("scenarios", views.ScenarioViewSet)
router.register("desks", views.ServiceDeskViewSet)
router.register("requests", views.ServiceRequestViewSet)
router.register("messages", views.RequestMessageViewSet)
urlpatterns = [path("figures/", views.ServiceFiguresAPIView.as_view(), name="figures"), *router.urls]

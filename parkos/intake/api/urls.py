"""Press intake API URLs: /api/intake/..."""

from django.urls import path

from parkos.core.api.views import Router
from parkos.intake.api import views

app_name = "intake-api"
router = Router()
router.register("articles", views.ArticleViewSet)
urlpatterns = [path("extract/", views.ExtractAPIView.as_view(), name="extract"), *router.urls]

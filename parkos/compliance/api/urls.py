from parkos.core.api.views import Router

app_name = "compliance-api"
router = Router()
urlpatterns = [*router.urls]

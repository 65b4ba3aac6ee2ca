from parkos.core.api.views import Router

app_name = "policies-api"
router = Router()
urlpatterns = [*router.urls]

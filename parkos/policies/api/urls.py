"""Policy API URLs: /api/policies/... (the standard endpoints in ``views``, the workflow actions in ``workflow``)."""

from parkos.core.api.views import Router
from parkos.policies.api import workflow

app_name = "policies-api"
router = Router()
urlpatterns = [*workflow.urlpatterns, *router.urls]

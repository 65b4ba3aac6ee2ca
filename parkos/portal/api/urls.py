"""Enterprise portal API URLs: /api/portal/..."""

app_name = "portal-api"
urlpatterns = []

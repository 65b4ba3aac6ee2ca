"""Services API URLs: /api/services/..."""

app_name = "services-api"
urlpatterns = []

"""Leasing API URLs: /api/leasing/..."""

app_name = "leasing-api"
urlpatterns = []

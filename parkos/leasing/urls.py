"""Leasing page URLs: /leasing/..."""

app_name = "leasing"
urlpatterns = []

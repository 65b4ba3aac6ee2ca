"""Enterprise portal page URLs: /portal/..."""

app_name = "portal"
urlpatterns = []

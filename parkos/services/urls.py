"""Services page URLs: /services/..."""

app_name = "services"
urlpatterns = []

"""Notifications API URLs: /api/notifications/..."""

from parkos.core.api.views import Router
from parkos.notifications.api import views

app_name = "notifications-api"
router = Router()
router.register("notifications", views.NotificationViewSet, basename="notification")
urlpatterns = router.urls

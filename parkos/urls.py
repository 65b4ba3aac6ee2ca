"""Top-level URLs: the shell pages, each domain's pages, the API and its documentation."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from parkos.core.api.docs import RedocView, SwaggerView
from parkos.core.api.root import APIRootView
from parkos.core.health import health_view
from parkos.core.metrics import metrics_view
from parkos.core.views import exports, pages
from parkos.land.api.views import LAND_API_MOVED, moved_from_evaluation
from parkos.users.forms import LoginForm

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("search/", pages.SearchView.as_view(), name="search"),
    path("profile/", pages.ProfileView.as_view(), name="profile"),
    path("changelog/", pages.ChangeLogView.as_view(), name="changelog"),
    path("exports/", exports.ExportListView.as_view(), name="export_jobs"),
    path("exports/<int:pk>/", exports.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
    path("changelog/<int:pk>/", pages.ChangeDetailView.as_view(), name="objectchange"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="users/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="users/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="users/password_done.html"),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("directory/", include("parkos.directory.urls")),
    path("parks/", include("parkos.parks.urls")),
    path("investment/", include("parkos.investment.urls")),
    path("leasing/", include("parkos.leasing.urls")),
    path("services/", include("parkos.services.urls")),
    path("portal/", include("parkos.portal.urls")),
    path("evaluation/", include("parkos.evaluation.urls")),
    # the land pages kept the paths they had under evaluation
    path("evaluation/", include("parkos.land.urls")),
    path("compliance/", include("parkos.compliance.urls")),
    path("policies/", include("parkos.policies.urls")),
    path("intake/", include("parkos.intake.urls")),
    path("cockpit/", include("parkos.cockpit.urls")),
    path("maps/", include("parkos.maps.urls")),
    path("notifications/", include("parkos.notifications.urls")),
    path("api/", APIRootView.as_view(), name="api-root"),
    path("api/directory/", include("parkos.directory.api.urls")),
    path("api/parks/", include("parkos.parks.api.urls")),
    path("api/investment/", include("parkos.investment.api.urls")),
    path("api/leasing/", include("parkos.leasing.api.urls")),
    path("api/services/", include("parkos.services.api.urls")),
    path("api/portal/", include("parkos.portal.api.urls")),
    path("api/evaluation/", include("parkos.evaluation.api.urls")),
    path("api/land/", include("parkos.land.api.urls")),
    re_path(LAND_API_MOVED, moved_from_evaluation),  # the land endpoints' paths before /api/land/
    path("api/compliance/", include("parkos.compliance.api.urls")),
    path("api/policies/", include("parkos.policies.api.urls")),
    path("api/intake/", include("parkos.intake.api.urls")),
    path("api/cockpit/", include("parkos.cockpit.api.urls")),
    path("api/maps/", include("parkos.maps.api.urls")),
    path("api/notifications/", include("parkos.notifications.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
    path("health/", health_view, name="health"),
    path("metrics", metrics_view, name="metrics"),
]

# Uploaded files are never served from MEDIA_URL, not even in debug: each one goes through its record's
# permission-checked download view (parkos.core.views.files.serve_file).

handler404 = "parkos.core.views.errors.page_not_found"

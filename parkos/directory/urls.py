"""Directory page URLs."""

from parkos.directory import views

app_name = "directory"
urlpatterns = [
    *views.IndustryViews.urls(),
    *views.OrganizationViews.urls(),
    *views.OrganizationAliasViews.urls(),
    *views.PersonViews.urls(),
    *views.PositionViews.urls(),
]

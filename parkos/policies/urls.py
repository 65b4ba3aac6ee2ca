"""Policy page URLs: the standard pages of each model (``standard_urls``) and the application workflow
(``workflow_urls``: apply, review, decide, disburse; the enterprise's "policies for you")."""

from parkos.policies import standard_urls, workflow_urls

app_name = "policies"
urlpatterns = [*workflow_urls.urlpatterns, *standard_urls.urlpatterns]

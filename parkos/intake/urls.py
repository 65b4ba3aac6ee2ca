"""Press intake page URLs: /intake/..."""

from parkos.intake import views

app_name = "intake"
urlpatterns = [*views.ArticleViews.urls()]

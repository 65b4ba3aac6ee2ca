"""Press intake filter sets (list page and API)."""

from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import PrimaryFilterSet, RelatedFilter
from parkos.intake.models import Article
from parkos.parks.models import Park


class ArticleFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))

    class Meta:
        model = Article
        fields = ("q", "park", "status", "language")

"""Press intake import/export columns: parks by code, the article's text in full (its fingerprint is computed)."""

from import_export import fields

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.intake.models import Article
from parkos.parks.models import Park


@register
class ArticleResource(PrimaryResource):
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))

    class Meta(PrimaryResource.Meta):
        model = Article
        fields = ("id", "title", "park", "source_name", "url", "language", "status", "text")
        import_id_fields = ("id",)

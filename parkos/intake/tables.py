"""Press intake list tables."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import LocalDateTimeColumn, PrimaryTable
from parkos.intake.models import Article


class ArticleTable(PrimaryTable):
    title = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    created = LocalDateTimeColumn(format="Y-m-d H:i", verbose_name=_("taken in"))

    class Meta(PrimaryTable.Meta):
        model = Article
        fields = ("title", "status", "language", "park", "source_name", "created")

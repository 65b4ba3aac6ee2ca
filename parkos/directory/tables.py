"""Directory list tables."""

import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import PrimaryTable
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class IndustryTable(PrimaryTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Industry
        fields = ("code", "name", "name_en", "parent", "national_code")


FLAG_FIELDS = ("is_listed", "is_fortune_global_500", "is_unicorn", "is_high_tech", "is_srdi")


class OrganizationTable(PrimaryTable):
    name = tables.Column(linkify=True)
    industry = tables.Column(linkify=True)
    flags = tables.Column(accessor="pk", verbose_name=_("flags"), orderable=False)

    class Meta(PrimaryTable.Meta):
        model = Organization
        fields = ("name", "kind", "credit_code", "industry", "ownership", "district", "flags")

    def render_flags(self, record):
        """One column of badges (listed, high-tech, SRDI, ...) instead of a column per flag."""
        labels = [str(record._meta.get_field(f).verbose_name) for f in FLAG_FIELDS if getattr(record, f)]
        return format_html_join(" ", '<span class="badge bg-blue-lt">{}</span>', ((label,) for label in labels))


class OrganizationAliasTable(PrimaryTable):
    name = tables.Column(linkify=True)
    organization = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = OrganizationAlias
        fields = ("name", "organization")


class PersonTable(PrimaryTable):
    name = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Person
        fields = ("name", "name_en", "email", "phone")


class PositionTable(PrimaryTable):
    title = tables.Column(linkify=True)
    person = tables.Column(linkify=True)
    organization = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Position
        fields = ("person", "title", "organization", "start_date", "end_date")

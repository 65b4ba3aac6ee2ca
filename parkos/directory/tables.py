"""Directory list tables."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import BooleanIconColumn, PrimaryTable
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class IndustryTable(PrimaryTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Industry
        fields = ("code", "name", "name_en", "parent", "national_code")


class OrganizationTable(PrimaryTable):
    name = tables.Column(linkify=True)
    industry = tables.Column(linkify=True)
    is_high_tech = BooleanIconColumn(verbose_name=_("high-tech"))
    is_srdi = BooleanIconColumn()
    is_listed = BooleanIconColumn()

    class Meta(PrimaryTable.Meta):
        model = Organization
        fields = (
            "name",
            "kind",
            "credit_code",
            "industry",
            "ownership",
            "district",
            "is_listed",
            "is_high_tech",
            "is_srdi",
        )


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

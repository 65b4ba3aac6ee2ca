"""Directory pages: each model's whole UI is one ObjectViews declaration."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parkos.core.actors import Actor
from parkos.core.views.generic import ObjectViews, Related
from parkos.directory import filtersets, forms, resources, tables
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


def _aliases(user: Actor | None) -> QuerySet[OrganizationAlias]:
    """An organization's aliases panel: the aliases the user sees, without the organization (the column it leaves
    out; the list joins it to every row), only the column it shows."""
    return OrganizationAlias.objects.restrict(user).only("name")


def _positions_with_person(user: Actor | None) -> QuerySet[Position]:
    """An organization's positions panel: the positions the user sees, with their people (not the organization);
    only the columns it shows."""
    return (
        Position.objects.restrict(user)
        .select_related("person")
        .only("person", "title", "start_date", "end_date", "person__name")
    )


class IndustryViews(ObjectViews):
    model = Industry
    path = "industries"
    table = tables.IndustryTable
    filterset = filtersets.IndustryFilterSet
    form = forms.IndustryForm
    resource = resources.IndustryResource
    list_related = ("parent",)
    detail_exclude = (*ObjectViews.detail_exclude, "tree_path", "depth")
    related = (
        Related(Industry, tables.IndustryTable, "parent", _("Sub-industries")),
        Related(Organization, tables.OrganizationTable, "industry"),
    )


class OrganizationViews(ObjectViews):
    model = Organization
    path = "organizations"
    table = tables.OrganizationTable
    filterset = filtersets.OrganizationFilterSet
    form = forms.OrganizationForm
    resource = resources.OrganizationResource
    list_related = ("industry",)
    related = (
        # the panels leave the organization out: their rows need not join it (and read its every column)
        Related(OrganizationAlias, tables.OrganizationAliasTable, "organization", _("Aliases"), queryset=_aliases),
        Related(
            Position,
            tables.PositionTable,
            "organization",
            _("People and positions"),
            queryset=_positions_with_person,
        ),
    )


class OrganizationAliasViews(ObjectViews):
    model = OrganizationAlias
    path = "aliases"
    table = tables.OrganizationAliasTable
    filterset = filtersets.OrganizationAliasFilterSet
    form = forms.OrganizationAliasForm
    resource = resources.OrganizationAliasResource
    list_related = ("organization",)


class PersonViews(ObjectViews):
    model = Person
    path = "people"
    table = tables.PersonTable
    filterset = filtersets.PersonFilterSet
    form = forms.PersonForm
    resource = resources.PersonResource
    related = (Related(Position, tables.PositionTable, "person"),)


class PositionViews(ObjectViews):
    model = Position
    path = "positions"
    table = tables.PositionTable
    filterset = filtersets.PositionFilterSet
    form = forms.PositionForm
    resource = resources.PositionResource
    list_related = ("person", "organization")

"""Directory filter sets (used by the list pages and the API alike)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class IndustryFilterSet(PrimaryFilterSet):
    parent = RelatedFilter(Industry, label=_("Parent"))

    class Meta:
        model = Industry
        fields = ("q", "parent", "depth")


class IndustrySubtreeFilter(django_filters.ModelChoiceFilter):
    """An industry and everything under it."""

    def filter(self, qs, value):
        if not value:
            return qs
        # A subquery, not a join: the count stays on the (industry, kind) index.
        subtree = Industry.objects.filter(tree_path__startswith=value.tree_path).values("pk")
        return qs.filter(industry__in=subtree)


class OrganizationFilterSet(PrimaryFilterSet):
    industry = IndustrySubtreeFilter(queryset=Industry.objects.all(), label=_("Industry (with sub-industries)"))
    district = django_filters.CharFilter(lookup_expr="iexact", label=_("District"))

    class Meta:
        model = Organization
        fields = (
            "q",
            "kind",
            "industry",
            "ownership",
            "district",
            "is_listed",
            "is_fortune_global_500",
            "is_unicorn",
            "is_high_tech",
            "is_srdi",
        )


class OrganizationAliasFilterSet(PrimaryFilterSet):
    organization = RelatedFilter(Organization, label=_("Organization"))

    class Meta:
        model = OrganizationAlias
        fields = ("q", "organization")


class PersonFilterSet(PrimaryFilterSet):
    organization = RelatedFilter(
        Organization, field_name="positions__organization", distinct=True, label=_("Organization")
    )

    class Meta:
        model = Person
        fields = ("q", "organization")


class PositionFilterSet(PrimaryFilterSet):
    person = RelatedFilter(Person, label=_("Person"))
    organization = RelatedFilter(Organization, label=_("Organization"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Current"))

    class Meta:
        model = Position
        fields = ("q", "person", "organization", "current")

    def filter_current(self, queryset, name, value):
        from django.db.models import Q
        from django.utils import timezone

        current = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
        return queryset.filter(current) if value else queryset.exclude(current)

"""Filter sets for inefficient land and disposal cases (list pages and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import AnyYesNoWidget, PrimaryFilterSet, RelatedFilter, visible
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel, Park


def park_choices(request):
    """The parks the user may see, for a filter's select: their names only (not each park's outline)."""
    return visible(Park)(request).only("pk", "name")


class ParcelFlagFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, queryset=park_choices, field_name="parcel__park", label=_("Park"))
    parcel = RelatedFilter(LandParcel, label=_("Parcel"))
    open = django_filters.BooleanFilter(
        field_name="cleared_on", lookup_expr="isnull", widget=AnyYesNoWidget, label=_("Open")
    )
    flagged_from = django_filters.DateFilter(field_name="flagged_on", lookup_expr="gte", label=_("Flagged from"))
    flagged_to = django_filters.DateFilter(field_name="flagged_on", lookup_expr="lte", label=_("Flagged until"))

    class Meta:
        model = ParcelFlag
        fields = ("q", "reason", "open", "park", "parcel", "run", "flagged_from", "flagged_to")


class DisposalCaseFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, queryset=park_choices, field_name="parcel__park", label=_("Park"))
    parcel = RelatedFilter(LandParcel, label=_("Parcel"))

    class Meta:
        model = DisposalCase
        fields = ("q", "status", "path", "outcome", "park", "parcel", "owner")


class DisposalMilestoneFilterSet(PrimaryFilterSet):
    case = RelatedFilter(DisposalCase, label=_("Disposal case"))
    open = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", widget=AnyYesNoWidget, label=_("Open")
    )

    class Meta:
        model = DisposalMilestone
        fields = ("q", "case", "owner", "open")


class DisposalDocumentFilterSet(PrimaryFilterSet):
    case = RelatedFilter(DisposalCase, label=_("Disposal case"))

    class Meta:
        model = DisposalDocument
        fields = ("q", "case")

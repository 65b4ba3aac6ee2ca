"""Filter sets of default handling (list pages and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.filtersets import AnyYesNoWidget, PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Organization
from parkos.investment.models import Agreement, Commitment
from parkos.parks.models import Park


class DefaultCaseFilterSet(PrimaryFilterSet):
    agreement = RelatedFilter(Agreement, label=_("Agreement"))
    commitment = RelatedFilter(Commitment, label=_("Commitment"))
    party = RelatedFilter(Organization, field_name="commitment__party__organization", label=_("Promised by"))
    park = RelatedFilter(Park, field_name="agreement__park", label=_("Park"))
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", widget=AnyYesNoWidget, label=_("Open")
    )

    class Meta:
        model = DefaultCase
        fields = (
            "q",
            "stage",
            "open",
            "year",
            "settlement_kind",
            "outcome",
            "agreement",
            "commitment",
            "party",
            "park",
            "owner",
        )


class DefaultCaseDocumentFilterSet(PrimaryFilterSet):
    case = RelatedFilter(DefaultCase, label=_("Default case"))

    class Meta:
        model = DefaultCaseDocument
        fields = ("q", "case")

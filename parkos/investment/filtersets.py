"""Investment filter sets (list pages and API)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import AnyYesNoWidget, PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Industry, Organization, Person
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    CommitmentStatus,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    ImplementationStatus,
    Party,
    Progress,
    Project,
    Signatory,
    Stage,
    StageChange,
    commitment_status_q,
    investor_visible_q,
)
from parkos.parks.models import Park, ParkBrand


class ProjectFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Target park"))
    brand = RelatedFilter(ParkBrand, field_name="park__brand", label=_("Brand"))
    industry = RelatedFilter(Industry, method="filter_industry", label=_("Industry (with sub-industries)"))
    investor = RelatedFilter(Organization, method="filter_investor", label=_("Investor"))
    is_confidential = django_filters.BooleanFilter(widget=AnyYesNoWidget, label=_("Confidential"))
    # Signed in a period: a move into the signed stage dated in it (what the pipeline figures and the cockpit
    # count), whatever stage the project has reached since.
    signed_from = django_filters.DateFilter(method="filter_signed", label=_("Signed from"))
    signed_to = django_filters.DateFilter(method="filter_signed", label=_("Signed until"))

    class Meta:
        model = Project
        fields = (
            "q",
            "stage",
            "park",
            "brand",
            "industry",
            "investor",
            "source",
            "is_confidential",
            "owner",
            "signed_from",
            "signed_to",
        )

    def filter_signed(self, queryset, name, value):
        """Both ends in one subquery, so a project signed twice is counted when one signing is in the period."""
        start, end = self.form.cleaned_data.get("signed_from"), self.form.cleaned_data.get("signed_to")
        if not start and not end:
            return queryset
        changes = StageChange.objects.filter(stage=Stage.SIGNED)
        if start:
            changes = changes.filter(date__gte=start)
        if end:
            changes = changes.filter(date__lte=end)
        return queryset.filter(pk__in=changes.values("project"))

    def filter_industry(self, queryset, name, value):
        if not value:
            return queryset
        subtree = Q()
        for industry in value:
            subtree |= Q(industry__tree_path__startswith=industry.tree_path)
        return queryset.filter(subtree)

    def filter_investor(self, queryset, name, value):
        if not value:
            return queryset
        # Filtering by investor must not reveal who stands behind a confidential project.
        return queryset.filter(Q(investor__in=value) & investor_visible_q(getattr(self.request, "user", None)))


class EventFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))
    organization = RelatedFilter(Organization, field_name="organizations", label=_("Organization present"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Event
        fields = ("q", "kind", "park", "organization", "date_from", "date_to")


class AgreementFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))
    brand = RelatedFilter(ParkBrand, field_name="park__brand", label=_("Brand"))
    party = RelatedFilter(Organization, field_name="parties__organization", distinct=True, label=_("Party"))
    event = RelatedFilter(Event, label=_("Signed at"))
    signed_from = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("Signed from"))
    signed_to = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Signed until"))
    implementation = django_filters.ChoiceFilter(
        choices=ImplementationStatus.choices, method="filter_implementation", label=_("Implementation")
    )
    contact_due = django_filters.BooleanFilter(
        method="filter_contact_due", widget=AnyYesNoWidget, label=_("Due for regular contact")
    )

    class Meta:
        model = Agreement
        fields = (
            "q",
            "kind",
            "status",
            "implementation",
            "park",
            "brand",
            "party",
            "event",
            "signed_from",
            "signed_to",
            "contact_cadence",
            "contact_due",
        )

    def filter_implementation(self, queryset, name, value):
        from parkos.investment.selectors import implementation_q

        return queryset.filter(implementation_q(value, timezone.localdate())) if value else queryset

    def filter_contact_due(self, queryset, name, value):
        from parkos.investment.services import agreements_due_for_contact

        if value is None:
            return queryset
        due = agreements_due_for_contact(Agreement.objects.all(), timezone.localdate()).values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)


class PartyFilterSet(PrimaryFilterSet):
    agreement = RelatedFilter(Agreement, label=_("Agreement"))
    organization = RelatedFilter(Organization, label=_("Organization"))

    class Meta:
        model = Party
        fields = ("q", "agreement", "organization", "role")


class SignatoryFilterSet(PrimaryFilterSet):
    agreement = RelatedFilter(Agreement, label=_("Agreement"))
    person = RelatedFilter(Person, label=_("Person"))

    class Meta:
        model = Signatory
        fields = ("q", "agreement", "person")


class CommitmentFilterSet(PrimaryFilterSet):
    agreement = RelatedFilter(Agreement, label=_("Agreement"))
    party = RelatedFilter(Organization, field_name="party__organization", label=_("Promised by"))
    park = RelatedFilter(Park, field_name="agreement__park", label=_("Park"))
    status = django_filters.ChoiceFilter(choices=CommitmentStatus.choices, method="filter_status", label=_("Status"))
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due from"))
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due until"))

    class Meta:
        model = Commitment
        fields = ("q", "kind", "status", "agreement", "party", "park", "due_from", "due_to")

    def filter_status(self, queryset, name, value):
        return queryset.filter(commitment_status_q(value, timezone.localdate())) if value else queryset


class ProgressFilterSet(PrimaryFilterSet):
    commitment = RelatedFilter(Commitment, label=_("Commitment"))
    agreement = RelatedFilter(Agreement, field_name="commitment__agreement", label=_("Agreement"))

    class Meta:
        model = Progress
        fields = ("q", "commitment", "agreement", "source")


class ContactFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))
    project = RelatedFilter(Project, label=_("Project"))
    agreement = RelatedFilter(Agreement, label=_("Agreement"))
    organization = RelatedFilter(Organization, field_name="organizations", label=_("Organization"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Contact
        fields = ("q", "kind", "park", "project", "agreement", "organization", "date_from", "date_to")


class FollowUpTaskFilterSet(PrimaryFilterSet):
    contact = RelatedFilter(Contact, label=_("Contact"))
    open = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", widget=AnyYesNoWidget, label=_("Open")
    )

    class Meta:
        model = FollowUpTask
        fields = ("q", "contact", "owner", "open")


class AgreementDocumentFilterSet(PrimaryFilterSet):
    agreement = RelatedFilter(Agreement, label=_("Agreement"))

    class Meta:
        model = AgreementDocument
        fields = ("q", "agreement")


class ExchangeRateFilterSet(PrimaryFilterSet):
    class Meta:
        model = ExchangeRate
        fields = ("q", "currency")

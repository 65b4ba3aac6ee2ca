"""Services filter sets (list pages and API). "Mine" and "overdue" are the service desk's everyday filters."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import AnyYesNoWidget, PrimaryFilterSet, RelatedFilter, visible
from parkos.directory.models import Organization
from parkos.parks.models import Park
from parkos.services.models import (
    OPEN_STATUSES,
    Aspect,
    RequestMessage,
    Scenario,
    Service,
    ServiceDesk,
    ServiceRequest,
    Status,
    overdue_q,
)


def _assignees(request):
    from parkos.services.forms import service_staff_users
    from parkos.services.services import is_enterprise_side

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_enterprise_side(user=user):
        return service_staff_users().none()
    return service_staff_users().order_by("username")


def park_names(request):
    """The parks the user sees, read for their names only: the select shows no boundary or description."""
    return visible(Park)(request).only("pk", "name")


class ServiceFilterSet(PrimaryFilterSet):
    provider = RelatedFilter(Organization, label=_("Provider"))

    class Meta:
        model = Service
        fields = ("q", "aspect", "provider", "is_active")


class ScenarioFilterSet(PrimaryFilterSet):
    provider = RelatedFilter(Organization, label=_("Provider"))
    participant = RelatedFilter(
        Organization, field_name="participants", distinct=True, label=_("Participating enterprise")
    )

    class Meta:
        model = Scenario
        fields = ("q", "aspect", "provider", "participant")


class ServiceDeskFilterSet(PrimaryFilterSet):
    class Meta:
        model = ServiceDesk
        fields = ("q", "aspect")


class ServiceRequestFilterSet(PrimaryFilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", widget=AnyYesNoWidget, label=_("My requests"))
    is_open = django_filters.BooleanFilter(method="filter_open", widget=AnyYesNoWidget, label=_("Open"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", widget=AnyYesNoWidget, label=_("Overdue"))
    unassigned = django_filters.BooleanFilter(
        field_name="assigned_to", lookup_expr="isnull", widget=AnyYesNoWidget, label=_("Unassigned")
    )
    aspect = django_filters.MultipleChoiceFilter(choices=Aspect.choices, label=_("Aspect"))
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    park = RelatedFilter(Park, queryset=park_names, label=_("Park"))
    enterprise = RelatedFilter(Organization, label=_("Enterprise"))
    service = RelatedFilter(Service, label=_("Service"))
    assigned_to = django_filters.ModelMultipleChoiceFilter(queryset=_assignees, label=_("Assigned to"))
    requested_from = django_filters.DateFilter(
        field_name="requested_at", lookup_expr="date__gte", label=_("Requested from")
    )
    requested_to = django_filters.DateFilter(
        field_name="requested_at", lookup_expr="date__lte", label=_("Requested until")
    )

    class Meta:
        model = ServiceRequest
        fields = (
            "q",
            "mine",
            "is_open",
            "overdue",
            "unassigned",
            "status",
            "aspect",
            "park",
            "enterprise",
            "service",
            "assigned_to",
            "requested_from",
            "requested_to",
            "rating",
        )

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(assigned_to=user) if value else queryset.exclude(assigned_to=user)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        late = overdue_q("response", now) | overdue_q("resolution", now)
        return queryset.filter(late) if value else queryset.exclude(late)


class RequestMessageFilterSet(PrimaryFilterSet):
    request = RelatedFilter(ServiceRequest, label=_("Service request"))

    class Meta:
        model = RequestMessage
        fields = ("q", "request")

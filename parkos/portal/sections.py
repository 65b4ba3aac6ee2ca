"""What the enterprise page shows beyond the profile: leases and sales, service requests, scenarios, evaluation.

Each section reads through ``restrict()`` like every other page, and is left out when the user may not
see the model at all. Lists are short (the latest rows) with a link to the full, filtered list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from parkos.core.permissions import Action, can
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.leasing.models import Lease, RentTerm, Sale, monthly_rent
from parkos.parks.models import SpaceUnit
from parkos.services.models import OPEN_STATUSES, Scenario, ServiceRequest

#: rows each list shows before "View all"
ROWS = 20


@dataclass
class Section:
    key: str
    rows: list
    total: int
    list_url: str | None = None
    add_url: str | None = None
    extra: dict | None = None
    #: a section another app adds (``register_section``) names the template that shows it
    template: str | None = None


#: sections that apps higher in the stack add to the enterprise page, by key (``register_section``)
EXTRA_SECTIONS: dict[str, Callable[..., Section | None]] = {}


def register_section(key: str, provider: Callable[..., Section | None]) -> None:
    """Add a section to the enterprise page: ``provider(organization, user)`` returns it (with its ``template``)
    or None when the user may not see it. The portal imports no app above it; the app registers instead."""
    EXTRA_SECTIONS[key] = provider


def _url(name: str, **query) -> str:
    """The named page, filtered by ``query``; a name that does not exist is an error, not a missing link."""
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def first_rows(queryset, limit: int | None = None) -> tuple[list, int, bool]:
    """The first ``limit`` rows, the number of rows in all, and whether the rows are all of them.

    Most enterprises have fewer rows than a list shows: then the total is the rows' length and the
    count query is not sent (issue 16: the page sent a count and an aggregate per section).
    """
    limit = ROWS if limit is None else limit
    rows = list(queryset[:limit])
    if len(rows) < limit:
        return rows, len(rows), True
    return rows, queryset.count(), False


def portal_sections(organization, user, request=None) -> dict[str, Section]:
    """The sections of ``organization``'s enterprise page that ``user`` may see, by key."""
    sections = {}
    today = timezone.localdate()
    if can(user, Lease, Action.VIEW):
        leases = (
            Lease.objects.restrict(user)
            .filter(tenant=organization)
            .select_related("park")
            .prefetch_related(
                Prefetch("units", queryset=SpaceUnit.objects.select_related("building")),
                # the term covering today, as Lease.rent_on reads it: one query for the list, not one per lease
                Prefetch(
                    "rent_terms",
                    queryset=RentTerm.objects.filter(start_date__lte=today)
                    .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                    .order_by("-start_date", "-pk"),
                    to_attr="terms_today",
                ),
            )
            .order_by("-start_date", "-pk")
        )
        rows, total, complete = first_rows(leases)
        for lease in rows:
            term = lease.terms_today[0] if lease.terms_today else None
            amount = term.rent_amount if term else lease.rent_amount
            lease.monthly_rent_today = (
                monthly_rent(amount, lease.rent_basis, lease.leased_area) if lease.is_active else None
            )
        if complete:  # every lease is in hand: add up the active ones (SUM of none is None, as here)
            areas = [lease.leased_area for lease in rows if lease.is_active and lease.leased_area is not None]
            area = sum(areas[1:], areas[0]) if areas else None
        else:
            area = leases.filter(status__in=Lease.ACTIVE).aggregate(total=Sum("leased_area"))["total"]
        sections["leases"] = Section(
            "leases", rows, total, _url("leasing:lease_list", tenant=organization.pk), extra={"area": area}
        )
    if can(user, Sale, Action.VIEW):
        sales = (
            Sale.objects.restrict(user)
            .filter(buyer=organization)
            .select_related("park", "building")
            .prefetch_related("units")
            .order_by("-contract_date", "-pk")
        )
        rows, total, _complete = first_rows(sales)
        if total:  # most tenants buy nothing: no empty "sales" card for them
            sections["sales"] = Section("sales", rows, total, _url("leasing:sale_list", buyer=organization.pk))
    if can(user, ServiceRequest, Action.VIEW):
        requests = (
            ServiceRequest.objects.restrict(user)
            .filter(enterprise=organization)
            .select_related("service")
            .order_by("-requested_at", "-pk")
        )
        now = timezone.now()
        rows, total, complete = first_rows(requests)
        for row in rows:
            row.overdue_response = row.is_response_overdue(now) if row.status in OPEN_STATUSES else False
            row.overdue_resolution = row.is_resolution_overdue(now) if row.status in OPEN_STATUSES else False
        sections["requests"] = Section(
            "requests",
            rows,
            total,
            _url("services:servicerequest_list", enterprise=organization.pk),
            add_url=_url("services:servicerequest_add", enterprise=organization.pk)
            if can(user, ServiceRequest, Action.ADD)
            else None,
            extra={
                "open": sum(row.status in OPEN_STATUSES for row in rows)
                if complete
                else requests.filter(status__in=OPEN_STATUSES).count()
            },
        )
    if can(user, Scenario, Action.VIEW):
        joined = Scenario.objects.restrict(user).filter(participants=organization).select_related("provider")
        rows, total, _complete = first_rows(joined.order_by("name"))
        sections["scenarios"] = Section("scenarios", rows, total, _url("services:scenario_list"))
    if can(user, IndicatorFiling, Action.VIEW):
        filings = IndicatorFiling.objects.restrict(user).filter(organization=organization).order_by("-year")
        rows, total, _complete = first_rows(filings)
        sections["filings"] = Section(
            "filings",
            rows,
            total,
            _url("evaluation:indicatorfiling_list", organization=organization.pk),
            add_url=_url("evaluation:indicatorfiling_add", organization=organization.pk)
            if can(user, IndicatorFiling, Action.ADD)
            else None,
        )
    if can(user, EvaluationResult, Action.VIEW):
        results = (
            EvaluationResult.objects.restrict(user)
            .filter(organization=organization, run__status=EvaluationRun.Status.DONE)
            .select_related("run__scheme")
            .order_by("-run__year", "-run__pk")
        )
        rows, total, _complete = first_rows(results)
        sections["results"] = Section("results", rows, total)
    for key, provider in EXTRA_SECTIONS.items():
        section = provider(organization, user)
        if section is not None:
            sections[key] = section
    return sections

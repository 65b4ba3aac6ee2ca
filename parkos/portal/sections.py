"""What the enterprise page shows beyond the profile: leases and sales, service requests, scenarios, evaluation.

Each section reads through ``restrict()`` like every other page, and is left out when the user may not
see the model at all. Lists are short (the latest rows) with a link to the full, filtered list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from parkos.core.permissions import Action, can
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.leasing.models import Lease, RentTerm, Sale, monthly_rent
from parkos.parks.models import SpaceUnit
from parkos.services.models import OPEN_STATUSES, Scenario, ServiceRequest

#: rows each list shows before "View all"
ROWS = 20

#: the columns a section's rows show (issue 16: whole rows brought every column of the row and of what it joins,
#: the requests' services and the results' runs and schemes with their descriptions and settings, for a few rows);
#: a section not named here reads whole rows. The tests render the page with this emptied and compare.
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "requests": (
        "title",
        "aspect",
        "status",
        "requested_at",
        "responded_at",
        "resolved_at",
        "response_due",
        "resolution_due",
        "rating",
        "service__name",
    ),
    "leases": (
        "reference",
        "leased_area",
        "start_date",
        "end_date",
        "rent_amount",
        "rent_basis",
        "currency",
        "status",
        "park__name",
    ),
    "units": ("code", "building__code"),
    "scenarios": ("name", "aspect", "provider__name"),
    "filings": ("year",),
    "results": ("status", "grade", "run__year", "run__scheme__name", "run__scheme__title", "run__scheme__version"),
}


def _shown(queryset, key: str):
    """``queryset`` reading only the columns section ``key`` shows (``ROW_FIELDS``), or whole rows."""
    fields = ROW_FIELDS.get(key)
    return queryset.only(*fields) if fields else queryset


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


def choice_labels(model, name: str) -> dict:
    """A choice field's labels by value in the active language (the same dict each time: read it, do not change it).

    ``get_FOO_display`` rebuilds the field's choices and hashes every (lazy, so translated) label on each call:
    about 110 Python calls a row and a label on this page (issue 16). Read ``labels.get(value, value)`` as it does.
    Translated once per field and language: the page's seven fields cost 1,600 Python calls on each view.
    """
    return _choice_labels(model, name, get_language())


@functools.cache
def _choice_labels(model, name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


#: a request's status badge colour (the same as the service request pages)
REQUEST_BADGE = {"done": "green", "declined": "secondary", "waiting": "orange"}


def request_rows_html(rows) -> SafeString:
    """The service requests section's table rows, written in Python (a template loop cost about 580 Python calls
    a row, issue 16). The same HTML as the template loop it replaced, but for runs of white space (one space
    where the template had a line break and indentation); ``rows`` carry ``status_label``, ``aspect_label`` and the
    overdue flags ``portal_sections`` sets."""
    overdue_response = gettext("response overdue")
    overdue_resolution = gettext("resolution overdue")
    rate_it = gettext("Rate it")
    html = []
    for req in rows:
        url = req.get_absolute_url()
        requested = req.requested_at
        filed = formats.date_format(timezone.template_localtime(requested), "Y-m-d") if requested else ""
        # the template's line breaks around the overdue badges, one space each
        overdue = " "
        if req.overdue_response:
            overdue += format_html('<span class="badge bg-red-lt" data-overdue="response">{}</span>', overdue_response)
        overdue += " "
        if req.overdue_resolution:
            overdue += format_html(
                '<span class="badge bg-red-lt" data-overdue="resolution">{}</span>', overdue_resolution
            )
        if req.rating:
            stars = "★" * min(req.rating, 5) + "☆" * (5 - min(req.rating, 5))
            rating = format_html('<span title="{}/5">{}</span>', req.rating, stars)
        elif req.status == "done":
            rating = format_html('<a href="{}#rating">{}</a>', url, rate_it)
        else:
            rating = "—"
        html.append(
            format_html(
                '<tr data-request="{}"> <td><a href="{}">{}</a></td> <td>{}<div class="small text-secondary">{}</div>'
                '</td> <td class="text-nowrap">{}</td> <td><span class="badge bg-{}-lt" data-status="{}">{}</span>{}'
                '</td> <td class="text-nowrap">{}</td> </tr>',
                req.pk,
                url,
                req.title,
                req.service,
                req.aspect_label,
                filed,
                REQUEST_BADGE.get(req.status, "blue"),
                req.status,
                req.status_label,
                mark_safe(overdue),  # noqa: S308 -- built by format_html above
                rating,
            )
        )
    return mark_safe(" ".join(html))  # noqa: S308 -- each row is format_html's


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


def first_rows_and(queryset, **figures) -> tuple[list, int, dict | None]:
    """``first_rows``, and when they are not all the rows, the count and ``figures`` (aggregates over every row)
    in one query: None then means the rows are all of them and the caller adds the figures up from them.

    A section with more rows than it lists sent a COUNT and then a second query for its figure (the leased area,
    the open requests): one query now, however many rows the enterprise has (issue 16).
    """
    rows = list(queryset[:ROWS])
    if len(rows) < ROWS:
        return rows, len(rows), None
    found = queryset.aggregate(rows_in_all=Count("pk"), **figures)
    return rows, found.pop("rows_in_all"), found


def latest_results(organization, user) -> tuple[list, int]:
    """The enterprise's result in the latest finished run of each year (the newest ``ROWS`` years), and how many
    results it has in all.

    Every run is kept, and a year may be run again and again: the page listed a result per run (442 runs: 20 rows
    and a COUNT, issue 16). Each row counts its year's results in its own query, so the total costs no query of its
    own unless there are more years than rows.
    """
    done = EvaluationRun.Status.DONE
    results = EvaluationResult.objects.restrict(user).filter(organization=organization, run__status=done)
    # the enterprise's own results of the row's year (the outer query is the one that restricts to the user)
    of_the_year = EvaluationResult.objects.filter(
        organization=organization, run__status=done, run__year=OuterRef("run__year")
    ).order_by()
    newer_of_the_year = of_the_year.filter(run__pk__gt=OuterRef("run__pk"))
    latest = (
        results.filter(~Exists(newer_of_the_year))
        .annotate(results_of_the_year=Subquery(of_the_year.values("organization").annotate(n=Count("pk")).values("n")))
        .select_related("run__scheme")
        .order_by("-run__year", "-run__pk")
    )
    rows = list(_shown(latest, "results")[:ROWS])
    if len(rows) < ROWS:
        return rows, sum(row.results_of_the_year or 0 for row in rows)
    return rows, results.count()


def portal_sections(organization, user, request=None) -> dict[str, Section]:
    """The sections of ``organization``'s enterprise page that ``user`` may see, by key."""
    sections = {}
    today = timezone.localdate()
    if can(user, Lease, Action.VIEW):
        units = _shown(SpaceUnit.objects.select_related("building"), "units")
        leases = (
            _shown(Lease.objects.restrict(user).filter(tenant=organization).select_related("park"), "leases")
            .prefetch_related(Prefetch("units", queryset=units))
            # the rent of the term covering today, as Lease.rent_on reads it, in the leases' own query (issue 16:
            # was one query per lease, then a prefetch of the terms)
            .annotate(
                term_rent_today=Subquery(
                    RentTerm.objects.filter(lease=OuterRef("pk"), start_date__lte=today)
                    .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                    .order_by("-start_date", "-pk")
                    .values("rent_amount")[:1]
                )
            )
            .order_by("-start_date", "-pk")
        )
        rows, total, figures = first_rows_and(leases, area=Sum("leased_area", filter=Q(status__in=Lease.ACTIVE)))
        statuses = choice_labels(Lease, "status")
        for lease in rows:
            lease.status_label = statuses.get(lease.status, lease.status)
            # a term's rent is never NULL: NULL here is "no term covers today"
            amount = lease.term_rent_today if lease.term_rent_today is not None else lease.rent_amount
            lease.monthly_rent_today = (
                monthly_rent(amount, lease.rent_basis, lease.leased_area) if lease.is_active else None
            )
        if figures is None:  # every lease is in hand: add up the active ones (SUM of none is None, as here)
            areas = [lease.leased_area for lease in rows if lease.is_active and lease.leased_area is not None]
            area = sum(areas[1:], areas[0]) if areas else None
        else:
            area = figures["area"]
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
        requests = _shown(
            ServiceRequest.objects.restrict(user)
            .filter(enterprise=organization)
            .select_related("service")
            .order_by("-requested_at", "-pk"),
            "requests",
        )
        now = timezone.now()
        rows, total, figures = first_rows_and(requests, open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
        statuses, aspects = choice_labels(ServiceRequest, "status"), choice_labels(ServiceRequest, "aspect")
        for row in rows:
            row.status_label = statuses.get(row.status, row.status)
            row.aspect_label = aspects.get(row.aspect, row.aspect)
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
                "open": sum(row.status in OPEN_STATUSES for row in rows) if figures is None else figures["open"],
                "rows_html": request_rows_html(rows),
            },
        )
    if can(user, Scenario, Action.VIEW):
        joined = Scenario.objects.restrict(user).filter(participants=organization).select_related("provider")
        rows, total, _complete = first_rows(_shown(joined.order_by("name"), "scenarios"))
        aspects = choice_labels(Scenario, "aspect")
        for scenario in rows:
            scenario.aspect_label = aspects.get(scenario.aspect, scenario.aspect)
        sections["scenarios"] = Section("scenarios", rows, total, _url("services:scenario_list"))
    if can(user, IndicatorFiling, Action.VIEW):
        filings = _shown(
            IndicatorFiling.objects.restrict(user).filter(organization=organization).order_by("-year"), "filings"
        )
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
        rows, total = latest_results(organization, user)
        statuses = choice_labels(EvaluationResult, "status")
        for result in rows:
            result.status_label = statuses.get(result.status, result.status)
        sections["results"] = Section(
            "results", rows, total, _url("evaluation:evaluationresult_list", organization=organization.name)
        )
    for key, provider in EXTRA_SECTIONS.items():
        section = provider(organization, user)
        if section is not None:
            sections[key] = section
    return sections

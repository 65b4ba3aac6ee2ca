"""Leasing report pages: occupancy, rent roll (XLSX), vacancy board, expiry alerts and figures (XLSX).

Views parse the filters with the forms below (shared with the API), call the selectors and render.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from parkos.core.actors import Actor
from parkos.core.downloads import attachment, xlsx_bytes
from parkos.core.forms import ReportFilterForm, date_input
from parkos.core.navigation import sees_operator_pages
from parkos.core.periods import UserFirstMixin, on_day, year_to_date
from parkos.core.permissions import Action, can
from parkos.core.reversing import reverse_pk
from parkos.directory.models import Organization
from parkos.leasing import selectors
from parkos.leasing.models import Lease, RentBasis, Sale
from parkos.parks.models import Building, Park, ParkBrand

PER_PAGE = 25
#: the occupancy page's buildings table, a page at a time
BUILDINGS_PER_PAGE = 50
#: leases listed per window of the expiry alerts; beyond, a park or brand filter narrows them (issue 16)
EXPIRY_ROWS = 50


class LeasingFilterForm(ReportFilterForm):
    """A report filter whose date, when it has one, defaults to today."""

    def defaults(self) -> dict:
        return {"date": timezone.localdate().isoformat()} if "date" in self.base_fields else {}

    def selector_kwargs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class DateParkBrandForm(LeasingFilterForm):
    date = forms.DateField(label=_("On"), widget=date_input())
    park = forms.ModelChoiceField(queryset=Park.objects.all(), required=False, label=_("Park"))
    brand = forms.ModelChoiceField(queryset=ParkBrand.objects.all(), required=False, label=_("Park brand"))


class OccupancyFilterForm(UserFirstMixin, DateParkBrandForm):
    """Occupancy on today, or on the last day a lease held units when every lease ended before today."""

    building = forms.ModelChoiceField(queryset=Building.objects.all(), required=False, label=_("Building"))

    def defaults(self) -> dict:
        today = timezone.localdate()
        latest = latest_occupancy_day(self.user, today) if self.needs_default("date") else today
        return {"date": on_day(latest, today).isoformat()}


class RentRollFilterForm(DateParkBrandForm):
    tenant = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False, label=_("Tenant"))


class BoardFilterForm(LeasingFilterForm):
    date = forms.DateField(label=_("On"), widget=date_input())
    building = forms.ModelChoiceField(queryset=Building.objects.all(), required=False, label=_("Building"))
    park = forms.ModelChoiceField(queryset=Park.objects.all(), required=False, label=_("Park"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("building") and not cleaned.get("park"):
            raise forms.ValidationError(_("Choose a building or a park."), code="required")
        return cleaned


class FiguresFilterForm(UserFirstMixin, LeasingFilterForm):
    date_from = forms.DateField(label=_("From"), widget=date_input())
    date_to = forms.DateField(label=_("To"), widget=date_input())
    park = forms.ModelChoiceField(queryset=Park.objects.all(), required=False, label=_("Park"))
    brand = forms.ModelChoiceField(queryset=ParkBrand.objects.all(), required=False, label=_("Park brand"))

    def defaults(self) -> dict:
        """This year so far, or the latest year a lease started or a sale was contracted in."""
        today = timezone.localdate()
        latest = latest_leasing_day(self.user, today) if self.needs_default("date_from", "date_to") else None
        date_from, date_to = year_to_date(latest, today)
        return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}


def latest_leasing_day(user: Actor | None, today: datetime.date) -> datetime.date | None:
    """The last day up to ``today`` on which a lease the user sees started or a sale was contracted."""
    lease = (
        Lease.objects.restrict(user)
        .filter(status__in=Lease.HOLDING, start_date__lte=today)
        .aggregate(last=Max("start_date"))["last"]
    )
    sale = (
        Sale.objects.restrict(user)
        .filter(status__in=Sale.HOLDING, contract_date__lte=today)
        .aggregate(last=Max("contract_date"))["last"]
    )
    return max((d for d in (lease, sale) if d is not None), default=None)


def latest_occupancy_day(user: Actor | None, today: datetime.date) -> datetime.date | None:
    """``today`` when a lease the user sees holds units on it (or a sale does), else the last day one held."""
    leases = Lease.objects.restrict(user).filter(status__in=Lease.HOLDING, start_date__lte=today)
    if leases.filter(Q(effective_end__isnull=True) | Q(effective_end__gte=today)).exists():
        return today
    if Sale.objects.restrict(user).filter(status__in=Sale.HOLDING, contract_date__lte=today).exists():
        return today
    last: datetime.date | None = leases.aggregate(last=Max("effective_end"))["last"]
    return last


def with_urls(leases: list[Any], *, tenant: bool = False) -> list[Any]:
    """Each lease (or ``selectors.LeaseRow``) with ``url`` (its page) and, with ``tenant``, ``tenant_url`` (the
    tenant's, without loading it), each URL name reversed once (``reverse`` per row was a third of the expiry alerts'
    rendering, issue 16)."""
    lease_url = pk_urls(Lease.url_name())
    tenant_url = pk_urls(Organization.url_name()) if tenant else None
    for lease in leases:
        lease.url = lease_url(lease.pk)
        if tenant_url is not None:
            lease.tenant_url = tenant_url(lease.tenant_id)
    return leases


#: a primary key no table reaches, reversed in place of the real ones (``pk_urls``)
URL_SENTINEL = 918273645


def pk_urls(viewname: str) -> Callable[[Any], str]:
    """``reverse_pk(viewname, pk)`` for many primary keys: the path reversed once, each key written into it."""
    pattern = reverse_pk(viewname, URL_SENTINEL)
    if pattern.count(str(URL_SENTINEL)) != 1:
        return lambda pk: reverse_pk(viewname, pk)
    head, tail = pattern.split(str(URL_SENTINEL))

    def url(pk: Any) -> str:
        if type(pk) is int and pk >= 0:
            return f"{head}{pk}{tail}"
        return reverse_pk(viewname, pk)

    return url


def require_view(user) -> None:
    if not can(user, Lease, Action.VIEW):
        raise PermissionDenied


def require_operator_view(user) -> None:
    """The park-wide reports (occupancy, vacancy, rent roll, figures): the operator's, not a tenant's."""
    require_view(user)
    if not sees_operator_pages(user):
        raise PermissionDenied


def _pct(rate) -> float | None:
    return None if rate is None else round(rate * 100, 1)


# --- occupancy -----------------------------------------------------------------------------------------


def occupancy_charts(result: selectors.Occupancy) -> dict:
    def series(rows):
        return {
            "labels": [r.name or "—" for r in rows],
            "rate": [_pct(r.rate) for r in rows],
            "leased": [float(r.leased) for r in rows],
            "sold": [float(r.sold) for r in rows],
            "vacant": [float(r.vacant) for r in rows],
        }

    return {
        "parks": series(result.parks),
        "brands": series(result.brands),
        "names": {"leased": _t("Leased"), "sold": _t("Sold"), "vacant": _t("Vacant"), "rate": _t("Occupancy %")},
    }


class OccupancyView(View):
    template_name = "leasing/occupancy.html"

    def get(self, request):
        require_operator_view(request.user)
        form = OccupancyFilterForm(request.GET, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "result": None}, status=400)
        kwargs = form.selector_kwargs()
        # totals, parks and brands grouped per park; the buildings a page at a time, and only that page's
        # figures: a province's thousands of rows made a page of a megabyte and 3 s of Python (issue 16)
        result = selectors.occupancy(request.user, buildings=False, count_buildings=True, **kwargs)
        scope = {name: value for name, value in kwargs.items() if name != "date"}
        paginator = Paginator(selectors.occupied_buildings(request.user, **scope), BUILDINGS_PER_PAGE)
        paginator.count = result.building_count  # counted with the totals
        buildings = paginator.get_page(request.GET.get("page"))
        ids = [building.pk for building in buildings.object_list]
        figures = {row.key: row for row in selectors.occupancy(request.user, building_ids=ids, **kwargs).buildings}
        result.buildings = [figures[pk] for pk in ids if pk in figures]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "result": result,
            "charts": occupancy_charts(result),
            "query": request.GET.urlencode(),
            "page_obj": buildings,
            "query_string": query.urlencode(),
        }
        return render(request, self.template_name, context)


# --- rent roll -----------------------------------------------------------------------------------------


class RentRollView(View):
    template_name = "leasing/rent_roll.html"

    def get(self, request):
        require_operator_view(request.user)
        form = RentRollFilterForm(request.GET, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "roll": None}, status=400)
        roll = selectors.rent_roll(request.user, **form.selector_kwargs())
        if request.GET.get("format") == "xlsx":
            return attachment(rent_roll_xlsx(roll), f"rent-roll-{roll.date:%Y-%m-%d}.xlsx")
        paginator = Paginator(selectors.lease_rows(roll.leases), PER_PAGE)
        paginator.count = roll.count  # already counted with the totals
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "roll": roll,
            "page_obj": page,
            # the units' codes in one query and the links without a reverse per row (issue 16)
            "rows": with_urls(selectors.with_unit_codes(page.object_list), tenant=True),
            "query_string": query.urlencode(),
        }
        return render(request, self.template_name, context)


def rent_roll_xlsx(roll: selectors.RentRoll) -> bytes:
    bases, statuses = dict(RentBasis.choices), dict(Lease.Status.choices)
    header = [
        _t("Lease"),
        _t("Tenant"),
        _t("Park"),
        _t("Space units"),
        _t("Leased area (m²)"),
        _t("Start date"),
        _t("End date"),
        _t("Rent"),
        _t("Rent basis"),
        _t("Currency"),
        _t("Monthly rent"),
        _t("Status"),
    ]
    rows = (
        [
            str(lease),
            lease.tenant.name,
            lease.park.name,
            "; ".join(u.code for u in lease.units.all()),
            lease.leased_area,
            lease.start_date,
            lease.effective_end,
            lease.current_rent,
            str(bases.get(lease.rent_basis, lease.rent_basis)),
            lease.currency,
            round(lease.monthly_rent, 2) if lease.monthly_rent is not None else None,
            str(statuses.get(lease.status, lease.status)),
        ]
        for lease in roll.leases.prefetch_related("units").iterator(chunk_size=1000)
    )
    title = [_t("Rent roll on %(date)s") % {"date": roll.date.isoformat()}]
    return xlsx_bytes([(_t("Rent roll"), itertools.chain([title, header], rows))])


# --- vacancy board -------------------------------------------------------------------------------------


class VacancyBoardView(View):
    template_name = "leasing/vacancy_board.html"

    def get(self, request):
        require_operator_view(request.user)
        form = BoardFilterForm(request.GET, user=request.user)
        context = {"form": form, "boards": None, "can_add_lease": can(request.user, Lease, Action.ADD)}
        if not request.GET.get("building") and not request.GET.get("park"):
            form.is_valid()
            return render(request, self.template_name, {**context, "form": BoardFilterForm(None, user=request.user)})
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        boards = selectors.vacancy_board(request.user, **form.selector_kwargs())
        context.update(date=form.cleaned_data["date"], query=request.GET.urlencode())
        if not form.cleaned_data.get("building") and len(boards) > 1:
            context.update(park_board(request, boards))
        else:
            context["boards"] = boards
        return render(request, self.template_name, context)


def park_board(request, boards: list[selectors.BoardBuilding]) -> dict:
    """A whole park shows one building's units at a time (``?open=<building>``, else the first), and every
    building with its counts to pick from: the page stays the size of one building however many the park has."""
    query = request.GET.copy()
    query.pop("open", None)
    opened = request.GET.get("open", "")
    chosen = next((b for b in boards if str(b.building.pk) == opened), boards[0])
    return {"boards": [chosen], "picker": boards, "opened": chosen.building.pk, "picker_query": query.urlencode()}


# --- expiry alerts -------------------------------------------------------------------------------------


class ExpiryAlertsView(View):
    template_name = "leasing/expiry_alerts.html"

    def get(self, request):
        require_view(request.user)
        form = DateParkBrandForm(request.GET, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "buckets": None}, status=400)
        kwargs = form.selector_kwargs()
        # one count for the three windows, the first rows of each with only the fields shown (as values), and the
        # unit codes of all of them in one query: 5 queries where a count, the rows and their units per window were 9
        counts = selectors.expiring_counts(request.user, **kwargs)
        shown = {
            months: selectors.lease_list_rows(leases[:EXPIRY_ROWS]) if counts[months] else []
            for months, leases in selectors.expiring_leases(request.user, **kwargs).items()
        }
        with_urls(selectors.with_unit_codes(lease for leases in shown.values() for lease in leases))
        rows = [(months, leases, counts[months]) for months, leases in shown.items()]
        return render(request, self.template_name, {"form": form, "buckets": rows, "shown": EXPIRY_ROWS})


# --- figures -------------------------------------------------------------------------------------------


def figures_charts(figures: dict) -> dict:
    def pairs(rows):
        return {"labels": [r["name"] or "—" for r in rows], "values": [float(r["area"]) for r in rows]}

    return {
        "leased_by_park": pairs(figures["leased_by_park"]),
        "sold_by_park": pairs(figures["sold_by_park"]),
        "leased_by_industry": pairs(figures["leased_by_industry"]),
        "trend": {
            "labels": [row["date"].strftime("%Y-%m") for row in figures["trend"]],
            "values": [_pct(row["rate"]) for row in figures["trend"]],
        },
        "names": {"leased": _t("Area leased (m²)"), "sold": _t("Area sold (m²)"), "rate": _t("Occupancy %")},
    }


class FiguresView(View):
    template_name = "leasing/figures.html"

    def get(self, request):
        require_operator_view(request.user)
        form = FiguresFilterForm(request.GET, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "figures": None}, status=400)
        figures = selectors.kept_leasing_figures(request.user, **form.selector_kwargs())
        if request.GET.get("format") == "xlsx":
            return attachment(figures_xlsx(figures), f"leasing-figures-{figures['date_to']:%Y-%m-%d}.xlsx")
        context = {
            "form": form,
            "figures": figures,
            "charts": figures_charts(figures),
            "query": request.GET.urlencode(),
        }
        return render(request, self.template_name, context)


def figures_xlsx(figures: dict) -> bytes:
    summary = [
        [_t("From"), figures["date_from"], _t("To"), figures["date_to"]],
        [_t("Area leased (m²)"), figures["leased"]["area"], _t("Leases"), figures["leased"]["contracts"]],
        [_t("Area sold (m²)"), figures["sold"]["area"], _t("Sales"), figures["sold"]["contracts"]],
        [_t("New tenants"), figures["new_tenant_count"]],
    ]
    sheets = [(_t("Summary"), summary)]
    for key, title in (
        ("leased_by_park", _t("Leased by park")),
        ("leased_by_brand", _t("Leased by brand")),
        ("leased_by_industry", _t("Leased by industry")),
        ("sold_by_park", _t("Sold by park")),
        ("sold_by_brand", _t("Sold by brand")),
        ("sold_by_industry", _t("Sold by industry")),
    ):
        rows = [[row["name"] or "—", row["area"], row["contracts"]] for row in figures[key]]
        sheets.append((title, [[_t("Name"), _t("Area (m²)"), _t("Contracts")], *rows]))
    tenants = [[row["name"], row["first"], row["area"]] for row in figures["new_tenants"]]
    sheets.append((_t("New tenants"), [[_t("Tenant"), _t("First lease starts"), _t("Area (m²)")], *tenants]))
    trend = [[row["date"], _pct(row["rate"]), row["occupied"], row["lettable"]] for row in figures["trend"]]
    header = [_t("Month end"), _t("Occupancy %"), _t("Occupied (m²)"), _t("Lettable (m²)")]
    sheets.append((_t("Occupancy trend"), [header, *trend]))
    return xlsx_bytes(sheets)

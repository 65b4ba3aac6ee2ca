"""The cockpit page, the big screen and the park benchmarking table (thin: the form, the selectors, render)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from parkos.cockpit.forms import CockpitFilterForm
from parkos.cockpit.freshness import kept
from parkos.cockpit.selectors import cached, cockpit_figures, may_use_cockpit, park_benchmarks
from parkos.core.downloads import attachment, neutralise, xlsx_bytes
from parkos.core.units import AreaUnit, format_area, format_money, money_unit_for

#: seconds between the big screen's refreshes, and between parks as it cycles
SCREEN_REFRESH_SECONDS = 60


def require_cockpit(user: Any) -> None:
    if not may_use_cockpit(user):
        raise PermissionDenied


def filtered(request: HttpRequest) -> tuple[CockpitFilterForm, Any, Any]:
    """The bound filter form and, when valid, its period and scope (a scope outside the user's is a field error)."""
    form = CockpitFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None, None
    try:
        scope = form.scope_value()
    except ValueError:
        form.add_error("scope", _("Choose one of the scopes offered."))
        return form, None, None
    return form, form.period_value(), scope


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    """What the page's charts draw: per tile, its series (labels already translated)."""
    return {
        "tiles": [
            {
                "key": tile["key"],
                "title": tile["title"],
                "chart": tile["chart"],
                "labels": tile["labels"],
                "values": tile["values"],
            }
            for tile in figures["tiles"]
            if tile["labels"]
        ]
    }


class CockpitView(View):
    template_name = "cockpit/cockpit.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require_cockpit(request.user)
        form, period, scope = filtered(request)
        if period is None:
            return render(request, self.template_name, {"form": form, "figures": None}, status=400)
        figures = cached(request.user, "figures", scope, period, lambda: cockpit_figures(request.user, scope, period))
        return render(
            request,
            self.template_name,
            {"form": form, "figures": figures, "charts": chart_data(figures), "query_string": request.GET.urlencode()},
        )


class ScreenView(View):
    """The big screen: a dark 1920×1080 page whose script reads the cockpit API and cycles through the parks."""

    template_name = "cockpit/screen.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require_cockpit(request.user)
        form, period, scope = filtered(request)
        if period is None:
            return render(request, self.template_name, {"form": form, "config": None}, status=400)
        if request.GET.get("scope") or scope.partner:
            scopes = [scope.token]  # one scope asked for (a partner's is its district): no cycling
        else:
            tokens = [token for token, _label in form.fields["scope"].choices]
            scopes = ["group", *(token for token in tokens if token.startswith("park:"))]
        config = {
            "api": reverse("cockpit-api:figures"),
            "period": form.cleaned_data.get("period") or "",
            "scopes": scopes,
            "refresh": SCREEN_REFRESH_SECONDS,
            "cycle": max(10, SCREEN_REFRESH_SECONDS // 3),
            "texts": {"updated": _t("Updated"), "previous": _t("vs previous period"), "none": _t("No figures")},
        }
        return render(request, self.template_name, {"form": form, "config": config})


class ShareColumn(tables.Column):
    """A measure with its percentile among the parks underneath."""

    def __init__(self, *args: Any, kind: str = "number", **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(*args, attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}, **kwargs)

    def render(self, value: Any, record: dict[str, Any], bound_column: Any) -> Any:
        from django.utils.html import format_html

        text = format_measure(self.kind, value, getattr(self, "user", None))
        pct = record.get(f"{bound_column.name}_pct")
        if pct is None:
            return text
        return format_html('{}<div class="text-secondary small">P{}</div>', text, int(round(pct)))


MEASURE_KINDS = {
    "investment": "money",
    "rent": "rent",
    "tax_per_mu": "money",
    "value_added_per_mu": "money",
    "occupancy": "share",
    "grade_a_share": "share",
    "within_target": "share",
    "satisfaction": "rating",
    "area_leased": "area",
    "area_sold": "area",
}


def format_measure(kind: str, value: Any, user: Any = None) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return format_money(value, "CNY", money_unit_for(user))
    if kind == "rent":
        return _t("%(rent)s 元/㎡·月") % {"rent": f"{value:,.2f}"}
    if kind == "share":
        return f"{value * 100:.1f} %"
    if kind == "rating":
        return f"{value:.2f} ★"
    if kind == "area":
        return format_area(Decimal(str(value)), getattr(user, "area_unit", "") or AreaUnit.SQUARE_METRE)
    return f"{value:,}"


def benchmark_table(data: dict[str, Any], request: HttpRequest) -> tables.Table:
    """A django-tables2 table over the park rows: one sortable column per measure, the park linking to its page."""
    columns: dict[str, Any] = {
        "name": tables.Column(
            verbose_name=_("Park"), linkify=lambda record: reverse("parks:park", args=[record["park"]])
        ),
        "district": tables.Column(verbose_name=_("District")),
    }
    for measure in data["measures"]:
        column = ShareColumn(verbose_name=measure["label"], kind=MEASURE_KINDS.get(measure["key"], "number"))
        column.user = request.user  # type: ignore[attr-defined]
        columns[measure["key"]] = column
    columns["grade_mix"] = tables.Column(verbose_name=_("Grade mix"), orderable=False, empty_values=())
    table_class = type(
        "ParkBenchmarkTable",
        (tables.Table,),
        {
            **columns,
            "render_grade_mix": lambda self, value: " · ".join(f"{g} {n}" for g, n in sorted(value.items())) or "—",
            "Meta": type(
                "Meta",
                (),
                {"attrs": {"class": "table table-vcenter card-table table-striped", "id": "benchmark-table"}},
            ),
        },
    )
    table = table_class(data["rows"], order_by=request.GET.get("sort") or "name")
    RequestConfig(request, paginate=False).configure(table)
    return table


def benchmark_rows(data: dict[str, Any], user: Any) -> list[list[object]]:
    header = [_t("Park"), _t("Code"), _t("District"), _t("Brand")]
    for measure in data["measures"]:
        header += [str(measure["label"]), _t("%(measure)s percentile") % {"measure": measure["label"]}]
    header.append(_t("Grade mix"))
    rows: list[list[object]] = [header]
    for row in data["rows"]:
        line: list[object] = [row["name"], row["code"], row["district"], row["brand"]]
        for measure in data["measures"]:
            line += [row.get(measure["key"]), row.get(f"{measure['key']}_pct")]
        line.append(" ".join(f"{g}:{n}" for g, n in sorted(row["grade_mix"].items())))
        rows.append(line)
    return rows


class BenchmarkView(View):
    template_name = "cockpit/parks.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require_cockpit(request.user)
        form, period, scope = filtered(request)
        export = request.GET.get("format", "")
        if period is not None and export not in ("", "csv", "xlsx"):
            form.add_error(None, _("Unknown format '%(format)s': use csv or xlsx.") % {"format": export})
            period = None
        if period is None:
            return render(request, self.template_name, {"form": form, "data": None, "figures": None}, status=400)
        data = cached(request.user, "parks", scope, period, lambda: park_benchmarks(request.user, scope, period))
        stamp = timezone.localdate().isoformat()
        if export == "xlsx":
            return attachment(xlsx_bytes([(_t("Parks"), benchmark_rows(data, request.user))]), f"parks-{stamp}.xlsx")
        if export == "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            for line in benchmark_rows(data, request.user):
                writer.writerow([neutralise(value) for value in line])
            return attachment(out.getvalue().encode("utf-8-sig"), f"parks-{stamp}.csv", "text/csv; charset=utf-8")
        query = request.GET.copy()
        for name in ("format", "sort"):
            query.pop(name, None)
        charts = {
            "parks": [row["name"] for row in data["rows"]],
            "series": [
                {"name": str(measure["label"]), "values": [row.get(f"{measure['key']}_pct") for row in data["rows"]]}
                for measure in data["measures"]
                if measure["key"] in ("tax_per_mu", "value_added_per_mu", "occupancy", "within_target")
            ],
            "axis": _t("Percentile among the parks"),
        }
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "data": data,
                "figures": data,
                # the rendered table is kept with the figures: django-tables2 costs more than the figures at 40 parks
                "table_html": kept(
                    request.user,
                    # under the version its figures were computed at (and no other): the table of stale figures
                    # being refreshed is rendered once, and the refreshed figures get a new one
                    f"parks-table:{data.get('version', '')}:{request.GET.urlencode()}",
                    scope.token,
                    period.date_from.isoformat(),
                    period.date_to.isoformat(),
                    lambda: {"html": benchmark_table(data, request).as_html(request)},
                    topics=(),
                )["html"],
                "charts": charts,
                "query_string": query.urlencode(),
            },
        )

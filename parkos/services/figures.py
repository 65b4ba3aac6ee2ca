"""The service figures page (and its XLSX): requests by aspect, park and status, times against target, satisfaction.

The filter form is shared with the API endpoint (parkos.services.api.views), so both refuse bad input alike;
``request_figures`` (parkos.services.selectors) computes everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import numberformat, timezone
from django.utils.formats import get_format, localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from parkos.core.actors import Actor
from parkos.core.downloads import attachment, xlsx_bytes
from parkos.core.forms import ReportFilterForm, date_input
from parkos.core.periods import UserFirstMixin, twelve_months
from parkos.core.permissions import Action, can
from parkos.parks.models import Park
from parkos.services.models import Aspect, ServiceRequest
from parkos.services.selectors import kept_request_figures


def latest_request_day(user: Actor | None, today: datetime.date) -> datetime.date | None:
    """The local day, up to ``today``, of the latest service request the user sees."""
    end = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, timezone.get_current_timezone()
    )
    # the latest row by the list's index (requested_at, id descending), not MAX(): PostgreSQL reads MAX from an index
    # only when no other table is joined, and a park-scoped user's restrict() joins its parks, so MAX read every
    # request of those parks (issue 16: 99 ms for the service desk at 99,000 requests, 0.1 ms this way)
    last = (
        ServiceRequest.objects.restrict(user)
        .filter(requested_at__lt=end)
        .order_by("-requested_at", "-pk")
        .values_list("requested_at", flat=True)
        .first()
    )
    return timezone.localdate(last) if last is not None else None


class FiguresFilterForm(UserFirstMixin, ReportFilterForm):
    date_from = forms.DateField(label=_("Filed from"), widget=date_input())
    date_to = forms.DateField(label=_("Filed until"), widget=date_input())
    # a park's name is all the select shows: not its boundary and description for each of the parks
    park = forms.ModelChoiceField(queryset=Park.objects.only("pk", "name"), required=False, label=_("Park"))
    aspect = forms.ChoiceField(choices=[("", "---------"), *Aspect.choices], required=False, label=_("Aspect"))

    def defaults(self) -> dict:
        """The last twelve months, or the twelve months up to the latest request filed."""
        today = timezone.localdate()
        latest = latest_request_day(self.user, today) if self.needs_default("date_from", "date_to") else None
        date_from, date_to = twelve_months(latest, today)
        return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}

    def selector_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] or None for name in self.fields}


def chart_data(figures: dict) -> dict:
    """The series the page's charts draw, with translated labels."""
    return {
        "aspects": {
            "labels": [row["label"] for row in figures["by_aspect"]],
            "requests": [row["requests"] for row in figures["by_aspect"]],
            "response": [row["response_mean_hours"] for row in figures["by_aspect"]],
            "resolution": [row["resolution_mean_days"] for row in figures["by_aspect"]],
        },
        "status": [{"name": row["label"], "value": row["requests"]} for row in figures["by_status"] if row["requests"]],
        "parks": {
            "labels": [row["name"] for row in figures["by_park"][:15]],
            "requests": [row["requests"] for row in figures["by_park"][:15]],
        },
        "ratings": {
            "labels": [f"{row['rating']} ★" for row in figures["satisfaction"]["distribution"]],
            "values": [row["requests"] for row in figures["satisfaction"]["distribution"]],
        },
        "names": {
            "requests": _t("Requests"),
            "response": _t("Mean hours to respond"),
            "resolution": _t("Mean days to resolve"),
        },
    }


def park_rows_html(rows: list) -> SafeString:
    """The "By park" table's rows, as the page's template loop wrote them: a row per park the user sees (188 at
    demo scale 6.25), each with five numbers through ``intcomma``, was a loop of about 300 Python calls a row; the
    counts are grouped as ``intcomma`` groups them, with the language's separators read once for all the rows (its
    three format lookups a number were half of what was left of the page once its figures were kept)."""
    count = count_format()
    return format_html_join(
        "",
        '<tr><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            (
                row["name"],
                count(row["requests"]),
                count(row["open"]),
                count(row["done"]),
                "—" if row["mean_rating"] is None else localize(row["mean_rating"]),
                count(row["enterprises"]),
            )
            for row in rows
        ),
    )


def count_format() -> Callable[[int], str]:
    """``intcomma`` of a whole number in the current language (the same ``numberformat.format`` call), its separators
    and grouping read once."""
    language = get_language()
    decimal, grouping, thousands = (
        get_format(name, language, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )

    def count(value: int) -> str:
        return numberformat.format(value, decimal, None, grouping, thousands, force_grouping=True, use_l10n=True)

    return count


def figures_xlsx(figures: dict) -> bytes:
    """Three sheets: by aspect (with times and satisfaction), by park, by status."""
    response, resolution = figures["response"], figures["resolution"]
    by_aspect = [
        [
            _t("Aspect"),
            _t("Requests"),
            _t("Open"),
            _t("Done"),
            _t("Mean hours to respond"),
            _t("Median hours to respond"),
            _t("Responded within target"),
            _t("Mean days to resolve"),
            _t("Median days to resolve"),
            _t("Resolved within target"),
            _t("Ratings"),
            _t("Mean rating"),
            _t("Enterprises"),
        ],
        *(
            [
                row["label"],
                row["requests"],
                row["open"],
                row["done"],
                row["response_mean_hours"],
                row["response_median_hours"],
                row["response_within_target"],
                row["resolution_mean_days"],
                row["resolution_median_days"],
                row["resolution_within_target"],
                row["rated"],
                row["mean_rating"],
                row["enterprises"],
            ]
            for row in figures["by_aspect"]
        ),
        [
            _t("Total"),
            figures["requests"],
            figures["open"],
            figures["done"],
            response["mean_hours"],
            response["median_hours"],
            response["within_target_share"],
            resolution["mean_days"],
            resolution["median_days"],
            resolution["within_target_share"],
            figures["satisfaction"]["rated"],
            figures["satisfaction"]["mean_rating"],
            figures["enterprises"],
        ],
    ]
    by_park = [
        [_t("Park"), _t("Requests"), _t("Open"), _t("Done"), _t("Mean rating"), _t("Enterprises")],
        *(
            [row["name"], row["requests"], row["open"], row["done"], row["mean_rating"], row["enterprises"]]
            for row in figures["by_park"]
        ),
    ]
    by_status = [[_t("Status"), _t("Requests")], *([row["label"], row["requests"]] for row in figures["by_status"])]
    return xlsx_bytes([(_t("By aspect"), by_aspect), (_t("By park"), by_park), (_t("By status"), by_status)])


class ServiceFiguresView(View):
    template_name = "services/figures.html"

    def get(self, request):
        if not can(request.user, ServiceRequest, Action.VIEW):
            raise PermissionDenied
        form = FiguresFilterForm(request.GET, user=request.user)
        export = request.GET.get("format", "")
        if export not in ("", "xlsx"):
            form.is_valid()
            form.add_error(None, _("Unknown format '%(format)s': use xlsx.") % {"format": export})
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "figures": None}, status=400)
        figures = kept_request_figures(request.user, **form.selector_kwargs())
        if export == "xlsx":
            return attachment(figures_xlsx(figures), f"service-figures-{timezone.localdate():%Y-%m-%d}.xlsx")
        query = request.GET.copy()
        query.pop("format", None)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "figures": figures,
                "park_rows": park_rows_html(figures["by_park"]),
                "charts": chart_data(figures),
                "query_string": query.urlencode(),
            },
        )

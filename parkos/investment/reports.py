"""Report pages of the investment app: the pipeline figures and the agreement implementation report (XLSX, PDF).

Views parse the filters, call the selectors (parkos.investment.selectors) and render; the filter
forms are shared with the API (parkos.investment.api.reports), so both refuse bad input alike.
"""

from __future__ import annotations

import datetime
import html
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from django.views import View

from parkos.core.actors import Actor
from parkos.core.downloads import attachment, xlsx_bytes
from parkos.core.exports import export_job_create, pdf_inline_rows
from parkos.core.forms import ReportFilterForm, date_input
from parkos.core.models import ExportJob
from parkos.core.periods import UserFirstMixin, year_to_date
from parkos.core.permissions import Action, can
from parkos.core.reversing import reverse_pk
from parkos.core.units import CURRENCY_CHOICES, DEFAULT_CURRENCY, AreaUnit
from parkos.directory.models import Industry, Organization
from parkos.investment.models import (
    STAGE_ORDER,
    Agreement,
    CheckOutcome,
    Commitment,
    CommitmentStatus,
    ImplementationStatus,
    Party,
    Project,
    Stage,
    StageChange,
    commitment_label,
    commitment_status,
    rolled_up_status,
)
from parkos.investment.selectors import (
    CHECK_GROUPS,
    ImplementationReport,
    check_summaries,
    implementation_report,
    pipeline_figures,
    report_checks,
    visible_checks,
)
from parkos.parks.models import Park, ParkBrand

#: the PDF lists at most this many agreements (and says so); XLSX has every row. WeasyPrint lays out
#: about 7 ms per row here (bench/RESULTS.md). A PDF of more rows than core.exports.pdf_inline_rows() (300)
#: is written by the background worker, where this limit keeps a file near 70 s of work.
PDF_ROW_LIMIT = 10_000
#: the report's name for background exports (core.exports.register_report)
IMPLEMENTATION_REPORT = "investment.implementation"
PER_PAGE = 25

#: Tabler badge colours per status
IMPLEMENTATION_COLOURS = {
    ImplementationStatus.NO_COMMITMENTS: "secondary",
    ImplementationStatus.FULFILLED: "green",
    ImplementationStatus.ON_TRACK: "blue",
    ImplementationStatus.AT_RISK: "yellow",
    ImplementationStatus.OVERDUE: "red",
}
COMMITMENT_COLOURS = {
    CommitmentStatus.MET: "green",
    CommitmentStatus.ON_TRACK: "blue",
    CommitmentStatus.AT_RISK: "yellow",
    CommitmentStatus.OVERDUE: "red",
}


def latest_pipeline_day(user: Actor | None, today: datetime.date) -> datetime.date | None:
    """The last day up to ``today`` on which a project the user sees moved stage (or came in as a lead)."""
    last: datetime.date | None = StageChange.objects.filter(
        project__in=Project.objects.restrict(user), date__lte=today
    ).aggregate(last=Max("date"))["last"]
    return last


class PipelineFilterForm(UserFirstMixin, ReportFilterForm):
    date_from = forms.DateField(label=_("From"), widget=date_input())
    date_to = forms.DateField(label=_("To"), widget=date_input())
    park = forms.ModelChoiceField(queryset=Park.objects.all(), required=False, label=_("Park"))
    brand = forms.ModelChoiceField(queryset=ParkBrand.objects.all(), required=False, label=_("Park brand"))
    industry = forms.ModelChoiceField(
        queryset=Industry.objects.all(),
        required=False,
        label=_("Industry"),
        help_text=_("Includes its sub-industries."),
    )
    stage = forms.ChoiceField(choices=[("", "---------"), *Stage.choices], required=False, label=_("Current stage"))
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label=_("Report currency"))

    def defaults(self) -> dict:
        """This year so far, or the latest year a project the user sees moved stage in."""
        today = timezone.localdate()
        latest = latest_pipeline_day(self.user, today) if self.needs_default("date_from", "date_to") else None
        date_from, date_to = year_to_date(latest, today)
        return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "currency": DEFAULT_CURRENCY}

    def selector_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] or None for name in self.fields} | {
            "currency": self.cleaned_data["currency"]
        }


class ImplementationFilterForm(ReportFilterForm):
    party = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False, label=_("Party"))
    kind = forms.ChoiceField(choices=[("", "---------"), *Agreement.Kind.choices], required=False, label=_("Kind"))
    date_from = forms.DateField(label=_("Signed from"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("Signed until"), required=False, widget=date_input())
    status = forms.ChoiceField(
        choices=[("", "---------"), *ImplementationStatus.choices], required=False, label=_("Implementation")
    )
    check_year = forms.IntegerField(
        label=_("Checked year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("The year of the reconciliation shown; empty: the latest."),
    )

    def selector_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] or None for name in self.fields if name != "check_year"}


def require_view(user, model) -> None:
    if not can(user, model, Action.VIEW):
        raise PermissionDenied


# --- pipeline figures -----------------------------------------------------------------------------


def chart_data(figures: dict) -> dict:
    """The series the page's charts draw, with translated labels (plain JSON for json_script)."""
    conversion = figures["conversion"]
    time = figures["time_in_stage"]
    return {
        "stages": {
            "labels": [str(row["label"]) for row in figures["stages"]],
            "values": [row["projects"] for row in figures["stages"]],
        },
        "conversion": {
            "labels": [str(row["label"]) for row in conversion],
            "values": [row["reached"] for row in conversion],
        },
        "time": {
            "labels": [str(row["label"]) for row in time],
            "mean": [row["mean_days"] for row in time],
            "median": [row["median_days"] for row in time],
            "series": [str(_("Mean days")), str(_("Median days"))],
        },
        "names": {"projects": str(_("Projects")), "reached": str(_("Projects that reached the stage"))},
    }


class PipelineFiguresView(View):
    template_name = "investment/pipeline_figures.html"

    def get(self, request):
        require_view(request.user, Project)
        form = PipelineFilterForm(request.GET, user=request.user)
        context = {"form": form, "figures": None, "stage_count": len(STAGE_ORDER)}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        figures = pipeline_figures(request.user, **form.selector_kwargs())
        unit = getattr(request.user, "area_unit", AreaUnit.SQUARE_METRE)
        context.update(figures=figures, charts=chart_data(figures), area_unit=unit)
        return render(request, self.template_name, context)


# --- agreement implementation report ---------------------------------------------------------------

#: Tabler badge colours per outcome of a commitment check
CHECK_COLOURS = {
    CheckOutcome.MET: "green",
    CheckOutcome.BEHIND: "yellow",
    CheckOutcome.MISSED: "red",
    CheckOutcome.OPEN: "secondary",
}
#: agreements listed in the checks' "by agreement" table (worst first); the XLSX has every check
CHECK_AGREEMENT_ROWS = 20


def check_groups_titles() -> dict[str, str]:
    return {
        "source": _t("By source"),
        "agreement": _t("By agreement (most missed first)"),
        "park": _t("By park"),
        "district": _t("By district"),
        "kind": _t("By kind"),
    }


def commitment_checks_context(user, report: ImplementationReport, year: int | None) -> dict:
    """The reconciliation's outcomes for the report's agreements: met, behind, missed, open per grouping.

    One statement whatever the number of commitments (selectors.check_summaries); ``year`` None: the latest year
    checked.
    """
    checks = report_checks(user, report.filtered)
    year, groups = check_summaries(checks, year, agreement_limit=CHECK_AGREEMENT_ROWS)
    context: dict = {
        "check_year": year,
        "can_reconcile": can_reconcile(user),
        "reconcile_year": timezone.localdate().year - 1,
        "check_outcomes": [(value, label, CHECK_COLOURS[value]) for value, label in CheckOutcome.choices],
        "check_groups": [],
    }
    if year is None:
        return context
    titles = check_groups_titles()
    numbers: dict[int, str] = {}
    context["check_groups"] = [
        {"by": by, "title": titles[by], "rows": groups[by], "rows_html": check_rows_html(by, groups[by], numbers)}
        for by in CHECK_GROUPS
    ]
    totals = {value: sum(row[value] for row in groups["source"]) for value in CheckOutcome.values}
    context["check_totals"] = [
        (value, label, totals[value], CHECK_COLOURS[value]) for value, label in CheckOutcome.choices
    ]
    return context


def check_rows_html(by: str, rows: list, numbers: dict[int, str] | None = None) -> str:
    """A grouping's rows of the checks' tables, as commitment_checks.html's loop wrote them (an agreement's title
    links to it): forty rows of four ``intcomma`` and a ``{% url %}`` each were a tenth of the page (issue 16).

    ``numbers``: the counts already written with ``intcomma`` on this page (the same few small numbers recur; each
    ``intcomma`` looks up the language's number format).
    """
    agreement_url = Agreement.url_name()
    numbers = {} if numbers is None else numbers

    def grouped(value: int) -> str:
        if value not in numbers:
            numbers[value] = html.escape(intcomma(value))
        return numbers[value]

    parts = []
    for row in rows:
        label = _escape(row["label"])
        if by == "agreement":
            label = f'<a href="{html.escape(reverse_pk(agreement_url, row["key"]))}">{label}</a>'
        parts.append(
            _CHECK_ROW.format(
                _escape(row["key"]),
                label,
                grouped(row["met"]),
                grouped(row["behind"]),
                grouped(row["missed"]),
                grouped(row["open"]),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped)


#: a row of the checks' tables as commitment_checks.html's loop wrote it (escaped values placed by str.format)
_CHECK_ROW = (
    '\n        <tr data-key="{}"><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
    '<td class="text-end">{}</td><td class="text-end">{}</td></tr>\n        '
)


def can_reconcile(user) -> bool:
    from parkos.core.permissions import Scope, scope_of

    return can(user, Commitment, Action.CHANGE) and scope_of(user) >= Scope.PARKS


def _badge(value: str, label, colour: str, made: dict | None = None) -> str:
    """A status badge; ``made`` keeps those of a page (the same few on every row)."""
    key = (value, str(label), colour)
    if made is not None and key in made:
        return made[key]
    badge = format_html('<span class="badge bg-{}-lt" data-status="{}">{}</span>', colour, value, label)
    if made is not None:
        made[key] = badge
    return badge


def _escape(value) -> str:
    """``conditional_escape`` without its per-call machinery: HTML already safe as it is, the rest escaped
    (``html.escape``, as Django's ``escape``)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


@dataclass(slots=True)
class PageCommitment:
    """One commitment of a report page as its row prints it (read as a tuple of columns, not a model)."""

    pk: int
    organization: str
    kind: str
    description: str
    target_value: Decimal | None
    unit: str
    latest_value: Decimal | None
    met_on: datetime.date | None
    due_date: datetime.date | None
    midpoint: datetime.date | None
    current_status: str = ""


@dataclass(slots=True)
class PageAgreement:
    """One agreement of a report page: the columns its row shows, its parties as (organization, role) and its
    commitments; ``label_page`` adds the counts, the roll-up, its link and the commitments' rows."""

    pk: int
    title: str
    reference: str
    kind: str
    signed_on: datetime.date | None
    parties: list[tuple[str, str]] = field(default_factory=list)
    commitments: list[PageCommitment] = field(default_factory=list)
    n_commitments: int = 0
    n_met: int = 0
    n_on_track: int = 0
    n_at_risk: int = 0
    n_overdue: int = 0
    implementation: str = ""
    implementation_badge: str = ""
    report_url: str = ""
    commitment_rows: str = ""


#: a commitment's row (promised by, commitment, latest value, due date, status); filled with escaped text
_COMMITMENT_ROW = (
    '<tr data-commitment="{}"><td>{}</td><td>{}</td><td class="text-end">{}</td><td class="text-nowrap">{}</td>'
    "<td>{}</td></tr>"
)


def commitments_html(commitments: list[PageCommitment], badges: dict | None = None, words: dict | None = None) -> str:
    """The rows of an agreement's commitments table (promised by, commitment, latest value, due date, status).

    Built here rather than by the template: a page has a hundred commitments, and a template loop with an
    include per badge was a third of the report's time (issue 16). Each value is escaped once (``_escape``) and
    placed with ``str.format``, not ``format_html``'s escaping of every argument. ``words``: a page's labels of
    kinds and units (``page_words``).
    """
    badges = {} if badges is None else badges
    words = page_words() if words is None else words
    kinds, units, reached = words["commitment_kinds"], words["units"], words["reached"]
    parts = []
    for commitment in commitments:
        status = commitment.current_status
        badge = badges.get(status)
        if badge is None:
            badge = badges[status] = _badge(status, CommitmentStatus(status).label, COMMITMENT_COLOURS[status])
        unit = units.get(commitment.unit)
        if unit is None:
            unit = units[commitment.unit] = str(Commitment.UNIT_LABELS.get(commitment.unit, commitment.unit))
        label = commitment_label(
            commitment.description,
            kinds.get(commitment.kind, commitment.kind),
            commitment.target_value,
            unit,
        )
        if commitment.latest_value is not None:
            latest = _escape(f"{floatformat(commitment.latest_value, '-2g')} {unit}")
        else:
            latest = reached if commitment.met_on else "—"
        parts.append(
            _COMMITMENT_ROW.format(
                commitment.pk,
                _escape(commitment.organization),
                _escape(label),
                latest,
                f"{commitment.due_date:%Y-%m-%d}" if commitment.due_date else "—",
                badge,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped, the badges are format_html's)


def page_agreements(report: ImplementationReport):
    """The report's agreements in report order, as the columns a page shows (``PageAgreement``'s): a page of it (a
    slice) is one query; ``page_rows`` reads that page's parties and commitments in one query each (issue 16).

    Tuples, not models: a page's hundred and fifty agreements, parties and commitments built as model instances
    with two prefetches were a sixth of the page's Python calls. No counts in SQL: ``label_page`` counts the
    page's commitments per status from the rows it prints.
    """
    return report.filtered.order_by("-signed_on", "-pk").values_list("pk", "title", "reference", "kind", "signed_on")


def page_rows(agreements) -> list[PageAgreement]:
    """A page of ``page_agreements`` (its tuples) as ``PageAgreement`` with their parties (by party) and their
    commitments (in ``Commitment``'s order: due date, then key): two queries, none for an empty page."""
    rows = [PageAgreement(*values) for values in agreements]
    if not rows:
        return rows
    by_pk = {row.pk: row for row in rows}
    parties = (
        Party.objects.filter(agreement__in=list(by_pk))
        .order_by("pk")
        .values_list("agreement_id", "organization__name", "role")
    )
    for agreement_id, organization, role in parties:
        by_pk[agreement_id].parties.append((organization, role))
    commitments = (
        Commitment.objects.filter(agreement__in=list(by_pk))
        .order_by("agreement", "due_date", "pk")
        .values_list(
            "agreement_id",
            "pk",
            "party__organization__name",
            "kind",
            "description",
            "target_value",
            "unit",
            "latest_value",
            "met_on",
            "due_date",
            "midpoint",
        )
    )
    for agreement_id, *values in commitments:
        by_pk[agreement_id].commitments.append(PageCommitment(*values))
    return rows


def page_words() -> dict:
    """The words a page's rows repeat, translated once per page (escaped: they are placed as HTML)."""
    escape = html.escape
    return {
        "met": escape(_t("Met")),
        "on_track": escape(_t("On track")),
        "at_risk": escape(_t("At risk")),
        "overdue": escape(_t("Overdue")),
        "commitments": escape(_t("Commitments")),
        "promised_by": escape(_t("Promised by")),
        "commitment": escape(_t("Commitment")),
        "latest_value": escape(_t("Latest value")),
        "due_date": escape(_t("Due date")),
        "status": escape(_t("Status")),
        "reached": escape(_t("reached")),
        "roles": {value: escape(str(label)) for value, label in Party._meta.get_field("role").flatchoices},
        "kinds": {value: escape(str(label)) for value, label in Agreement._meta.get_field("kind").flatchoices},
        # not escaped: a commitment's label is made of them, then escaped
        "commitment_kinds": {value: str(label) for value, label in Commitment._meta.get_field("kind").flatchoices},
        "units": {},
    }


def label_page(agreements: list[PageAgreement], today: datetime.date, words: dict | None = None) -> None:
    """What the rows of one page show (at most a page of rows and their commitments), ready to print.

    Each commitment's status on ``today`` (``commitment_status``, the rules ``with_status`` writes as SQL), the
    agreement's counts per status and its roll-up (``with_implementation``'s, from the same statuses), the
    agreement's link from one URL pattern, the status badges and the commitments' rows as HTML: the template only
    places them.
    """
    words = page_words() if words is None else words
    badges: dict = {}
    url_name = Agreement.url_name()
    met, on_track, at_risk, overdue = (
        CommitmentStatus.MET,
        CommitmentStatus.ON_TRACK,
        CommitmentStatus.AT_RISK,
        CommitmentStatus.OVERDUE,
    )
    for agreement in agreements:
        commitments = agreement.commitments
        statuses = []
        for commitment in commitments:
            commitment.current_status = status = commitment_status(
                met_on=commitment.met_on,
                due_date=commitment.due_date,
                midpoint=commitment.midpoint,
                latest_value=commitment.latest_value,
                target_value=commitment.target_value,
                today=today,
            )
            statuses.append(status)
        agreement.n_commitments = len(commitments)
        agreement.n_met = statuses.count(met)
        agreement.n_on_track = statuses.count(on_track)
        agreement.n_at_risk = statuses.count(at_risk)
        agreement.n_overdue = statuses.count(overdue)
        rolled_up = rolled_up_status(statuses)
        badge = badges.get(("implementation", rolled_up))
        if badge is None:
            status = ImplementationStatus(rolled_up)
            badge = badges[("implementation", rolled_up)] = _badge(status, status.label, IMPLEMENTATION_COLOURS[status])
        agreement.implementation = rolled_up
        agreement.implementation_badge = badge
        agreement.report_url = reverse_pk(url_name, agreement.pk)
        agreement.commitment_rows = commitments_html(commitments, badges, words) if commitments else ""


#: one agreement of the report's table and, when it has commitments, their folded table (the template's loop, as
#: it wrote it: the same whitespace, so the page is byte for byte what it was)
_AGREEMENT_ROW = (
    '\n            <tr data-agreement="{}">\n'
    '              <td><a href="{}">{}</a>{}</td>\n'
    "              <td>{}</td>\n"
    "              <td>{}</td>\n"
    '              <td class="text-nowrap">{}</td>\n'
    '              <td class="text-end text-nowrap">\n'
    '                <span title="{}" class="text-green">{}</span> /\n'
    '                <span title="{}" class="text-blue">{}</span> /\n'
    '                <span title="{}" class="text-yellow">{}</span> /\n'
    '                <span title="{}" class="text-red">{}</span>\n'
    '                <div class="text-secondary small">{}</div>\n'
    "              </td>\n"
    "              <td>{}</td>\n"
    "            </tr>\n"
    "            {}\n"
    "          "
)
_COMMITMENTS_ROW = (
    '\n            <tr class="commitments-row"><td colspan="6" class="pt-0">\n'
    "              <details>\n"
    '                <summary class="text-secondary small">{}</summary>\n'
    '                <table class="table table-sm mb-0">\n'
    '                  <thead><tr><th>{}</th><th>{}</th><th class="text-end">{}</th><th>{}</th><th>{}</th>'
    "</tr></thead>\n"
    "                  <tbody>{}</tbody>\n"
    "                </table>\n"
    "              </details>\n"
    "            </td></tr>\n"
    "            "
)
_PARTY = '<div>{} <span class="text-secondary small">{}</span></div>'


def agreement_rows_html(agreements: list[PageAgreement], words: dict) -> str:
    """The report table's rows for a page of ``label_page``d agreements.

    Written here, not by a template loop: each row resolved some forty template variables, a loop over its
    parties and a ``blocktranslate`` (about a third of the page's time, issue 16). Each value is escaped once and
    placed with ``str.format`` (``format_html`` escaped every argument again). Tested equal to the loop.
    """
    parts = []
    numbers: dict[int, str] = {}  # the counts as the template wrote them (localize), each distinct one once
    in_all: dict[int, str] = {}

    def number(value: int) -> str:
        if value not in numbers:
            numbers[value] = html.escape(localize(value))
        return numbers[value]

    roles, kinds = words["roles"], words["kinds"]
    met, on_track, at_risk, overdue = words["met"], words["on_track"], words["at_risk"], words["overdue"]
    head = None
    for agreement in agreements:
        reference = (
            f'<div class="text-secondary small">{html.escape(agreement.reference)}</div>' if agreement.reference else ""
        )
        parties = "".join(
            _PARTY.format(_escape(organization), roles[role] if role in roles else _escape(role))
            for organization, role in agreement.parties
        )
        commitments = ""
        if agreement.commitment_rows:
            if head is None:
                head = (
                    words["commitments"],
                    words["promised_by"],
                    words["commitment"],
                    words["latest_value"],
                    words["due_date"],
                    words["status"],
                )
            commitments = _COMMITMENTS_ROW.format(*head, agreement.commitment_rows)
        n = agreement.n_commitments
        if n not in in_all:
            in_all[n] = html.escape(ngettext("%(n)s in all", "%(n)s in all", n) % {"n": localize(n)})
        parts.append(
            _AGREEMENT_ROW.format(
                agreement.pk,
                html.escape(agreement.report_url),
                _escape(agreement.title),
                reference,
                kinds[agreement.kind] if agreement.kind in kinds else _escape(agreement.kind),
                parties,
                f"{agreement.signed_on:%Y-%m-%d}" if agreement.signed_on else "—",
                met,
                number(agreement.n_met),
                on_track,
                number(agreement.n_on_track),
                at_risk,
                number(agreement.n_at_risk),
                overdue,
                number(agreement.n_overdue),
                in_all[n],
                agreement.implementation_badge,
                commitments,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped, the badges are format_html's)


def report_totals(report: ImplementationReport) -> dict:
    """The totals as (value, label, count[, colour]) rows, for templates and exports."""
    return {
        "by_implementation": [
            (value, label, report.by_implementation[value], IMPLEMENTATION_COLOURS[value])
            for value, label in ImplementationStatus.choices
        ],
        "commitments_by_status": [
            (value, label, report.commitments_by_status[value], COMMITMENT_COLOURS[value])
            for value, label in CommitmentStatus.choices
        ],
        "agreements_by_kind": [
            (value, label, report.agreements_by_kind[value]) for value, label in Agreement.Kind.choices
        ],
        "commitments_by_kind": [
            (value, label, report.commitments_by_kind[value])
            for value, label in Commitment.Kind.choices
            if value in report.commitments_by_kind
        ],
    }


class ImplementationReportView(View):
    template_name = "investment/implementation_report.html"
    pdf_template_name = "investment/implementation_report_pdf.html"

    def get(self, request):
        require_view(request.user, Agreement)
        form = ImplementationFilterForm(request.GET, user=request.user)
        export = request.GET.get("format", "")
        if export not in ("", "xlsx", "pdf"):
            form.is_valid()
            form.add_error(None, _("Unknown format '%(format)s': use xlsx or pdf.") % {"format": export})
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "report": None}, status=400)
        report = implementation_report(request.user, **form.selector_kwargs())
        if export == "xlsx":
            return xlsx_response(report, request.user)
        if export == "pdf":
            if report.total_agreements > pdf_inline_rows():
                return pdf_later(request, report)
            return pdf_response(report, request, form)
        paginator = Paginator(page_agreements(report), PER_PAGE)
        # the implementation statuses part the agreements: their total is the count, without a COUNT query
        paginator.count = report.total_agreements
        page = paginator.get_page(request.GET.get("page"))
        rows = page_rows(page.object_list)
        words = page_words()
        label_page(rows, report.today, words)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context = {
            "form": form,
            "report": report,
            "totals": report_totals(report),
            "page_obj": page,
            "rows": rows,
            "rows_html": agreement_rows_html(rows, words),
            "query_string": query.urlencode(),
            **commitment_checks_context(request.user, report, form.cleaned_data.get("check_year")),
        }
        return render(request, self.template_name, context)


class ReconcileView(View):
    """POST year: investment staff and admins run the yearly reconciliation, then return to the report."""

    def post(self, request):
        from parkos.core.changelog import change_context
        from parkos.investment.services import reconcile_commitments

        if not can_reconcile(request.user):
            raise PermissionDenied
        back = reverse("investment:implementation_report")
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            messages.error(
                request, _t("Give the year to reconcile, such as %(year)s.") % {"year": timezone.localdate().year - 1}
            )
            return redirect(back)
        try:
            with change_context(user=request.user, source="web"):
                result = reconcile_commitments(year=year, user=request.user)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return redirect(back)
        messages.success(
            request,
            _t(
                "%(year)s reconciled: %(checked)s commitments checked, %(met)s met, %(behind)s behind, %(missed)s"
                " missed (%(new)s newly), %(open)s with no figure yet."
            )
            % {
                "year": year,
                "checked": result.checked,
                "met": result.counts[CheckOutcome.MET],
                "behind": result.counts[CheckOutcome.BEHIND],
                "missed": result.counts[CheckOutcome.MISSED],
                "new": result.missed_new,
                "open": result.counts[CheckOutcome.OPEN],
            },
        )
        return redirect(f"{back}?check_year={year}")


def _with_parties(agreements):
    """The agreements with their parties only (exports list parties, and commitments on their own sheet)."""
    parties = Party.objects.select_related("organization").order_by("pk")
    return agreements.prefetch_related(None).prefetch_related(Prefetch("parties", queryset=parties))


def implementation_xlsx(report: ImplementationReport, user) -> bytes:
    """Two sheets: one row per agreement, one row per commitment (status, latest value, target)."""
    kinds, statuses = dict(Agreement.Kind.choices), dict(Agreement.Status.choices)
    implementation = dict(ImplementationStatus.choices)
    agreements = (
        [
            agreement.pk,
            agreement.title,
            agreement.reference,
            str(kinds.get(agreement.kind, agreement.kind)),
            str(statuses.get(agreement.status, agreement.status)),
            str(agreement.park),
            "; ".join(str(p.organization) for p in agreement.parties.all()),
            agreement.signed_on,
            agreement.n_commitments,
            *[getattr(agreement, f"n_{value}") for value in CommitmentStatus.values],
            str(implementation[agreement.implementation]),
        ]
        for agreement in _with_parties(report.agreements).iterator(chunk_size=500)
    )
    agreements_header = [
        _t("ID"),
        _t("Title"),
        _t("Reference"),
        _t("Kind"),
        _t("Status"),
        _t("Park"),
        _t("Parties"),
        _t("Signed on"),
        _t("Commitments"),
        *[str(label) for label in CommitmentStatus.labels],
        _t("Implementation"),
    ]
    commitment_kinds, commitment_statuses = dict(Commitment.Kind.choices), dict(CommitmentStatus.choices)
    commitments = (
        Commitment.objects.filter(agreement__in=report.filtered.values("pk"))
        .with_status(report.today)
        .select_related("agreement", "party__organization")
        .order_by("-agreement__signed_on", "-agreement_id", "due_date", "pk")
    )
    commitment_rows = (
        [
            commitment.agreement_id,
            commitment.agreement.title,
            str(commitment.party.organization),
            str(commitment_kinds.get(commitment.kind, commitment.kind)),
            commitment.description,
            commitment.target_value,
            commitment.unit,
            commitment.due_date,
            commitment.latest_value,
            commitment.latest_on,
            commitment.met_on,
            str(commitment_statuses[commitment.current_status]),
        ]
        for commitment in commitments.iterator(chunk_size=2000)
    )
    commitments_header = [
        _t("Agreement ID"),
        _t("Agreement"),
        _t("Promised by"),
        _t("Kind"),
        _t("Description"),
        _t("Target"),
        _t("Unit"),
        _t("Due date"),
        _t("Latest value"),
        _t("Latest progress on"),
        _t("Met on"),
        _t("Status"),
    ]
    return xlsx_bytes(
        [
            (_t("Agreements"), itertools.chain([agreements_header], agreements)),
            (_t("Commitments"), itertools.chain([commitments_header], commitment_rows)),
            (_t("Commitment checks"), checks_rows(report, user, commitment_kinds)),
        ]
    )


def checks_rows(report: ImplementationReport, user, kinds: dict) -> itertools.chain:
    """Every stored check of the report's agreements, newest year first, with its figures and source."""
    checks = (
        visible_checks(user)
        .filter(commitment__agreement__in=report.filtered.values("pk"))
        .select_related("commitment__agreement", "commitment__party__organization")
        .order_by("-year", "commitment__agreement_id", "commitment_id")
    )
    header = [
        _t("Year"),
        _t("Agreement ID"),
        _t("Agreement"),
        _t("Promised by"),
        _t("Kind"),
        _t("Unit"),
        _t("Target"),
        _t("Expected by then"),
        _t("Actual"),
        _t("Gap"),
        _t("Source"),
        pgettext("commitment check", "Outcome"),
    ]
    outcomes = dict(CheckOutcome.choices)
    rows = (
        [
            check.year,
            check.commitment.agreement_id,
            check.commitment.agreement.title,
            str(check.commitment.party.organization),
            str(kinds.get(check.commitment.kind, check.commitment.kind)),
            check.commitment.unit,
            check.target,
            check.path,
            check.actual if check.actual is not None else check.actual_on,
            check.gap,
            check.source_text,
            str(outcomes[check.outcome]),
        ]
        for check in checks.iterator(chunk_size=2000)
    )
    return itertools.chain([header], rows)


def _file_stem() -> str:
    return f"agreement-implementation-{timezone.localdate():%Y-%m-%d}"


def xlsx_response(report: ImplementationReport, user) -> HttpResponse:
    return attachment(implementation_xlsx(report, user), f"{_file_stem()}.xlsx")


def pdf_bytes(report: ImplementationReport, user, form, base_url: str, on_rows=None) -> bytes:
    """The filtered rows as a printable table (at most PDF_ROW_LIMIT agreements; the PDF says when it stops)."""
    from weasyprint import HTML

    rows = list(_with_parties(report.agreements)[:PDF_ROW_LIMIT])
    for agreement in rows:
        agreement.implementation_label = ImplementationStatus(agreement.implementation).label
    if on_rows is not None:
        on_rows(len(rows) // 2)  # read; laying them out is the other half of the work
    total = report.total_agreements
    filters = [(form.fields[name].label, _display(form, name)) for name in form.fields if form.cleaned_data.get(name)]
    html = render_to_string(
        "investment/implementation_report_pdf.html",
        {
            "report": report,
            "totals": report_totals(report),
            "rows": rows,
            "total": total,
            "truncated": total > len(rows),
            "limit": PDF_ROW_LIMIT,
            "filters": filters,
            "generated": timezone.localtime(),
            "user": user,
            **commitment_checks_context(user, report, form.cleaned_data.get("check_year")),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_later(request, report: ImplementationReport) -> HttpResponse:
    """A long PDF: written by the background worker; its page under "My exports" shows the progress."""
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    job = export_job_create(
        user=request.user,
        kind=ExportJob.Kind.REPORT,
        source=IMPLEMENTATION_REPORT,
        title=_t("Agreement implementation report"),
        query=query.urlencode(),
        fmt="pdf",
        rows=min(report.total_agreements, PDF_ROW_LIMIT),
    )
    messages.info(
        request,
        _t(
            "The PDF of %(rows)s agreements is being written in the background: it will be under "
            "“My exports” when it is ready, and you will be notified."
        )
        % {"rows": f"{report.total_agreements:,}"},
    )
    return redirect(job.get_absolute_url())


def implementation_pdf_export(job: ExportJob, on_rows) -> tuple[bytes, int]:
    """The worker's part of ``pdf_later``: the report in its owner's scope as it is now (core.exports)."""
    if not can(job.user, Agreement, Action.VIEW):
        raise ValueError(_t("You may no longer see agreements: nothing was exported."))
    form = ImplementationFilterForm(QueryDict(job.query), user=job.user)
    if not form.is_valid():
        raise ValueError(_t("The report's filter is no longer valid: %(errors)s") % {"errors": form.errors.as_text()})
    report = implementation_report(job.user, **form.selector_kwargs())
    rows = min(report.total_agreements, PDF_ROW_LIMIT)
    return pdf_bytes(report, job.user, form, settings.PARKOS_BASE_URL, on_rows=on_rows), rows


def _display(form, name: str) -> str:
    value = form.cleaned_data[name]
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def pdf_response(report: ImplementationReport, request, form) -> HttpResponse:
    data = pdf_bytes(report, request.user, form, request.build_absolute_uri("/"))
    return attachment(data, f"{_file_stem()}.pdf", "application/pdf")

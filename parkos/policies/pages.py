"""Rows of the policy office's pages written in Python, from only the columns they show (issue 16).

*Applications to decide* listed up to 200 applications as whole model rows (an application, its policy, issuer,
applicant, park and reviewer: five objects and every column of each) through a template loop with an include
per status badge: 1,500 Python calls a row, and at demo scale 1 the admin's page 160,000 calls for 78 rows.
Here a row is one tuple of nine columns written by ``format_html``; the HTML is the loop's (tested equal).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from parkos.core.reversing import reverse_pk
from parkos.core.units import format_money, money_unit_for
from parkos.policies.models import Application

#: a badge's colour per application status (policies/workflow/includes/status.html); any other status is blue
STATUS_COLOURS = {"approved": "green", "rejected": "red", "withdrawn": "secondary", "draft": "secondary"}

#: what a row of the review queue reads: no model row, no column it does not show
REVIEW_COLUMNS = (
    "pk",
    "status",
    "submitted_at",
    "amount_requested",
    "applicant__name",
    "park__name",
    "policy__name",
    "policy__issuer__name",
    "reviewer__username",
)


def status_badge(status: str, labels: dict[str, Any]) -> SafeString:
    """policies/workflow/includes/status.html for one status (``labels``: the statuses' translated labels)."""
    return format_html(
        '<span class="badge bg-{}-lt" data-status="{}">{}</span>',
        STATUS_COLOURS.get(status, "blue"),
        status,
        labels.get(status, status),
    )


def local_day(moment: datetime.datetime | None) -> str:
    """``{{ moment|date:"Y-m-d" }}``: the local day, the year in four digits; empty for none."""
    if moment is None:
        return ""
    local = template_localtime(moment)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


def review_rows(applications: QuerySet[Application], limit: int) -> list[tuple[Any, ...]]:
    """The first ``limit`` applications as tuples of ``REVIEW_COLUMNS`` (in the queryset's order)."""
    return list(applications.values_list(*REVIEW_COLUMNS)[:limit])


def review_rows_html(rows: Iterable[tuple[Any, ...]], user: Any) -> SafeString:
    """The review queue's table rows, as its template loop wrote them (without the loop's indentation)."""
    unit = money_unit_for(user)
    labels = {value: str(label) for value, label in Application.Status.choices}
    return format_html_join(
        "",
        '<tr data-application="{}"><td><a href="{}">{}</a><div class="small text-secondary">{}</div></td>'
        '<td>{}<div class="small text-secondary">{}</div></td><td class="text-nowrap">{}</td>'
        '<td class="text-end text-nowrap">{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                pk,
                reverse_pk("policies:application_workflow", pk),
                applicant,
                park or "",
                policy,
                issuer,
                local_day(submitted),
                (format_money(Decimal(str(amount)), "CNY", unit) if amount is not None else "") or "—",
                status_badge(status, labels),
                reviewer or "—",
            )
            for pk, status, submitted, amount, applicant, park, policy, issuer, reviewer in rows
        ),
    )

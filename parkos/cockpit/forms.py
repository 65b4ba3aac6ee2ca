"""The cockpit's filter: a period (a year, a quarter, a month or from-to) and a scope the user may pick.

Shared by the page, the big screen's API and the benchmarking table, so every channel refuses bad input alike.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.cockpit.selectors import CockpitScope, Period, resolve_scope, scope_choices
from parkos.core.forms import ReportFilterForm, date_input

PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


def parse_period(text: str, today: datetime.date) -> Period:
    """'2026' (this year: to today), '2026-Q2', '2026-05'; ValueError for anything else."""
    match = PERIOD.match(text.strip())
    if match is None:
        raise ValueError(text)
    year = int(match["year"])
    if not 1990 <= year <= 2100:
        raise ValueError(text)
    if match["quarter"]:
        first = 3 * (int(match["quarter"]) - 1) + 1
        start, end_month = datetime.date(year, first, 1), first + 2
        end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
    elif match["month"]:
        month = int(match["month"])
        start, end = datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if start <= today <= end and not match["quarter"] and not match["month"]:
        end = today  # this year so far, set against the same days of last year
    return Period(start, end)


def default_period() -> Period:
    """The period of a page asked for without one: this year so far."""
    today = timezone.localdate()
    return parse_period(str(today.year), today)


class CockpitFilterForm(ReportFilterForm):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        help_text=_("A year (2026), a quarter (2026-Q2) or a month (2026-05); or the dates below."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, user=user, **kwargs)
        self.fields["scope"].choices = scope_choices(user)

    def clean_period(self) -> str:
        text = (self.cleaned_data.get("period") or "").strip()
        if text:
            try:
                parse_period(text, timezone.localdate())
            except ValueError:
                raise forms.ValidationError(
                    _("Write a year (2026), a quarter (2026-Q2) or a month (2026-05)."), code="invalid"
                ) from None
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if bool(start) != bool(end) and not self.errors:
            self.add_error("date_to" if start else "date_from", _("Give both ends of the period, or neither."))
        return cleaned

    def period_value(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to"):
            return Period(data["date_from"], data["date_to"])
        return parse_period(data["period"], today) if data.get("period") else default_period()

    def scope_value(self) -> CockpitScope:
        return resolve_scope(self.user, self.cleaned_data.get("scope") or "")  # type: ignore[arg-type]

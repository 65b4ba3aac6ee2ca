"""Default periods of the figures pages: the latest period that has data.

A figures page opens on a period (this year so far, the last twelve months, today). When nothing happened
in it (early January, or a database whose data stops in the past), the page opens on the latest period
that has data instead, so its tables and charts are never empty by default. Each page asks its own
selector for the day of its latest data (``latest``) and turns it into a period here.
"""

from __future__ import annotations

import datetime
from typing import Any

from parkos.core.actors import Actor


def year_to_date(latest: datetime.date | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This year so far; when the latest data is from an earlier year, that whole year."""
    if latest is None or latest.year >= today.year:
        return today.replace(month=1, day=1), today
    return latest.replace(month=1, day=1), latest.replace(month=12, day=31)


def twelve_months(latest: datetime.date | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months; when the latest data is older, the twelve months up to it."""
    end = today if latest is None or latest > _year_before(today) else latest
    return _year_before(end), end


def on_day(latest: datetime.date | None, today: datetime.date) -> datetime.date:
    """Today; when the latest data ends before today, its last day."""
    return today if latest is None or latest >= today else latest


def _year_before(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else day.replace(year=day.year - 1, day=28)


class UserFirstMixin:
    """Sets ``self.user`` before the form's ``defaults()`` run, so a default may depend on what the user sees."""

    user: Actor | None

    def __init__(self, data: Any = None, *, user: Actor | None, **kwargs: Any) -> None:
        self.user = user
        self.given = data if data is not None else {}
        super().__init__(data, user=user, **kwargs)  # type: ignore[call-arg]

    def needs_default(self, *names: str) -> bool:
        """Whether the request leaves one of ``names`` empty (else the latest data need not be looked up)."""
        return any(not self.given.get(name) for name in names)

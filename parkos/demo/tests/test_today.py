"""The demo lives on the day it runs: dates drawn around "today", the figures pages open on data.

The figures pages open on the latest period that has data: on the demo loaded today that is their usual
period (this year, the last twelve months, today); on a demo loaded two years ago it is an earlier one.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max, Min, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parkos.core.periods import on_day, twelve_months, year_to_date
from parkos.demo.generator import load_demo
from parkos.evaluation.models import EvaluationRun
from parkos.investment.models import Commitment, Project
from parkos.leasing.models import Lease, Sale
from parkos.services.models import ServiceRequest

SCALE = 0.02
FIGURES = (
    # (account, url name, context key, has data?)
    ("manager", "leasing:figures", "figures", lambda f: f["leased"]["contracts"] + f["sold"]["contracts"] > 0),
    ("investment", "investment:pipeline_figures", "figures", lambda f: f["projects"] > 0 and f["signed"] > 0),
    ("service", "services:figures", "figures", lambda f: f["requests"] > 0),
    ("manager", "leasing:occupancy", "result", lambda r: r.total.leased > 0),
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(username: str, name: str):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response


def test_periods():
    today = datetime.date(2026, 1, 3)
    assert year_to_date(None, today) == (datetime.date(2026, 1, 1), today)
    assert year_to_date(datetime.date(2026, 1, 2), today) == (datetime.date(2026, 1, 1), today)
    assert year_to_date(datetime.date(2025, 7, 9), today) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert twelve_months(datetime.date(2025, 12, 1), today) == (datetime.date(2025, 1, 3), today)
    assert twelve_months(datetime.date(2024, 2, 29), today) == (datetime.date(2023, 2, 28), datetime.date(2024, 2, 29))
    assert on_day(None, today) == on_day(today, today) == today
    assert on_day(datetime.date(2025, 5, 1), today) == datetime.date(2025, 5, 1)


@pytest.mark.django_db
def test_the_demo_loaded_today_has_history_behind_plans_ahead_and_data_in_every_default_period():
    today = timezone.localdate()
    load_demo(scale=SCALE)
    lease = Lease.objects.aggregate(first=Min("start_date"), last=Max("effective_end"))
    assert lease["first"] < today - datetime.timedelta(days=365) and lease["last"] > today + datetime.timedelta(days=30)
    assert Lease.objects.filter(effective_end__range=(today, today + datetime.timedelta(days=120))).exists()
    recent = timezone.now() - datetime.timedelta(days=21)
    assert ServiceRequest.objects.filter(requested_at__gte=recent).exists(), "service requests in the last weeks"
    assert not ServiceRequest.objects.filter(requested_at__gt=timezone.now()).exists(), "none filed in the future"
    assert Commitment.objects.filter(due_date__gt=today).exists(), "commitments due ahead"
    assert EvaluationRun.objects.aggregate(last=Max("year"))["last"] == today.year - 1, "the last full year"
    days = {(today - p.stage_since).days for p in Project.objects.all()}
    assert len(days) > 5 and min(days) >= 0, "projects moved stage on many days, none in the future"
    for username, name, key, has_data in FIGURES:
        assert has_data(page(username, name).context[key]), name


@pytest.mark.django_db
def test_figures_pages_open_on_the_latest_period_with_data():
    """A demo loaded two years ago (data stops then): each figures page opens on a period of that time."""
    then = timezone.localdate() - datetime.timedelta(days=800)
    load_demo(scale=SCALE, today=then)
    Lease.objects.filter(start_date__gt=then).delete()  # no plans ahead: nothing happens after "then"
    for username, name, key, has_data in FIGURES[:3]:
        response = page(username, name)
        assert has_data(response.context[key]), name
        assert response.context["form"].cleaned_data["date_from"] <= then, name
    # occupancy: on today while a lease still holds units (or a sale, for ever); else on the last day one held
    username, name, key, has_data = FIGURES[3]
    assert has_data(page(username, name).context[key])
    Sale.objects.all().delete()
    Lease.objects.filter(Q(effective_end__isnull=True) | Q(effective_end__gt=then)).update(effective_end=then)
    response = page(username, name)
    assert response.context["form"].cleaned_data["date"] == then
    assert has_data(response.context[key])


def test_the_same_day_gives_the_same_rows(db):
    day = datetime.date(2026, 3, 15)
    load_demo(scale=SCALE, seed=11, today=day)
    first = list(Lease.objects.order_by("reference").values_list("reference", "start_date", "end_date")[:50])
    options = ["--scale", str(SCALE), "--seed", "11", "--today", "2026-03-15", "--reset", "--no-serve"]
    call_command("demo", *options, stdout=io.StringIO())  # the command takes the day too
    again = list(Lease.objects.order_by("reference").values_list("reference", "start_date", "end_date")[:50])
    assert first == again


def test_a_period_given_needs_no_lookup_of_the_latest_data(db, django_assert_num_queries):
    from parkos.leasing.reports import FiguresFilterForm, OccupancyFilterForm

    with django_assert_num_queries(0):
        FiguresFilterForm({"date_from": "2025-01-01", "date_to": "2025-06-30"}, user=None)
        OccupancyFilterForm({"date": "2025-06-30"}, user=None)

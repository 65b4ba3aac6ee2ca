"""Issue 12 #4: a number beyond what the database stores, or a word where an id goes, is never a server error.

Every list page and API list endpoint is asked for each of its filters with a 20-digit id; every other page
without arguments (reports, boards, maps, add forms) with all the parameter names the project's filters and
report forms use; request workflow actions with a word for an id; a scenario joined for an organization that
does not exist.
"""

from __future__ import annotations

import django_filters
from django.test import TestCase
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from parkos.core.forms import ReportFilterForm
from parkos.core.testing import World
from parkos.services.models import Scenario

HUGE = "99999999999999999999"
#: pages that take no query parameters worth probing (auth, language switch, API docs)
SKIPPED_PREFIXES = ("login/", "logout/", "password/", "i18n/", "admin/", "api/schema/", "api/docs/", "api/redoc/")


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _path(route: str) -> str | None:
    """The URL of a route without arguments (router routes are regexes: ^name/$)."""
    if "<" in route or "(?P" in route:
        return None
    path = "/" + route.replace("^", "").replace("$", "")
    return None if path.lstrip("/").startswith(SKIPPED_PREFIXES) else path


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _report_parameters() -> set[str]:
    return {name for form in _subclasses(ReportFilterForm) for name in form.base_fields}


def endpoints() -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(URL, its filters) of every list page and API list endpoint, and every other page without arguments."""
    from parkos.core.views.generic import ObjectListView

    filtered, others = [], []
    for route, callback in _routes():
        path = _path(route)
        if path is None:
            continue
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        filterset = getattr(view, "filterset_class", None)
        if filterset is not None and getattr(callback, "actions", {}).get("get") == "list":
            filtered.append((path, sorted(filterset.base_filters)))
        elif view is not None and issubclass(view, ObjectListView):
            filtered.append((path, sorted(callback.view_initkwargs["views"].filterset.base_filters)))
        else:
            others.append(path)
    return filtered, others


class OutOfRangeFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])
        self.api = APIClient()
        self.api.force_authenticate(self.world.users["operator_admin"])

    def test_every_filter_of_every_list_takes_an_out_of_range_id_without_a_server_error(self):
        filtered, _others = endpoints()
        self.assertGreater(len(filtered), 60)  # ~30 list pages and ~30 API lists
        for path, filters in filtered:
            client = self.api if path.startswith("/api/") else self.client
            for name in filters:
                with self.subTest(path=path, filter=name):
                    response = client.get(path, {name: HUGE})
                    self.assertLess(response.status_code, 500)
                    if path.startswith("/api/") and name != "q":
                        self.assertIn(response.status_code, (200, 400))

    def test_an_out_of_range_id_is_a_filter_error_shown_over_an_empty_list(self):
        response = self.client.get(reverse("parks:landparcel_list"), {"park": HUGE})
        self.assertEqual(response.status_code, 200)
        self.assertIn("park", response.context["filterset"].errors)
        self.assertEqual(len(response.context["table"].rows), 0)
        self.assertContains(response, "Select a valid choice")
        api = self.api.get("/api/parks/parcels/", {"park": HUGE})
        self.assertEqual(api.status_code, 400)
        self.assertIn("park", api.json())
        for value in (HUGE, f"-{HUGE}", "1e30"):
            with self.subTest(value=value):
                self.assertEqual(self.api.get("/api/parks/parcels/", {"area_min": value}).status_code, 400)

    def test_every_other_page_takes_out_of_range_parameters_without_a_server_error(self):
        """Each page with all names at once (an add form pre-fills its fields from them); report pages also
        with each report parameter alone, as one invalid field can hide another."""
        filtered, others = endpoints()
        names = _report_parameters().union(*(filters for _path, filters in filtered))
        for path in others:
            client = self.api if path.startswith("/api/") else self.client
            for value in (HUGE, "abc"):
                with self.subTest(path=path, value=value):
                    self.assertLess(client.get(path, dict.fromkeys(names, value)).status_code, 500)
            if path.endswith(("/add/", "/import/")):
                continue
            for name in sorted(_report_parameters()):
                with self.subTest(path=path, parameter=name):
                    self.assertLess(client.get(path, {name: HUGE}).status_code, 500)

    def test_every_filter_set_is_bounded(self):
        from parkos.core.filtersets import BoundedFilterSet

        for filterset in _subclasses(django_filters.FilterSet):
            if filterset.__module__.startswith("parkos.") and filterset._meta.model is not None:
                with self.subTest(filterset=filterset.__qualname__):
                    self.assertTrue(issubclass(filterset, BoundedFilterSet))


class WorkflowIdTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scenario = Scenario.objects.create(
            name="Talent housing",
            aspect=Scenario._meta.get_field("aspect").choices[0][0],
            provider=cls.world.org["out"],
        )

    def setUp(self):
        self.api = APIClient()
        self.api.force_authenticate(self.world.users["operator_admin"])

    def test_a_word_for_an_id_in_a_workflow_action_is_a_404(self):
        for path in ("/api/services/requests/abc/accept/", "/api/services/requests/1e3/accept/"):
            with self.subTest(path=path):
                self.assertEqual(self.api.post(path, {}, format="json").status_code, 404)
        self.assertEqual(self.api.get("/api/parks/parks/abc/").status_code, 404)
        self.assertEqual(self.api.get(f"/api/parks/parks/{HUGE}/").status_code, 404)

    def test_detail_routes_of_every_api_take_numeric_ids_only(self):
        routes = [route for route, callback in _routes() if route.startswith("api/") and "(?P<" in route]
        self.assertGreater(len(routes), 40)
        for route in routes:
            with self.subTest(route=route):
                self.assertIn("(?P<pk>[0-9]+)", route)

    def test_joining_a_scenario_for_an_organization_that_does_not_exist_is_a_field_error(self):
        url = f"/api/services/scenarios/{self.scenario.pk}/join/"
        for organization in (987654, int(HUGE[:18]), HUGE):
            with self.subTest(organization=organization):
                response = self.api.post(url, {"organization": organization}, format="json")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("organization", response.json())
        self.assertFalse(self.scenario.participants.exists())
        joined = self.api.post(url, {"organization": self.world.org["in"].pk}, format="json")
        self.assertEqual(joined.status_code, 200, joined.content)


class ProbeFindingsTests(TestCase):
    """Found by the probe of the demo (bench/probe.py): three more ways a value took a page down."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def test_a_choice_of_several_records_refuses_an_id_too_large_for_the_column(self):
        """An edit form POST with members=<20 digits> (a desk's members, a project's team, a lease's units)
        was a 500: Django's ModelMultipleChoiceField looks the ids up with pk__in (SQLite: OverflowError)."""
        from parkos.core.testing import object_views
        from parkos.services.models import ServiceDesk

        form = object_views(ServiceDesk).form(data={"members": [HUGE]}, user=self.world.users["operator_admin"])
        self.assertFalse(form.is_valid())
        self.assertIn("members", form.errors)

    def test_a_model_rule_about_a_field_the_form_does_not_show_reads_on_top_of_the_form(self):
        """A closed disposal case edited to open after it closed was a 500: the model's error names closed_on,
        which its edit form does not have (Django: ValueError 'has no field named')."""
        import datetime

        from parkos.land.models import DisposalCase
        from parkos.land.tests.test_views import case_for

        case = case_for(self.world, "in")
        DisposalCase.objects.filter(pk=case.pk).update(
            status=DisposalCase.Status.CLOSED, closed_on=datetime.date(2026, 3, 1), outcome="in_use"
        )
        case.refresh_from_db()
        from parkos.core.testing import object_views

        form = object_views(DisposalCase).form(instance=case, user=self.world.users["operator_admin"])
        data = {name: getattr(value, "pk", value) for name, value in form.initial.items() if value not in (None, "")}
        data["opened_on"] = "2026-06-01"
        response = self.client.post(reverse("land:disposalcase_edit", kwargs={"pk": case.pk}), data)
        self.assertContains(response, "A case cannot close before it opened.", status_code=400)

    def test_a_report_date_beyond_the_bounds_is_a_field_error(self):
        """/leasing/expiry-alerts/?date=9999-12-31 was a 500 (year 10000 in the report's date arithmetic)."""
        for url in ("/leasing/expiry-alerts/", "/leasing/occupancy/", "/leasing/rent-roll/"):
            for day in ("9999-12-31", "0001-01-01"):
                with self.subTest(url=url, day=day):
                    self.assertLess(self.client.get(url, {"date": day}).status_code, 500)

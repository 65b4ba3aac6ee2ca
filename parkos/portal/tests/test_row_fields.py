"""Issue 16: My enterprise's sections read only the columns their rows show (``sections.ROW_FIELDS``).

The page renders as it did with whole rows: in English and Chinese, for the enterprise and staff who see it, with a
lease (units, rent today), requests of every status (rated, overdue, a name to escape), a scenario, filings and
results; and no row loads a column it left out (the same queries as with whole rows).
"""

import datetime
import re
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from parkos.core.testing import World
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.evaluation.tests.helpers import load_scheme
from parkos.leasing.models import RentTerm
from parkos.leasing.tests.test_views import lease_for
from parkos.portal import sections, views
from parkos.services.models import Aspect, Scenario, Status
from parkos.services.tests.test_views import request_for, service_for

HOME = reverse("portal:home")
#: a form's CSRF token is masked afresh for each page
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


class RowFieldsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        organization = w.org["in"]
        today = timezone.localdate()
        lease = lease_for(
            w,
            "in",
            reference="L <1> & co",
            start_date=today - datetime.timedelta(days=300),
            end_date=today + datetime.timedelta(days=300),
            status="in_force",
        )
        RentTerm.objects.create(lease=lease, start_date=today - datetime.timedelta(days=30), rent_amount=Decimal("3"))
        lease_for(w, "in", start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1), status="expired")
        service = service_for(w, "in", aspect=Aspect.GREEN, name="绿色 <服务>", response_target_hours=1)
        past = timezone.now() - datetime.timedelta(days=40)
        for i, status in enumerate(Status.values):
            request_for(
                w,
                "in",
                service=service if i % 2 else None,
                title=f"Request <{i}> & co",
                status=status,
                requested_at=past + datetime.timedelta(days=i, hours=i * 5),
                rating=(i % 5) + 1 if status == Status.DONE else None,
            )
        scenario = Scenario.objects.create(name="Scenario <A>", aspect=Aspect.DIGITAL, provider=w.org["out"])
        scenario.participants.add(organization)
        for year in (2023, 2024):
            IndicatorFiling.objects.create(organization=organization, park=w.park["in"], year=year)
        scheme = load_scheme()
        for year, grade in ((2023, "B"), (2024, ""), (2024, "A")):
            run = EvaluationRun.objects.create(scheme=scheme, year=year, status=EvaluationRun.Status.DONE)
            EvaluationResult.objects.create(
                run=run,
                organization=organization,
                park=w.park["in"],
                cohort="above_threshold",
                status=EvaluationResult.Status.GRADED if grade else EvaluationResult.Status.NOT_GRADED,
                total=80.0,
                rank=1,
                cohort_size=1,
                grade=grade,
            )

    def page(self, role: str, language: str) -> tuple[str, int]:
        self.client.force_login(self.world.users[role])
        query = {"organization": self.world.org["in"].pk}
        with translation.override(language), CaptureQueriesContext(connection) as queries:
            response = self.client.get(HOME, query, headers={"accept-language": language})
        self.assertEqual(response.status_code, 200)
        return TOKEN.sub("", response.content.decode()), len(queries)

    def test_the_page_renders_as_with_whole_rows(self):
        for language in ("en", "zh-hans"):
            with self.subTest(language=language):
                slim, slim_queries = self.page("enterprise_user", language)
                with mock.patch.object(sections, "ROW_FIELDS", {}):
                    whole, whole_queries = self.page("enterprise_user", language)
                self.assertEqual(slim, whole)
                self.assertEqual(slim_queries, whole_queries)  # no column read afterwards, row by row
                for shown in (
                    "L &lt;1&gt; &amp; co",
                    "Request &lt;5&gt; &amp; co",
                    "绿色 &lt;服务&gt;",
                    "Scenario &lt;A&gt;",
                ):
                    self.assertIn(shown, slim)
                self.assertIn('data-overdue="response"', slim)
                self.assertIn("★", slim)
                self.assertIn("2024 · ", slim)

    def test_the_profile_card_reads_as_the_value_include_writes_it(self):
        """The profile's values written in Python (``detail_value_html``) read as core/includes/value.html."""
        organization = self.world.org["in"]
        organization.website, organization.address = "https://in.example.cn/?a=1&b=<2>", "1 Road <A>\nBlock B"
        organization.save()
        for language in ("en", "zh-hans"):
            with self.subTest(language=language):
                written, _queries = self.page("enterprise_user", language)
                with mock.patch.object(views, "detail_value_html", return_value=None):
                    included, _queries = self.page("enterprise_user", language)
                self.assertEqual(written, included)
                self.assertIn('<td data-field="website"><a href="https://in.example.cn/?a=1&amp;b=&lt;2&gt;"', written)
                self.assertIn("1 Road &lt;A&gt;<br>Block B", written)

    def test_the_sections_read_as_with_whole_rows(self):
        """Staff see the sections too (the page itself is the enterprise's): the same rows and figures."""
        for role in ("operator_admin", "park_manager", "enterprise_user"):
            user = self.world.users[role]
            with self.subTest(role=role):
                slim = sections.portal_sections(self.world.org["in"], user)
                with mock.patch.object(sections, "ROW_FIELDS", {}):
                    whole = sections.portal_sections(self.world.org["in"], user)
                self.assertEqual(set(slim), set(whole))
                for key, section in slim.items():
                    self.assertEqual([row.pk for row in section.rows], [row.pk for row in whole[key].rows], key)
                    self.assertEqual((section.total, section.extra), (whole[key].total, whole[key].extra), key)

"""The policy office's pages written from only the columns they show (issue 16): the same HTML as the template
loops they replace (en and zh-Hans, every status, missing park, reviewer and amount, escaping), the same rows
and counts, and a number of queries that does not grow with the applications."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.template import engines
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from parkos.directory.models import Organization
from parkos.policies import pages, workflow_views
from parkos.policies import services as wf
from parkos.policies.models import Application
from parkos.policies.tests.test_workflow import WorkflowWorld, make_policy

#: the review queue's rows as policies/workflow/review_queue.html wrote them before (a loop, an include a row)
# ruff: noqa: E501 (the old template, line for line)
OLD_REVIEW_ROWS = """{% load parkos %}{% for application in applications %}
  <tr data-application="{{ application.pk }}">
    <td><a href="{% url 'policies:application_workflow' application.pk %}">{{ application.applicant }}</a><div class="small text-secondary">{{ application.park|default:"" }}</div></td>
    <td>{{ application.policy }}<div class="small text-secondary">{{ application.policy.issuer }}</div></td>
    <td class="text-nowrap">{{ application.submitted_at|date:"Y-m-d" }}</td>
    <td class="text-end text-nowrap">{{ application.amount_requested|money:user|default:"—" }}</td>
    <td>{% include "policies/workflow/includes/status.html" %}</td>
    <td>{{ application.reviewer|default:"—" }}</td>
  </tr>
{% endfor %}"""


def squeeze(html: str) -> str:
    """HTML without the whitespace between tags (the loop indented its rows)."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def old_review_rows(queryset, user) -> str:
    applications = list(queryset.select_related("policy__issuer", "applicant", "park", "reviewer"))
    return engines["django"].from_string(OLD_REVIEW_ROWS).render({"applications": applications, "user": user})


class ReviewQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        WorkflowWorld.build_policies(cls)
        cls.tricky = Organization.objects.create(name="<b>Tom & Jerry</b> 科技", kind=Organization.Kind.ENTERPRISE)
        submitted_at = datetime.datetime(2026, 3, 31, 20, 30, tzinfo=datetime.UTC)  # 1 April in Shanghai
        cases = [
            # (status, applicant, park, amount, reviewer)
            (Application.Status.SUBMITTED, cls.world.org["in"], cls.world.park["in"], Decimal("200000"), None),
            (Application.Status.UNDER_REVIEW, cls.tricky, None, None, cls.staff),
            (Application.Status.SUBMITTED, cls.world.org["out"], cls.world.park["out"], Decimal("0.5"), None),
            (Application.Status.UNDER_REVIEW, cls.world.org["in"], cls.world.park["in"], Decimal("123456789.12"), None),
            (Application.Status.APPROVED, cls.world.org["out"], None, Decimal("1"), cls.staff),  # not waiting
        ]
        for i, (status, applicant, park, amount, reviewer) in enumerate(cases):
            Application.objects.create(
                policy=make_policy(cls.district if i % 2 else cls.other_district, name=f"政策 <{i}> & co"),
                applicant=applicant,
                park=park,
                status=status,
                amount_requested=amount,
                submitted_at=submitted_at + datetime.timedelta(days=i),
                reviewer=reviewer,
            )
        cls.waiting = Application.objects.filter(status__in=wf.DECIDABLE).order_by("status", "submitted_at", "pk")

    def test_rows_equal_the_old_template_loop(self):
        for language in ("en", "zh-hans"):
            for unit in ("", "yuan", "wan", "yi"):
                with self.subTest(language=language, unit=unit), translation.override(language):
                    self.staff.money_unit = unit
                    new = pages.review_rows_html(pages.review_rows(self.waiting, 200), self.staff)
                    self.assertEqual(squeeze(new), squeeze(old_review_rows(self.waiting, self.staff)))
        self.assertEqual(squeeze(new).count("<tr "), 4)
        self.assertIn("&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;", new)
        self.assertIn("2026-04-01", new)  # the local day

    def test_status_badge_equals_the_include_for_every_status(self):
        include = engines["django"].get_template("policies/workflow/includes/status.html")
        for language in ("en", "zh-hans"):
            with translation.override(language):
                labels = {value: str(label) for value, label in Application.Status.choices}
                for status in [*Application.Status.values, "unknown"]:
                    old = include.render({"application": Application(status=status)})
                    self.assertEqual(str(pages.status_badge(status, labels)), old.strip(), status)

    def test_local_day_equals_the_date_filter(self):
        date = engines["django"].from_string('{{ moment|date:"Y-m-d" }}')
        for moment in (
            None,
            datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC),
            datetime.datetime(2026, 12, 31, 15, 59, tzinfo=datetime.UTC),
            datetime.datetime(999, 6, 1, 12, 0, tzinfo=datetime.UTC),
        ):
            self.assertEqual(pages.local_day(moment), date.render({"moment": moment}), moment)

    def test_page_lists_what_the_user_may_decide_with_its_total(self):
        self.client.force_login(self.world.users["operator_admin"])
        response = self.client.get(reverse("policies:review_queue"))
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn(squeeze(old_review_rows(self.waiting, response.wsgi_request.user)), squeeze(content))
        self.assertIn('<span class="badge bg-secondary-lt">4</span>', content)
        # a park's staff: only the applications in its parks (the scope of restrict(), as before)
        self.client.force_login(self.staff)
        content = self.client.get(reverse("policies:review_queue")).content.decode()
        in_scope = self.waiting.filter(park=self.world.park["in"])
        self.assertEqual(content.count("data-application="), 2)
        self.assertIn(squeeze(old_review_rows(in_scope, self.staff)), squeeze(content))

    def test_total_counts_beyond_the_rows_shown(self):
        self.client.force_login(self.world.users["operator_admin"])
        with mock.patch.object(workflow_views, "REVIEW_QUEUE_ROWS", 3):
            content = self.client.get(reverse("policies:review_queue")).content.decode()
        self.assertEqual(content.count("data-application="), 3)
        self.assertIn('<span class="badge bg-secondary-lt">4</span>', content)

    def test_empty_queue_says_so(self):
        Application.objects.filter(status__in=wf.DECIDABLE).update(status=Application.Status.REJECTED)
        self.client.force_login(self.world.users["operator_admin"])
        response = self.client.get(reverse("policies:review_queue"))
        self.assertContains(response, "No application waits for a decision.")
        self.assertContains(response, '<span class="badge bg-secondary-lt">0</span>')

    def test_queries_pinned_and_flat(self):
        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("policies:review_queue")
        self.client.get(url)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        few = count()
        # session, user, its permissions (2), groups, the rows: PostgreSQL reads the session once more
        self.assertLessEqual(few, 7 if connection.vendor == "postgresql" else 6)
        for i in range(5):
            Application.objects.create(
                policy=make_policy(self.district, name=f"更多 {i}"),
                applicant=self.world.org["in"],
                park=self.world.park["in"],
                status=Application.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
        self.assertEqual(count(), few)

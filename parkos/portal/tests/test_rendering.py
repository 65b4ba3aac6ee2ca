"""The enterprise page's rows written in Python read as the template loops they replaced (issue 16)."""

import datetime
import re

from django.template import engines
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation

from parkos.core.testing import World
from parkos.portal import sections
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.services import profile_change_propose
from parkos.portal.tests.test_views import tenant_of
from parkos.services.models import Aspect, Service, ServiceRequest, Status

#: the service requests section's rows as home.html wrote them before request_rows_html
OLD_REQUEST_ROWS = """{% load i18n %}
        {% for req in section.rows %}
        <tr data-request="{{ req.pk }}">
          <td><a href="{{ req.get_absolute_url }}">{{ req.title }}</a></td>
          <td>{{ req.service }}<div class="small text-secondary">{{ req.get_aspect_display }}</div></td>
          <td class="text-nowrap">{{ req.requested_at|date:"Y-m-d" }}</td>
          <td><span class="badge bg-{% if req.status == 'done' %}green{% elif req.status == 'declined' %}secondary{% elif req.status == 'waiting' %}orange{% else %}blue{% endif %}-lt" data-status="{{ req.status }}">{{ req.get_status_display }}</span>
            {% if req.overdue_response %}<span class="badge bg-red-lt" data-overdue="response">{% translate "response overdue" %}</span>{% endif %}
            {% if req.overdue_resolution %}<span class="badge bg-red-lt" data-overdue="resolution">{% translate "resolution overdue" %}</span>{% endif %}</td>
          <td class="text-nowrap">{% if req.rating %}<span title="{{ req.rating }}/5">{% for i in "12345" %}{% if forloop.counter <= req.rating %}★{% else %}☆{% endif %}{% endfor %}</span>{% elif req.status == 'done' %}<a href="{{ req.get_absolute_url }}#rating">{% translate "Rate it" %}</a>{% else %}—{% endif %}</td>
        </tr>
        {% empty %}<tr><td colspan="5" class="text-secondary">{% translate "No service requests yet. File one to ask the park for help in any of the six aspects." %}</td></tr>
        {% endfor %}"""  # noqa: E501

#: the same rows as home.html writes them now
NEW_REQUEST_ROWS = """{% load i18n %}{% if section.rows %}{{ section.extra.rows_html }}{% else %}<tr><td colspan="5" class="text-secondary">{% translate "No service requests yet. File one to ask the park for help in any of the six aspects." %}</td></tr>{% endif %}"""  # noqa: E501


def collapsed(html: str) -> str:
    """HTML with each run of white space as one space (the browser reads them the same)."""
    return re.sub(r"\s+", " ", html).strip()


def request_rows() -> list[ServiceRequest]:
    """Unsaved requests covering every status, both deadlines, ratings, escaping and a filing near midnight UTC."""
    service = Service(name='Patents <&> "filing"', aspect=Aspect.TECHNOLOGY)
    rows = []
    for n, status in enumerate(Status.values):
        for rating in (None, 3, 5) if status == Status.DONE else (None,):
            rows.append(
                ServiceRequest(
                    pk=100 + len(rows),
                    title=f"<b>Request</b> {n} & co",
                    service=service,
                    aspect=Aspect.values[n % len(Aspect.values)],
                    status=status,
                    rating=rating,
                    # 23:30 UTC is the next day in Asia/Shanghai
                    requested_at=datetime.datetime(2025, 3, 1 + n, 23, 30, tzinfo=datetime.UTC),
                )
            )
    for index, row in enumerate(rows):
        row.overdue_response = index % 2 == 0
        row.overdue_resolution = index % 3 == 0
    return rows


class RequestRowsTests(SimpleTestCase):
    def render(self, source: str, rows: list) -> str:
        statuses = sections.choice_labels(ServiceRequest, "status")
        aspects = sections.choice_labels(ServiceRequest, "aspect")
        for row in rows:
            row.status_label, row.aspect_label = statuses[row.status], aspects[row.aspect]
        section = sections.Section("requests", rows, len(rows), extra={"rows_html": sections.request_rows_html(rows)})
        return engines["django"].from_string(source).render({"section": section})

    def test_rows_read_as_the_template_loop_in_english_and_chinese(self):
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                old = self.render(OLD_REQUEST_ROWS, request_rows())
                new = self.render(NEW_REQUEST_ROWS, request_rows())
                self.assertEqual(collapsed(new), collapsed(old))
                self.assertIn("&lt;b&gt;Request&lt;/b&gt;", new)
                self.assertIn("★★★☆☆", new)
                self.assertIn("2025-03-02", new)  # local time, not UTC's 03-01
                if language == "zh-hans":
                    self.assertNotIn("response overdue", new)
                    self.assertNotIn("Rate it", new)

    def test_no_rows_reads_as_the_template_loop(self):
        self.assertEqual(collapsed(self.render(NEW_REQUEST_ROWS, [])), collapsed(self.render(OLD_REQUEST_ROWS, [])))

    def test_labels_are_get_display(self):
        for row in request_rows():
            with translation.override("zh-hans"):
                self.assertEqual(sections.choice_labels(ServiceRequest, "aspect")[row.aspect], row.get_aspect_display())
                self.assertEqual(sections.choice_labels(ServiceRequest, "status")[row.status], row.get_status_display())

    def test_labels_kept_once_per_language_follow_the_active_language(self):
        for language in ("en", "zh-hans", "en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                labels = sections.choice_labels(ServiceRequest, "status")
                self.assertEqual(labels["done"], ServiceRequest(status="done").get_status_display())
                self.assertIs(sections.choice_labels(ServiceRequest, "status"), labels)  # translated once


class ProposalLabelsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        cls.enterprise = cls.world.users["enterprise_user"]
        organization = cls.world.org["in"]
        profile_change_propose(
            organization=organization,
            user=cls.enterprise,
            changes={"name_en": "Org In Co", "description": "New words"},
        )

    def test_a_proposal_lists_the_fields_it_changes_as_its_rows_do_without_a_query_per_proposal(self):
        self.client.force_login(self.enterprise)
        response = self.client.get(reverse("portal:home"))
        (proposal,) = response.context["proposals"]
        stored = ProfileChangeRequest.objects.get(pk=proposal.pk)
        self.assertEqual(
            [str(label) for label in proposal.changed_labels],
            [str(row["label"])[:1].upper() + str(row["label"])[1:] for row in stored.rows()],
        )
        self.assertEqual(proposal.status_label, stored.get_status_display())
        self.assertContains(response, ", ".join(str(label) for label in proposal.changed_labels))

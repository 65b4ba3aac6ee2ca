"""Issue 16: a detail page's recent changes name the foreign keys an update changed with a query per related model,
whatever the number of changes and keys (a query per changed key of each change before); a creation lists no
fields and reads none. The panel reads as the template wrote it from ``ObjectChange.diff()``."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from parkos.core.changelog import change_context
from parkos.core.display import change_value
from parkos.core.models import ObjectChange, describe_changes
from parkos.core.testing import World
from parkos.core.views.generic import object_history
from parkos.directory.models import Organization
from parkos.parks.models import ParkBrand

#: the panel as core/object_detail.html wrote it before: every change's diff() (its own queries), shown for updates
OLD_PANEL = (
    "{% load i18n parkos %}"
    '<ul class="list-group list-group-flush" id="recent-changes">\n'
    "        {% for change in history %}\n"
    '        <li class="list-group-item">\n'
    '          <div class="text-secondary small">{{ change.time|date:"Y-m-d H:i" }} · '
    '{{ change.user_name|default:_("system") }} · {{ change.get_action_display }}'
    "{% if change.changed_object_id != object.pk or change.changed_object_type_id != object_type.pk %} "
    "{{ change.changed_object_type.name }} “{{ change.object_repr }}”{% endif %}</div>\n"
    '          {% for label, before, after in change.diff %}{% if change.action == "update" %}<div class="small">'
    "<strong>{{ label|capfirst }}</strong>: "
    '<span class="text-danger">{{ before|change_value|default_if_none:"—" }}</span> → '
    '<span class="text-success">{{ after|change_value|default_if_none:"—" }}</span></div>'
    "{% endif %}{% endfor %}\n"
    "        </li>\n"
    "        {% empty %}\n"
    '        <li class="list-group-item text-secondary">{% translate "No changes recorded." %}</li>\n'
    "        {% endfor %}\n"
    "      </ul>"
)


class RecentChangesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.park = cls.world.park["in"]
        cls.brands = [ParkBrand.objects.create(code=f"rc-{n}", name=f"Brand <{n}> & co") for n in range(4)]
        cls.operators = [
            Organization.objects.create(name=f"Operator {n} “quoted”", industry=cls.world.industry) for n in range(4)
        ]
        cls.url = reverse("parks:park", args=[cls.park.pk])

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def edit(self, n: int, **extra) -> None:
        """An update of the park that changes its brand and its operator (two foreign keys) and ``extra``."""
        with change_context(user=self.world.users["operator_admin"], source="web"):
            self.park.brand = self.brands[n % 4]
            self.park.operator = self.operators[n % 4]
            for name, value in extra.items():
                setattr(self.park, name, value)
            self.park.save()

    def history_queries(self) -> list[str]:
        """The page's queries from the recent changes on (they come last, after the panels)."""
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        sql = [q["sql"] for q in queries.captured_queries]
        first = next(i for i, text in enumerate(sql) if 'FROM "core_objectchange"' in text)
        return sql[first:]

    def panel(self, html: str) -> str:
        return re.search(r'<ul class="list-group list-group-flush" id="recent-changes">.*?</ul>', html, re.S)[0]

    def test_queries_do_not_grow_with_the_changes_and_their_keys(self):
        self.edit(1)
        one = self.history_queries()
        # the change itself, the brand and the operator: a query per related model
        self.assertEqual(len(one), 3, "\n".join(one))
        for n in range(2, 6):
            self.edit(n, district=f"District {n}")
        five = self.history_queries()
        self.assertEqual(len(five), 3, "\n".join(five))
        self.assertIn("Brand &lt;1&gt; &amp; co", self.panel(self.client.get(self.url).content.decode()))

    def test_a_creation_reads_no_names(self):
        queries = self.history_queries()
        self.assertEqual(len(queries), 1, "\n".join(queries))  # the park's creation: no fields listed

    def test_the_panel_reads_as_before(self):
        self.edit(1)
        for n in range(2, 5):
            self.edit(n, district=f"District {n}", land_area=1000 + n)
        with change_context(user=None, source="web"):
            self.brands[1].delete()  # a brand since deleted reads as its ID
        object_type = ContentType.objects.get_for_model(self.park)
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                page = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
                history = list(object_history(self.park)[:5])
                before = Template(OLD_PANEL).render(
                    Context({"history": history, "object": self.park, "object_type": object_type})
                )
                self.assertEqual(self.panel(page), before)
                self.assertIn("text-danger", before)

    def test_described_changes_equal_their_own_diff(self):
        self.edit(1)
        self.edit(2, district="Elsewhere")
        updates = object_history(self.park).filter(action=ObjectChange.ChangeAction.UPDATE)
        own = [change.diff() for change in updates]
        self.assertEqual(len(own), 2)
        fresh = list(updates)
        with self.assertNumQueries(2):  # the brands, the operators
            describe_changes(fresh)
        with self.assertNumQueries(0):
            self.assertEqual([change.diff() for change in fresh], own)

    # The full history of an object and the change log name the foreign keys of a page of updates with a query per
    # related model too (``ObjectChangeTable``: a query per changed key of each update before).

    def page_queries(self, url: str) -> int:
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Brand &lt;1&gt; &amp; co", response.content.decode())
        return len(queries.captured_queries)

    def test_history_pages_do_not_grow_with_the_updates_and_their_keys(self):
        history = reverse("parks:park_history", args=[self.park.pk])
        changelog = reverse("changelog")
        self.edit(1)
        one = {url: self.page_queries(url) for url in (history, changelog)}
        for n in range(2, 7):
            self.edit(n, district=f"District {n}")
        self.assertEqual({url: self.page_queries(url) for url in (history, changelog)}, one)

    def test_the_history_table_reads_as_each_change_diff(self):
        self.edit(1)
        self.edit(2, district="Elsewhere")
        page = self.client.get(reverse("parks:park_history", args=[self.park.pk])).content.decode()

        def shown(value):
            return "—" if value is None else escape(change_value(value))

        for change in object_history(self.park).filter(action=ObjectChange.ChangeAction.UPDATE):
            cell = "<br>".join(
                f"<strong>{escape(label)}</strong>: {shown(before)} → {shown(after)}"
                for label, before, after in change.diff()
            )
            self.assertIn(f"<td>{cell}</td>", page)

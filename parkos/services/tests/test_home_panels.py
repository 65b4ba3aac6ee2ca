"""The service desk's home panels: the three queues' counts in one query (issue 16: a COUNT each), items read
with only the columns they show; the same panels as the query-per-queue computation they replace."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from parkos.core.home import QUEUE_LENGTH
from parkos.core.permissions import Action
from parkos.core.testing import World
from parkos.services.home import home_panels
from parkos.services.models import OPEN_STATUSES, ServiceRequest, Status, overdue_q
from parkos.services.tests.test_views import request_for, service_for


def old_panels(user, now) -> list[tuple]:
    """What each panel held before: (key, count, [(title, url, enterprise, due, tone), ...]), a COUNT per queue."""
    visible = ServiceRequest.objects.restrict(user, Action.VIEW).filter(status__in=OPEN_STATUSES)
    late = overdue_q("response", now) | overdue_q("resolution", now)
    queues = (
        ("services.mine", visible.filter(assigned_to=user)),
        ("services.unassigned", visible.filter(assigned_to__isnull=True)),
        ("services.overdue", visible.filter(late)),
    )
    panels = []
    for key, rows in queues:
        rows = rows.order_by("resolution_due", "pk")
        items = [
            (
                r.title,
                r.get_absolute_url(),
                str(r.enterprise),
                r.resolution_due,
                "red" if r.is_response_overdue(now) or r.is_resolution_overdue(now) else "",
            )
            for r in rows.select_related("enterprise")[:QUEUE_LENGTH]
        ]
        panels.append((key, rows.count(), items))
    return panels


def new_panels(user) -> list[tuple]:
    return [(p.key, p.count, [(i.label, i.url, i.detail, i.when, i.tone) for i in p.items]) for p in home_panels(user)]


class ServiceHomePanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        staff = w.users["service_staff"]
        service = service_for(w, "in", response_target_hours=2, resolution_target_days=3)
        now = timezone.now()
        for i in range(24):  # more than a panel shows: assigned or not, late or not, every status
            request_for(
                w,
                "in" if i % 6 else "out",
                service=service,
                title=f"Request <{i}> & co",
                status=list(Status)[i % len(Status)],
                assigned_to=staff if i % 2 else None,
                requested_at=now - datetime.timedelta(days=10 * (i % 4), hours=i),
                responded_at=now - datetime.timedelta(days=1) if i % 4 == 1 else None,
            )

    def test_same_panels_as_a_query_per_queue(self):
        for role in ("service_staff", "operator_admin"):
            user = self.world.users[role]
            with self.subTest(role=role):
                new = new_panels(user)
                self.assertEqual(new, old_panels(user, timezone.now()))
                if role == "service_staff":
                    self.assertTrue(all(count for _key, count, _items in new))
                    self.assertTrue(any(count > QUEUE_LENGTH for _key, count, _items in new))

    def test_the_counts_are_one_query(self):
        user = self.world.users["service_staff"]
        panels = new_panels(user)
        full = sum(1 for _key, count, _items in panels if count)
        self.assertEqual(full, 3)
        with self.assertNumQueries(1 + full):  # the counts, then each non-empty queue's first rows
            home_panels(user)
        # an enterprise files requests, a park manager oversees them: no queue
        self.assertEqual(home_panels(self.world.users["enterprise_user"]), [])
        self.assertEqual(home_panels(self.world.users["park_manager"]), [])

    def test_the_home_page_shows_the_panels(self):
        self.client.force_login(self.world.users["service_staff"])
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Request &lt;19&gt; &amp; co")
        self.assertContains(page, 'id="panel-services-unassigned"')

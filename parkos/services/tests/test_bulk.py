"""Bulk actions on the service request list: assign and change status, all rows or none, within scope."""

from __future__ import annotations

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.services.models import ServiceRequest, Status
from parkos.services.tests.test_views import request_for

BULK = reverse("services:servicerequest_bulk")
LIST = reverse("services:servicerequest_list")


class ServiceRequestBulkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.staff = cls.world.users["service_staff"]
        cls.new = [request_for(cls.world, "in") for _ in range(3)]
        cls.out = request_for(cls.world, "out")

    def setUp(self):
        self.client.force_login(self.staff)

    def post(self, action, rows, follow=False, **data):
        return self.client.post(
            BULK, {"action": action, "ids": ",".join(str(r.pk) for r in rows), "confirmed": "1", **data}, follow=follow
        )

    def test_list_offers_the_actions_the_user_may_take(self):
        page = self.client.get(LIST).content.decode()
        self.assertIn('id="bulk-form"', page)
        for name in ("assign", "change_status", "export_csv", "export_xlsx"):
            self.assertIn(f'value="{name}"', page)
        self.assertNotIn('value="delete"', page)  # service staff delete no requests
        self.assertIn(f'name="pk" value="{self.new[0].pk}"', page)

    def test_enterprise_user_is_not_offered_staff_actions_and_posting_one_is_forbidden(self):
        self.client.force_login(self.world.users["enterprise_user"])
        page = self.client.get(LIST).content.decode()
        self.assertNotIn('value="assign"', page)
        self.assertEqual(self.post("assign", self.new[:1], assignee=self.staff.pk).status_code, 403)
        self.assertEqual(self.post("change_status", self.new[:1], transition="accept").status_code, 403)

    def test_confirmation_page_names_the_rows_and_asks_the_assignee(self):
        response = self.client.post(BULK, {"action": "assign", "pk": [r.pk for r in self.new]})
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for row in self.new:
            self.assertIn(row.title, page)
        self.assertIn('name="assignee"', page)
        self.assertFalse(ServiceRequest.objects.filter(assigned_to=self.staff).exists())

    def test_assign_gives_every_row_to_the_staff_member_through_the_write_path(self):
        response = self.post("assign", self.new, assignee=self.staff.pk)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            ServiceRequest.objects.filter(assigned_to=self.staff, pk__in=[r.pk for r in self.new]).count(), 3
        )
        self.assertEqual(
            ObjectChange.objects.filter(
                changed_object_type__model="servicerequest",
                changed_object_id__in=[r.pk for r in self.new],
                action="update",
            ).count(),
            3,
        )

    def test_change_status_moves_every_row(self):
        response = self.post("change_status", self.new, transition="accept")
        self.assertEqual(response.status_code, 302)
        statuses = set(ServiceRequest.objects.filter(pk__in=[r.pk for r in self.new]).values_list("status", flat=True))
        self.assertEqual(statuses, {Status.ACCEPTED})

    def test_one_refused_row_changes_nothing_and_is_listed_with_why(self):
        done = request_for(self.world, "in", status=Status.DONE, title="Already done")
        response = self.post("change_status", [*self.new, done], transition="accept")
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("Already done", page)
        self.assertIn("cannot be moved", page)
        self.assertEqual(ServiceRequest.objects.filter(status=Status.ACCEPTED).count(), 0)

    def test_rows_outside_the_scope_are_refused_by_number_and_nothing_is_done(self):
        response = self.post("assign", [*self.new, self.out], assignee=self.staff.pk)
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"#{self.out.pk}", response.content.decode())
        self.assertFalse(ServiceRequest.objects.filter(assigned_to=self.staff).exists())
        self.assertIsNone(ServiceRequest.objects.get(pk=self.out.pk).assigned_to)

    def test_an_assignee_outside_the_rows_park_is_refused(self):
        admin = self.world.users["operator_admin"]
        self.client.force_login(admin)
        outsider = self.world.users["park_manager"]  # may not work on requests
        response = self.post("assign", self.new, assignee=outsider.pk)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ServiceRequest.objects.filter(assigned_to=outsider).exists())

    def test_declining_in_bulk_needs_a_reason(self):
        response = self.post("change_status", self.new, transition="decline")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(ServiceRequest.objects.filter(status=Status.DECLINED).count(), 0)
        response = self.post("change_status", self.new, transition="decline", reason="Out of our remit")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ServiceRequest.objects.filter(status=Status.DECLINED).count(), 3)

    def test_all_rows_of_the_filter(self):
        response = self.client.post(
            BULK,
            {
                "action": "change_status",
                "all": "1",
                "query": f"park={self.world.park['in'].pk}",
                "confirmed": "1",
                "transition": "accept",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ServiceRequest.objects.filter(status=Status.ACCEPTED).count(), 3)
        self.assertEqual(ServiceRequest.objects.get(pk=self.out.pk).status, Status.NEW)

    def test_export_selected_holds_only_the_selected_rows(self):
        response = self.client.post(BULK, {"action": "export_csv", "pk": [self.new[0].pk]})
        self.assertEqual(response.status_code, 200)
        text = response.content.decode("utf-8-sig")
        self.assertIn(self.new[0].title, text)
        self.assertNotIn(self.new[1].title, text)

    def test_the_post_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff)
        response = client.post(
            BULK, {"action": "change_status", "ids": str(self.new[0].pk), "confirmed": "1", "transition": "accept"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(ServiceRequest.objects.get(pk=self.new[0].pk).status, Status.NEW)

    def test_queries_grow_by_a_bounded_number_per_row(self):
        def count(rows):
            with CaptureQueriesContext(connection) as ctx:
                self.post("change_status", rows, transition="accept")
            return len(ctx.captured_queries)

        one = count(self.new[:1])
        three = count([request_for(self.world, "in") for _ in range(3)])
        self.assertLessEqual(three - one, 2 * 25, "each further row costs at most 25 queries")
        self.assertLessEqual(one, 60)

    def test_fifty_rows_cost_a_fixed_number_of_queries_plus_the_writes_of_each_row(self):
        """The rows are read, locked and scope-checked in one query; each row then costs only its write: a
        savepoint around the service, its UPDATE and its change-log row (the assignment's write path adds
        one more savepoint); no searched value changes, so the search index is left alone."""
        rows = [request_for(self.world, "in") for _ in range(50)]
        with CaptureQueriesContext(connection) as ctx:
            response = self.post("change_status", rows, transition="accept")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ServiceRequest.objects.filter(status=Status.ACCEPTED).count(), 50)
        writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
        self.assertEqual(len(writes), 100, "one UPDATE and one change-log row per request")
        self.assertLessEqual(len(ctx.captured_queries), 12 + 4 * 50)
        with CaptureQueriesContext(connection) as ctx:
            response = self.post("assign", rows, assignee=self.staff.pk)
        self.assertEqual(response.status_code, 302)
        self.assertLessEqual(len(ctx.captured_queries), 16 + 6 * 50)
        self.assertFalse(any("core_searchentry" in q["sql"] for q in ctx.captured_queries))

    def test_the_notifications_of_a_batch_are_made_together_after_it_commits(self):
        """Each accepted request tells its enterprise ("answered"), as one at a time would; the events of the
        whole batch are made after the commit at a fixed number of queries, not one event's worth per row."""
        from parkos.notifications.models import EventKind, Notification

        enterprise = self.world.users["enterprise_user"]

        def accept(count):
            rows = [request_for(self.world, "in") for _ in range(count)]
            with CaptureQueriesContext(connection) as ctx, self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(self.post("change_status", rows, transition="accept").status_code, 302)
            told = Notification.objects.filter(
                recipient=enterprise, event__kind=EventKind.REQUEST_ANSWERED, event__object_id__in=[r.pk for r in rows]
            )
            self.assertEqual(told.count(), count)
            return len(ctx.captured_queries)

        few, many = accept(3), accept(30)
        self.assertLessEqual(many - few, 4 * 27, "each further row costs its write only")
        from parkos.notifications.models import Event
        from parkos.notifications.services import recipients

        for event in Event.objects.filter(kind=EventKind.REQUEST_ANSWERED)[:3]:  # whom one at a time would tell
            told = set(event.notifications.values_list("recipient_id", flat=True))
            obj = ServiceRequest.objects.get(pk=event.object_id)
            self.assertEqual(told, {u.pk for u in recipients(event.kind, obj, actor=self.staff)})
            self.assertEqual(event.actor_id, self.staff.pk)

    def test_confirmation_and_refusals_read_in_chinese(self):
        from django.conf import settings

        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        confirm = self.client.post(BULK, {"action": "change_status", "pk": [self.new[0].pk]}).content.decode()
        self.assertIn("更改状态 · 服务", confirm)
        self.assertIn("全部执行或全部不执行", confirm)
        refused = self.post("change_status", [self.new[0], self.out], transition="accept").content.decode()
        self.assertIn("1 行被拒绝：未作任何修改", refused)
        self.assertIn("该行不存在，或不在您可修改的范围内。", refused)
        done = self.post("change_status", self.new[:2], transition="accept", follow=True).content.decode()
        self.assertIn("更改状态：已完成 2 行。", done)

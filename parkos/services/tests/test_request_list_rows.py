"""Issue 16: the service request list reads only the columns its cells show.

A row used to bring its park's outline and description and its enterprise's forty columns, and the database joined
those wide rows for every request in the reader's scope before keeping a page. The table renders as it did with
whole rows (en and zh-Hans, every status, with and without an assignee, a rating, overdue badges, a name to escape).
"""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from parkos.core.testing import World
from parkos.services import tables
from parkos.services.models import Aspect, ServiceRequest, Status
from parkos.services.tests.test_views import request_for, service_for


class WholeRows(tables.ServiceRequestTable):
    """The table as it was: its rows read whole (its own ``__init__``, which slims them, left out)."""

    class Meta(tables.ServiceRequestTable.Meta):
        pass

    def __init__(self, data, *args, **kwargs):
        super(tables.ServiceRequestTable, self).__init__(data, *args, **kwargs)


class RequestListRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        w.org["in"].name = "Org <in> & Co"
        w.org["in"].save()
        service = service_for(w, "in", aspect=Aspect.GREEN, name="绿色 <服务>")
        past = timezone.now() - datetime.timedelta(days=40)
        for i, status in enumerate(Status.values):
            request_for(
                w,
                "in" if i % 2 else "out",
                service=service if i % 2 else None,
                status=status,
                requested_at=past + datetime.timedelta(days=i, hours=i * 5),
                rating=(i % 5) + 1 if status == Status.DONE else None,
                assigned_to=w.users["service_staff"] if i % 3 == 0 else None,
            )

    def test_the_table_renders_as_with_whole_rows(self):
        rows = ServiceRequest.objects.select_related("enterprise", "park", "service", "assigned_to")
        url = reverse("services:servicerequest_list")
        for role in ("operator_admin", "service_staff"):
            for language in ("en", "zh-hans"):
                for sort in ("", "enterprise", "-assigned_to", "deadline"):
                    with self.subTest(role=role, language=language, sort=sort), translation.override(language):
                        self.client.force_login(self.world.users[role])
                        request = self.client.get(url, {"sort": sort} if sort else {}).wsgi_request
                        mine = rows.restrict(self.world.users[role])
                        kwargs = {"order_by": sort} if sort else {}
                        slim = tables.ServiceRequestTable(mine, request=request, **kwargs)
                        html = slim.as_html(request)
                        self.assertEqual(html, WholeRows(mine, request=request, **kwargs).as_html(request))
                        self.assertIn("data-status", html)

    def test_rows_leave_the_park_outline_and_the_enterprise_columns_unread(self):
        self.client.force_login(self.world.users["operator_admin"])
        request = self.client.get(reverse("services:servicerequest_list")).wsgi_request
        table = tables.ServiceRequestTable(ServiceRequest.objects.all(), request=request)
        table.as_html(request)
        row = table.page.object_list.data[0]
        self.assertIn("boundary", row.park.get_deferred_fields())
        self.assertIn("credit_code", row.enterprise.get_deferred_fields())
        self.assertIn("description", row.get_deferred_fields())

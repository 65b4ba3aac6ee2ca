"""A read replica (PARKOS_REPLICA_DATABASE_URL): the cockpit's reads go to it, writes and other pages to default.

The replica here is a second database alias whose TEST MIRROR is default, as settings.py configures it:
a connection of its own to the same test database (so the data is committed: TransactionTestCase).
"""

import copy

from django.db import connections
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from parkos.core.routers import REPLICA, reading_reports
from parkos.users.models import User


class ReplicaRouterTests(TransactionTestCase):
    databases = {"default", REPLICA}

    @classmethod
    def setUpClass(cls):
        replica = copy.deepcopy(connections["default"].settings_dict)
        replica["TEST"]["MIRROR"] = "default"
        connections.settings[REPLICA] = replica
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]

    def setUp(self):
        self.admin = User.objects.create_superuser(username="boss", password="x")

    def test_reads_of_a_report_go_to_the_replica_and_writes_to_default(self):
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_default,
        ):
            with reading_reports():
                self.assertEqual(User.objects.filter(username="boss").count(), 1)
                User.objects.filter(pk=self.admin.pk).update(first_name="Big")
            self.assertEqual(User.objects.get(pk=self.admin.pk).first_name, "Big")
        self.assertEqual(len(on_replica), 1)
        self.assertIn('"username"', on_replica[0]["sql"])
        self.assertEqual(len(on_default), 2)  # the update, and the read outside the report
        self.assertTrue(on_default[0]["sql"].startswith("UPDATE"))

    def test_the_cockpit_reads_from_the_replica_and_other_pages_do_not(self):
        self.client.force_login(self.admin)
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            self.assertIn(self.client.get("/").status_code, (200, 302))
            self.assertEqual(self.client.get("/health/").status_code, 200)
        self.assertEqual(len(on_replica), 0)
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            self.assertEqual(
                self.client.get("/api/cockpit/", {"date_from": "2026-01-01", "date_to": "2026-06-30"}).status_code, 200
            )
        self.assertGreater(len(on_replica), 10)  # the figures
        for page in ("/cockpit/", "/cockpit/screen/", "/cockpit/parks/", "/api/cockpit/parks/"):
            self.assertIs(resolve(page).func.__wrapped__.__module__.startswith("parkos.cockpit"), True, page)

"""A lease's page names its renewals as renewals, in both languages (issue 13)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.test import Client, TestCase
from django.utils import translation

from parkos.core.testing import World
from parkos.leasing.models import Lease


class RenewalsPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.lease = Lease.objects.create(
            tenant=cls.world.org["in"],
            park=cls.world.park["in"],
            leased_area=100,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2028, 12, 31),
            rent_amount=Decimal("3.00"),
        )

    def page(self, language: str) -> str:
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)  # the client leaves the language active
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(self.world.users["operator_admin"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(self.lease.get_absolute_url()).content.decode()

    def test_the_renewals_panel_says_renewals(self):
        self.assertIn("Renewals of this lease", self.page("en"))
        self.assertIn("本租约的续约", self.page("zh-hans"))

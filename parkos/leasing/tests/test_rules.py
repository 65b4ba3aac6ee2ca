"""The overlap rule at its edges, in the form, the API and the import; renewal and early termination."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.testing import World, csv_text
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.leasing.services import lease_renew, lease_terminate, unit_clashes
from parkos.parks.models import SpaceUnit

D = datetime.date


class Channels:
    """Try to lease ``unit`` from ``start`` to ``end`` through one channel; return (created, error text)."""

    def __init__(self, test):
        self.test = test
        self.world = test.world
        self.user = test.world.users["park_manager"]

    def form(self, unit, start, end, status="signed"):
        self.test.client.force_login(self.user)
        data = {
            "tenant": self.world.org["in"].pk,
            "units": [unit.pk],
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else "",
            "rent_amount": "2",
            "rent_basis": "m2_day",
            "currency": "CNY",
            "status": status,
        }
        response = self.test.client.post(reverse("leasing:lease_add"), data)
        if response.status_code == 302:
            return True, ""
        return False, " ".join(response.context["form"].errors.get("units", []))

    def api(self, unit, start, end, status="signed"):
        api = APIClient()
        api.force_authenticate(self.user)
        body = {
            "tenant": self.world.org["in"].pk,
            "units": [unit.pk],
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else None,
            "rent_amount": "2",
            "status": status,
        }
        response = api.post(reverse("leasing-api:lease-list"), body, format="json")
        if response.status_code == 201:
            return True, ""
        return False, " ".join(response.json().get("units", []))

    def import_(self, unit, start, end, status="signed"):
        self.test.client.force_login(self.user)
        text = csv_text(
            [
                {
                    "id": "",
                    "tenant": "Org in Ltd",
                    "units": f"park-in/B-in/{unit.code}",
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat() if end else "",
                    "rent_amount": "2",
                    "rent_basis": "m2_day",
                    "currency": "CNY",
                    "status": status,
                }
            ]
        )
        url = reverse("leasing:lease_import")
        preview = self.test.client.post(url, {"file": SimpleUploadedFile("leases.csv", text.encode())})
        if preview.status_code != 200:
            return False, " ".join(e.message for e in preview.context["report"].errors if e.field == "units")
        self.test.client.post(url, {"token": preview.context["token"]})
        return True, ""


CHANNELS = ("form", "api", "import_")


class OverlapRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def setUp(self):
        self.channels = Channels(self)
        self.unit = SpaceUnit.objects.create(building=self.world.building["in"], code="B1-301", area=200)
        self.tenant = self.world.org["in"]

    def existing(self, start, end, status=Lease.Status.SIGNED, **extra):
        lease = Lease.objects.create(
            reference="ZL-12",
            tenant=self.tenant,
            park=self.world.park["in"],
            start_date=start,
            end_date=end,
            rent_amount=2,
            status=status,
            **extra,
        )
        lease.units.set([self.unit])
        return lease

    def each_channel(self, start, end, *, allowed: bool, mentions: str = "", status="signed"):
        for channel in CHANNELS:
            with self.subTest(channel=channel):
                before = Lease.objects.count()
                created, message = getattr(self.channels, channel)(self.unit, start, end, status)
                self.assertEqual(created, allowed, message)
                if allowed:
                    Lease.objects.filter(pk__gt=0).exclude(reference="ZL-12").delete()  # the next channel's turn
                else:
                    self.assertEqual(Lease.objects.count(), before, "nothing written")
                    self.assertIn("B1-301", message)
                    self.assertIn(mentions, message)

    def test_touching_dates_do_not_clash(self):
        self.existing(D(2026, 1, 1), D(2026, 6, 30))
        self.each_channel(D(2026, 7, 1), D(2026, 12, 31), allowed=True)

    def test_sharing_one_day_clashes_and_names_the_contract(self):
        lease = self.existing(D(2026, 1, 1), D(2026, 6, 30))
        self.each_channel(
            D(2026, 6, 30),
            D(2026, 12, 31),
            allowed=False,
            mentions=f"Org in Ltd under lease #{lease.pk} (ZL-12) from 2026-01-01 to 2026-06-30",
        )

    def test_open_ended_lease_holds_the_unit_for_good(self):
        self.existing(D(2020, 1, 1), None)
        self.each_channel(D(2035, 1, 1), D(2035, 12, 31), allowed=False, mentions="open-ended")

    def test_new_open_ended_lease_clashes_with_a_later_lease(self):
        self.existing(D(2030, 1, 1), D(2030, 12, 31))
        self.each_channel(D(2026, 1, 1), None, allowed=False, mentions="2030-01-01")

    def test_an_intent_holds_nothing(self):
        self.existing(D(2026, 1, 1), D(2026, 12, 31), status=Lease.Status.INTENT)
        self.each_channel(D(2026, 3, 1), D(2026, 4, 30), allowed=True)

    def test_a_new_intent_is_not_checked(self):
        self.existing(D(2026, 1, 1), D(2026, 12, 31))
        self.each_channel(D(2026, 3, 1), D(2026, 4, 30), allowed=True, status="intent")

    def test_terminated_lease_frees_the_unit_after_its_termination_date(self):
        lease = self.existing(D(2026, 1, 1), D(2026, 12, 31))
        lease_terminate(lease=lease, user=self.world.users["park_manager"], on=D(2026, 5, 31), reason="Moved out")
        self.each_channel(D(2026, 6, 1), D(2026, 12, 31), allowed=True)
        self.each_channel(D(2026, 5, 31), D(2026, 12, 31), allowed=False, mentions="to 2026-05-31")

    def test_sold_unit_cannot_be_leased(self):
        sale = Sale.objects.create(
            reference="XS-1", buyer=self.tenant, park=self.world.park["in"], price_amount=1, contract_date=D(2026, 3, 1)
        )
        sale.units.set([self.unit])
        self.each_channel(D(2026, 6, 1), D(2026, 12, 31), allowed=False, mentions="sold to Org in Ltd")
        # before the contract date the unit was still free
        self.each_channel(D(2025, 1, 1), D(2026, 2, 28), allowed=True)

    def test_unit_of_a_building_sold_whole_cannot_be_leased(self):
        Sale.objects.create(
            buyer=self.tenant,
            park=self.world.park["in"],
            building=self.world.building["in"],
            price_amount=1,
            contract_date=D(2026, 3, 1),
        )
        self.each_channel(D(2026, 6, 1), D(2026, 12, 31), allowed=False, mentions="sold to")

    def test_cancelled_sale_holds_nothing(self):
        sale = Sale.objects.create(
            buyer=self.tenant,
            park=self.world.park["in"],
            price_amount=1,
            contract_date=D(2026, 3, 1),
            status=Sale.Status.CANCELLED,
        )
        sale.units.set([self.unit])
        self.each_channel(D(2026, 6, 1), D(2026, 12, 31), allowed=True)

    def test_leased_unit_cannot_be_sold(self):
        self.existing(D(2026, 1, 1), D(2026, 12, 31))
        self.client.force_login(self.world.users["park_manager"])
        data = {
            "buyer": self.tenant.pk,
            "units": [self.unit.pk],
            "price_amount": "1000",
            "price_currency": "CNY",
            "contract_date": "2026-12-31",
            "status": "signed",
        }
        response = self.client.post(reverse("leasing:sale_add"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("is leased to Org in Ltd", " ".join(response.context["form"].errors["units"]))
        data["contract_date"] = "2027-01-01"
        self.assertEqual(self.client.post(reverse("leasing:sale_add"), data).status_code, 302)

    def test_editing_a_lease_does_not_clash_with_itself(self):
        lease = self.existing(D(2026, 1, 1), D(2026, 12, 31))
        self.assertEqual(unit_clashes(units=[self.unit], start=D(2026, 1, 1), end=None, exclude=[lease]), [])

    def test_a_file_with_two_clashing_rows_writes_nothing(self):
        self.client.force_login(self.world.users["park_manager"])
        row = {
            "id": "",
            "tenant": "Org in Ltd",
            "units": f"park-in/B-in/{self.unit.code}",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "rent_amount": "2",
            "status": "signed",
        }
        text = csv_text([row, {**row, "start_date": "2026-12-31", "end_date": "2027-12-31"}])
        response = self.client.post(
            reverse("leasing:lease_import"), {"file": SimpleUploadedFile("l.csv", text.encode())}
        )
        self.assertEqual(response.status_code, 400)
        errors = response.context["report"].errors
        self.assertEqual([(e.row, e.field) for e in errors], [(2, "units")], [(e.row, e.message) for e in errors])
        self.assertFalse(Lease.objects.exists())


class RenewAndTerminateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def setUp(self):
        self.manager = self.world.users["park_manager"]
        self.unit = SpaceUnit.objects.create(building=self.world.building["in"], code="A-101", area=300)
        self.lease = Lease.objects.create(
            tenant=self.world.org["in"],
            park=self.world.park["in"],
            start_date=D(2024, 1, 1),
            end_date=D(2026, 6, 30),
            rent_amount=Decimal("2.5"),
            status=Lease.Status.IN_FORCE,
        )
        self.lease.units.set([self.unit])

    def test_renewal_starting_the_day_after_passes_and_links_the_leases(self):
        successor = lease_renew(lease=self.lease, user=self.manager, start=D(2026, 7, 1), end=D(2029, 6, 30))
        self.lease.refresh_from_db()
        self.assertEqual(self.lease.status, Lease.Status.RENEWED)
        self.assertEqual(successor.renewal_of, self.lease)
        self.assertEqual(list(successor.units.all()), [self.unit])
        self.assertEqual(list(self.lease.renewals.all()), [successor])

    def test_early_renewal_does_not_clash_with_the_lease_it_renews(self):
        successor = lease_renew(lease=self.lease, user=self.manager, start=D(2026, 3, 1), end=None)
        self.assertEqual(successor.start_date, D(2026, 3, 1))

    def test_renewal_clashing_with_another_lease_is_refused(self):
        other = Lease.objects.create(
            reference="OTHER",
            tenant=self.world.org["in"],
            park=self.world.park["in"],
            start_date=D(2027, 1, 1),
            end_date=D(2027, 12, 31),
            rent_amount=1,
        )
        other.units.set([self.unit])
        with self.assertRaises(ValidationError) as caught:
            lease_renew(lease=self.lease, user=self.manager, start=D(2026, 7, 1), end=D(2028, 6, 30))
        self.assertIn("OTHER", str(caught.exception))
        self.lease.refresh_from_db()
        self.assertEqual(self.lease.status, Lease.Status.IN_FORCE)

    def test_renew_and_terminate_pages(self):
        self.client.force_login(self.manager)
        page = self.client.get(self.lease.get_absolute_url())
        self.assertContains(page, reverse("leasing:lease_renew", args=[self.lease.pk]))
        self.assertContains(page, reverse("leasing:lease_terminate", args=[self.lease.pk]))
        response = self.client.post(
            reverse("leasing:lease_terminate", args=[self.lease.pk]), {"on": "2027-01-01", "reason": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("on", response.context["form"].errors)
        response = self.client.post(
            reverse("leasing:lease_terminate", args=[self.lease.pk]), {"on": "2025-12-31", "reason": "Bankrupt"}
        )
        self.assertEqual(response.status_code, 302)
        self.lease.refresh_from_db()
        self.assertEqual((self.lease.status, self.lease.effective_end), (Lease.Status.TERMINATED, D(2025, 12, 31)))

    def test_readers_get_no_renew_button_and_403_or_404(self):
        staff = self.world.users["service_staff"]
        self.client.force_login(staff)
        page = self.client.get(self.lease.get_absolute_url())
        self.assertNotContains(page, reverse("leasing:lease_renew", args=[self.lease.pk]))
        self.assertEqual(self.client.get(reverse("leasing:lease_renew", args=[self.lease.pk])).status_code, 404)

    def test_api_renew(self):
        api = APIClient()
        api.force_authenticate(self.manager)
        url = reverse("leasing-api:lease-renew", args=[self.lease.pk])
        response = api.post(url, {"start": "2026-07-01", "end": "2027-06-30"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["renewal_of"], self.lease.pk)
        response = api.post(url, {"start": "2026-07-01"}, format="json")
        self.assertEqual(response.status_code, 400)


class RentOnADateTests(TestCase):
    """Base rent 3.00/m²/day on 100 m²; Jan-Mar 2026 free; from 2027 stepped to 3.30."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.lease = Lease.objects.create(
            tenant=cls.world.org["in"],
            park=cls.world.park["in"],
            leased_area=100,
            start_date=D(2026, 1, 1),
            end_date=D(2028, 12, 31),
            rent_amount=Decimal("3.00"),
        )
        RentTerm.objects.create(lease=cls.lease, start_date=D(2026, 1, 1), end_date=D(2026, 3, 31), rent_amount=0)
        RentTerm.objects.create(lease=cls.lease, start_date=D(2027, 1, 1), rent_amount=Decimal("3.30"))

    def test_rent_on_a_date(self):
        self.assertEqual(self.lease.rent_on(D(2026, 1, 1)).amount, 0)
        self.assertEqual(self.lease.rent_on(D(2026, 3, 31)).amount, 0)
        self.assertEqual(self.lease.rent_on(D(2026, 4, 1)).amount, Decimal("3.00"))
        self.assertEqual(self.lease.rent_on(D(2026, 12, 31)).amount, Decimal("3.00"))
        self.assertEqual(self.lease.rent_on(D(2027, 1, 1)).amount, Decimal("3.30"))
        # 3.30 x 100 m² x 365/12 days = 10,037.50 a month
        self.assertEqual(self.lease.monthly_rent_on(D(2028, 6, 1)), Decimal("10037.50"))

    def test_rent_roll_uses_the_term_covering_the_date(self):
        from parkos.leasing.selectors import rent_roll

        admin = self.world.users["operator_admin"]
        free = rent_roll(admin, D(2026, 2, 1))
        self.assertEqual([row.current_rent for row in free.leases], [0])
        stepped = rent_roll(admin, D(2027, 2, 1))
        self.assertEqual([row.current_rent for row in stepped.leases], [Decimal("3.30")])
        self.assertEqual(stepped.monthly_by_currency, [("CNY", Decimal("10037.50"))])

    def test_overlapping_terms_are_refused(self):
        term = RentTerm(lease=self.lease, start_date=D(2026, 3, 1), end_date=D(2026, 5, 31), rent_amount=1)
        with self.assertRaises(ValidationError) as caught:
            term.full_clean()
        self.assertIn("start_date", caught.exception.message_dict)

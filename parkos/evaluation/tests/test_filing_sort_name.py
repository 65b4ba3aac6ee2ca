"""Issue 16: a filing keeps its enterprise's name, so that the filings list's default order reads an index.

The list used to sort every filing joined to its enterprise (year, then the enterprise's name) to show fifty.
The name is copied on the filing (``organization_name``, indexed with the year): written by ``save``, by
``bulk_create`` and by the migration, and kept when the enterprise is renamed. The order is the one the join gave.
"""

import importlib
import re
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling

#: the list's order before the name was copied: by the enterprise's own name, through the join
OLD_ORDER = ("-year", "organization__name", "pk")

migration = importlib.import_module("parkos.evaluation.migrations.0007_filing_organization_name_list_order")


class FilingSortNameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        park = cls.world.park["in"]
        # names whose order is not the order of creation, one shared by two enterprises, one to escape
        cls.orgs = [
            Organization.objects.create(name=name, kind=Organization.Kind.ENTERPRISE)
            for name in ("Zeta Ltd", "Alpha & Co", "杭州甲公司", "Alpha & Co", "mu Ltd", "Beta <b> Ltd")
        ]
        for year in (2024, 2025):
            for org in cls.orgs:
                IndicatorFiling.objects.create(organization=org, year=year, park=park, tax=Decimal("1000"))

    def names(self):
        return list(IndicatorFiling.objects.order_by("pk").values_list("organization__name", "organization_name"))

    def test_save_copies_the_enterprise_name(self):
        self.assertTrue(all(name == copy for name, copy in self.names()))
        by_id = IndicatorFiling(
            organization_id=self.orgs[0].pk, year=2023, park=self.world.park["in"], tax=Decimal("1")
        )
        by_id.save()
        self.assertEqual(IndicatorFiling.objects.get(pk=by_id.pk).organization_name, "Zeta Ltd")
        by_id.organization = self.orgs[1]
        by_id.save(update_fields=["organization"])
        self.assertEqual(IndicatorFiling.objects.get(pk=by_id.pk).organization_name, "Alpha & Co")

    def test_bulk_create_copies_the_enterprise_name(self):
        park = self.world.park["in"]
        made = IndicatorFiling.objects.bulk_create(
            [IndicatorFiling(organization_id=org.pk, year=2019, park=park) for org in self.orgs]
        )
        self.assertEqual(
            list(IndicatorFiling.objects.filter(year=2019).order_by("pk").values_list("organization_name", flat=True)),
            [org.name for org in self.orgs],
        )
        self.assertEqual(len(made), len(self.orgs))

    def test_a_renamed_enterprise_renames_its_filings_only(self):
        org = self.orgs[0]
        org.name = "Aardvark Ltd"
        org.save()
        self.assertEqual(
            set(IndicatorFiling.objects.filter(organization=org).values_list("organization_name", flat=True)),
            {"Aardvark Ltd"},
        )
        self.assertTrue(all(name == copy for name, copy in self.names()))
        # fetched anew (no change log state on the instance): the stored name is read, the filings follow
        fresh = Organization.objects.get(pk=self.orgs[2].pk)
        fresh.name = "杭州乙公司"
        fresh.save()
        self.assertTrue(all(name == copy for name, copy in self.names()))

    def test_a_save_that_keeps_the_name_writes_no_filing(self):
        org = Organization.objects.get(pk=self.orgs[0].pk)
        org.description = "Another description"
        with CaptureQueriesContext(connection) as queries:
            org.save()
        self.assertFalse([q for q in queries.captured_queries if "evaluation_indicatorfiling" in q["sql"]])

    def test_the_default_order_is_the_old_one(self):
        org = self.orgs[4]
        org.name = "Alpha & Co"  # a rename that changes the order
        org.save()
        self.assertEqual(
            list(IndicatorFiling.objects.values_list("pk", flat=True)),
            list(IndicatorFiling.objects.order_by(*OLD_ORDER).values_list("pk", flat=True)),
        )

    def test_the_list_shows_the_old_order_and_keeps_the_column_sort(self):
        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("evaluation:indicatorfiling_list")
        for language in ("en", "zh-hans"):
            for sort, order in (
                ("", OLD_ORDER),
                ("?sort=organization", ("organization__name", "organization__pk")),
                ("?sort=-organization", ("-organization__name", "-organization__pk")),
            ):
                with self.subTest(language=language, sort=sort), translation.override(language):
                    html = self.client.get(url + sort, HTTP_ACCEPT_LANGUAGE=language).content.decode()
                    shown = [int(pk) for pk in re.findall(r'href="/evaluation/filings/(\d+)/"', html)]
                    expected = list(IndicatorFiling.objects.order_by(*order).values_list("pk", flat=True))
                    self.assertEqual(len(shown), 12)
                    if sort:  # the column sorts enterprises; filings of one enterprise may come in any order
                        shown_orgs = [IndicatorFiling.objects.get(pk=pk).organization_id for pk in shown]
                        expected_orgs = [IndicatorFiling.objects.get(pk=pk).organization_id for pk in expected]
                        self.assertEqual(shown_orgs, expected_orgs)
                    else:
                        self.assertEqual(shown, expected)

    def test_the_migration_copies_the_names_of_stored_filings(self):
        IndicatorFiling.objects.update(organization_name="")
        with connection.cursor() as cursor:
            cursor.execute(migration.COPY_NAMES)
        self.assertTrue(all(name == copy for name, copy in self.names()))

    def test_the_change_log_leaves_the_copy_out(self):
        filing = IndicatorFiling.objects.filter(organization=self.orgs[0]).first()
        changes = ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(IndicatorFiling), changed_object_id=filing.pk
        )
        self.assertTrue(changes.exists())
        for change in changes:
            self.assertNotIn("organization_name", change.postchange_data or {})

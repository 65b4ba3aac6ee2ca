"""Global search: ranked, grouped by type, two-character Chinese, scoped per role, blind to confidential values it
may not read, served by an index kept current on every write (signals and the bulk paths)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core import search
from parkos.core.changelog import change_context, log_bulk_create, log_bulk_delete, update_logged
from parkos.core.models import SearchEntry
from parkos.core.testing import World
from parkos.directory.models import Organization, OrganizationAlias
from parkos.investment.models import Project
from parkos.parks.models import Park
from parkos.users.models import User

CODE = "91310115MA1K4B2X1Q"


def results(response) -> str:
    return response.content.decode().split('id="search-results"', 1)[1]  # past the echoed query


class GlobalSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        # created first, so that an unranked search would list it first
        cls.namesake = Organization.objects.create(name=f"Branch {CODE} of somebody", industry=cls.world.industry)
        cls.coded = Organization.objects.create(name="Coded Ltd", credit_code=CODE, industry=cls.world.industry)
        cls.lingang = Organization.objects.create(
            name="上海临港科技有限公司", name_en="Shanghai Lingang Technology", industry=cls.world.industry
        )

    def find(self, user, text: str) -> dict[str, list]:
        return {group.label: group.results for group in search.global_search(user, text)}

    def test_exact_credit_code_first(self):
        groups = search.global_search(self.admin, CODE.lower())
        organizations = next(g for g in groups if g.results[0]._meta.model is Organization)
        self.assertEqual(organizations.results[:2], [self.coded, self.namesake])
        self.assertEqual(groups[0], organizations)  # an exact code puts its type first

    def test_exact_park_code_group_comes_before_a_name_that_holds_it(self):
        Organization.objects.create(name="Holder of park-in rights", industry=self.world.industry)
        groups = search.global_search(self.admin, "park-in")
        self.assertEqual(groups[0].results, [self.world.park["in"]])
        self.assertIn("Organizations", [g.label for g in groups])

    def test_two_character_chinese(self):
        for text in ("科技", "临港", "上海临港", "有限公司"):
            with self.subTest(text=text):
                self.assertIn(self.lingang, sum(self.find(self.admin, text).values(), []))
        self.assertNotIn(self.lingang, sum(self.find(self.admin, "港临").values(), []))
        self.assertIn(self.lingang, sum(self.find(self.admin, "lingang tech").values(), []))

    def test_alias_found_and_kept_current(self):
        alias = OrganizationAlias.objects.create(organization=self.lingang, name="临港科创")
        self.assertIn(self.lingang, self.find(self.admin, "科创").get("Organizations", []))
        alias.delete()
        self.assertNotIn(self.lingang, self.find(self.admin, "科创").get("Organizations", []))

    def test_index_kept_current_after_create_update_delete(self):
        org = Organization.objects.create(name="Zephyrine Robotics", industry=self.world.industry)
        self.assertEqual(self.find(self.admin, "zephyrine")["Organizations"], [org])
        org.name = "Quillon Robotics"
        org.save()
        self.assertEqual(self.find(self.admin, "zephyrine"), {})
        self.assertEqual(self.find(self.admin, "quillon")["Organizations"], [org])
        org.delete()
        self.assertEqual(self.find(self.admin, "quillon"), {})
        self.assertFalse(SearchEntry.objects.filter(value__contains="quillon").exists())

    def test_index_kept_current_on_the_bulk_paths(self):
        parks = Park.objects.bulk_create(
            [Park(code=f"BULK-{n}", name=f"松江园区{n}", brand=self.world.brand["in"], land_area=1) for n in range(3)]
        )
        with change_context(source="import"):
            log_bulk_create(parks)
        self.assertEqual(len(self.find(self.admin, "松江")["Parks"]), 3)
        with change_context(source="import"):
            update_logged(parks[:1], name="青浦园区")
        self.assertEqual(self.find(self.admin, "青浦")["Parks"], [parks[0]])
        with change_context(source="import"):
            log_bulk_delete(parks)
        Park.objects.filter(pk__in=[p.pk for p in parks]).delete()
        self.assertEqual(self.find(self.admin, "园区"), {})

    def test_import_command_updates_the_index(self):
        rows = "code,name,brand,district,land_area\nIMP-1,嘉定园区,brand-in,District,5\n"
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "parks.csv"
            path.write_text(rows, encoding="utf-8")
            call_command("import", "parks.park", str(path), "--user", "operator_admin", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual([p.code for p in self.find(self.admin, "嘉定")["Parks"]], ["IMP-1"])

    def test_rebuild_command(self):
        SearchEntry.objects.all().delete()
        self.assertEqual(self.find(self.admin, "科技"), {})
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertIn(self.lingang, self.find(self.admin, "科技")["Organizations"])
        self.assertEqual(self.find(self.admin, CODE)["Organizations"][0], self.coded)

    def test_enterprise_user_finds_only_its_own(self):
        found = self.find(self.world.users["enterprise_user"], "Org")
        self.assertEqual(sum(found.values(), []), [self.world.org["in"]])
        self.assertEqual(self.find(self.world.users["enterprise_user"], "科技"), {})
        self.assertIn(self.world.org["out"], self.find(self.admin, "Org")["Organizations"])

    def test_scoped_user_past_the_first_chunks_of_the_index(self):
        for n in range(4):
            Organization.objects.create(name=f"Org other {n}", industry=self.world.industry)
        from unittest import mock

        with mock.patch.object(search, "CHUNK", 1), mock.patch.object(search, "ROUNDS", 2):
            found = self.find(self.world.users["enterprise_user"], "Org")
            self.assertEqual(sum(found.values(), []), [self.world.org["in"]])
            self.assertEqual(len(self.find(self.admin, "Org")["Organizations"]), 5)
            with mock.patch.object(search, "FEW", 1):  # the user's rows asked for through the index instead
                found = self.find(self.world.users["enterprise_user"], "Org")
                self.assertEqual(sum(found.values(), []), [self.world.org["in"]])

    def test_park_manager_finds_only_its_parks(self):
        found = self.find(self.world.users["park_manager"], "park")
        self.assertEqual(found["Parks"], [self.world.park["in"]])

    def test_confidential_name_found_only_by_its_team(self):
        team_member = User.objects.create_user(username="team", password="x-long-password-1")
        team_member.groups.add(Group.objects.get(name="investment_staff"))
        team_member.parks.add(self.world.park["in"])
        outsider = self.world.users["investment_staff"]
        project = Project.objects.create(
            name="Tesla Gigafactory", codename="Magnolia", is_confidential=True, park=self.world.park["in"]
        )
        project.team.add(team_member)
        self.assertEqual(self.find(outsider, "Tesla"), {})
        self.assertEqual(self.find(outsider, "Tesla Gigafactory"), {})  # nor as an exact value
        self.assertEqual(self.find(outsider, "Magnolia")["Projects"], [project])
        self.assertEqual(self.find(team_member, "Tesla")["Projects"], [project])
        self.assertEqual(self.find(self.admin, "teslagigafactory")["Projects"], [project])
        project.is_confidential = False
        project.save()
        self.assertEqual(self.find(outsider, "Tesla")["Projects"], [project])

    def test_page_says_nothing_found(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("search"), {"q": "xyzzy"})
        self.assertEqual(response.status_code, 200)
        text = results(response)
        self.assertIn("Nothing found", text)
        self.assertNotIn("list-group-item", text)

    def test_page_groups_and_query_count(self):
        self.client.force_login(self.admin)
        self.client.get(reverse("search"), {"q": "Org"})  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(reverse("search"), {"q": "Org"})
        self.assertContains(response, self.world.org["in"].get_absolute_url())
        for n in range(12):
            Organization.objects.create(name=f"Org extra {n}", industry=self.world.industry)
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("search"), {"q": "Org"})
        self.assertEqual(len(few), len(many))
        # one exact lookup, then at most two per searchable type, and the page's own few
        self.assertLessEqual(len(many), 2 * len(search.specs()) + 8)


def test_every_model_in_the_global_search_has_a_name_or_code_indexed():
    """A model marked for the global search but with nothing the index keeps would silently never be found."""
    from parkos.core import search

    missing = [m._meta.label for m in search.searchable_models() if m.in_global_search and m not in search.specs()]
    assert missing == [], f"set in_global_search = False or index a name or code: {missing}"

"""Issue 16: a user's permissions, roles and menu are kept across requests (core.access), keyed on the user's
``access_version``, which every change of what the user may do or see bumps (users.access): the next request
shows the change, in every process, and a simple page reads 3 queries fewer once kept."""

from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkos.core import access
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.users.models import User


def version(user: User) -> int:
    return User.objects.values_list("access_version", flat=True).get(pk=user.pk)


class AccessCacheTests(TestCase):
    def setUp(self):
        enabled, access.ENABLED = access.ENABLED, True  # off for the rest of the suite (conftest.py)
        self.addCleanup(setattr, access, "ENABLED", enabled)

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.brands = reverse("parks:parkbrand_list")
        cls.page = reverse("directory:organization_list")  # a list every role may open

    def menu_of(self, user: User) -> str:
        self.client.force_login(user)
        response = self.client.get(self.page)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_menu_follows_a_new_role_on_the_next_request(self):
        manager = self.world.users["park_manager"]
        projects = reverse("investment:project_list")
        self.assertNotIn(projects, self.menu_of(manager))
        self.assertNotIn(projects, self.menu_of(manager))  # kept
        manager.groups.add(Group.objects.get(name="investment_staff"))
        self.assertIn(projects, self.menu_of(manager))
        manager.groups.remove(Group.objects.get(name="investment_staff"))
        self.assertNotIn(projects, self.menu_of(manager))

    def test_the_menu_follows_a_change_made_from_the_group_side(self):
        manager = self.world.users["park_manager"]
        projects = reverse("investment:project_list")
        self.assertNotIn(projects, self.menu_of(manager))
        Group.objects.get(name="investment_staff").user_set.add(manager)
        self.assertIn(projects, self.menu_of(manager))
        Group.objects.get(name="investment_staff").user_set.clear()
        self.assertNotIn(projects, self.menu_of(manager))

    def test_the_menu_follows_a_groups_permissions(self):
        manager = self.world.users["park_manager"]
        brands_add = reverse("parks:parkbrand_add")
        self.assertIn(brands_add, self.menu_of(manager))
        group = Group.objects.get(name="park_manager")
        group.permissions.remove(Permission.objects.get(codename="add_parkbrand"))
        self.assertNotIn(brands_add, self.menu_of(manager))
        self.client.force_login(manager)
        self.assertEqual(self.client.get(brands_add).status_code, 403)  # the permission check, not only the menu

    def test_the_menu_follows_the_users_own_permissions_and_flags(self):
        enterprise = self.world.users["enterprise_user"]
        brands_add = reverse("parks:parkbrand_add")
        self.assertNotIn(brands_add, self.menu_of(enterprise))
        enterprise.user_permissions.add(Permission.objects.get(codename="add_parkbrand"))
        enterprise.user_permissions.add(Permission.objects.get(codename="view_parkbrand"))
        self.assertIn(brands_add, self.menu_of(enterprise))
        manager = self.world.users["park_manager"]
        self.assertNotIn(reverse("changelog"), self.menu_of(manager))
        User.objects.filter(pk=manager.pk).update(is_superuser=True)  # no signal: the flag is in the key
        self.assertIn(reverse("changelog"), self.menu_of(manager))

    def test_a_partners_map_entry_follows_its_organizations_district(self):
        partner = self.world.users["government_partner"]
        organization = self.world.org["in"]
        self.assertNotIn(reverse("maps:all"), self.menu_of(partner))  # a company: no district of its own
        before = version(partner)
        organization.kind = Organization.Kind.GOVERNMENT
        organization.district = "Jiangbei"
        organization.save()
        self.assertNotEqual(version(partner), before)
        self.assertIn(reverse("maps:all"), self.menu_of(partner))
        partner.organizations.remove(organization)
        self.assertNotIn(reverse("maps:all"), self.menu_of(partner))

    def test_an_organization_save_that_no_menu_reads_bumps_nobody(self):
        partner = self.world.users["government_partner"]
        before = version(partner)
        organization = self.world.org["in"]
        organization.name = "Org in Holdings"
        organization.save()
        self.assertEqual(version(partner), before)

    def test_a_stale_user_object_saved_does_not_bring_back_the_old_version(self):
        manager = User.objects.get(pk=self.world.users["park_manager"].pk)
        stale = User.objects.get(pk=manager.pk)
        manager.groups.add(Group.objects.get(name="investment_staff"))
        bumped = version(manager)
        stale.area_unit = "mu"
        stale.save()
        self.assertEqual(version(manager), bumped)
        self.assertEqual(User.objects.get(pk=manager.pk).area_unit, "mu")

    def test_a_simple_page_reads_three_queries_fewer_once_kept(self):
        for role, url in (
            ("operator_admin", self.brands),
            ("park_manager", self.brands),
            ("enterprise_user", self.page),
            ("government_partner", self.page),
        ):
            with self.subTest(role):
                access.clear()
                self.client.force_login(self.world.users[role])
                cold = self.count(url)
                warm = self.count(url)
                # the user's permissions, its groups' permissions, its groups (and a partner's districts, read by
                # the cockpit's entries and by the map's)
                self.assertEqual(cold - warm, 5 if role == "government_partner" else 3)
                self.assertEqual(self.count(url), warm)
                if url != self.brands:
                    continue
                # the signed-in page reads the session, the user, and the list (its count and its rows); the
                # admin's table is counted by estimate first (PostgreSQL: one more for pg_class)
                self.assertLessEqual(warm, 6 if connection.vendor == "postgresql" else 5)

    def test_a_kept_menu_renders_as_a_fresh_one(self):
        for role in ("operator_admin", "park_manager", "government_partner", "enterprise_user"):
            for language in ("en", "zh-hans"):
                with self.subTest(role=role, language=language), translation.override(language):
                    access.clear()
                    self.client.force_login(self.world.users[role])
                    headers = {"accept-language": language}
                    fresh = self.client.get(self.page, headers=headers)
                    kept = self.client.get(self.page, headers=headers)
                    self.assertEqual(menu_part(kept), menu_part(fresh))
                    self.assertGreater(len(menu_part(fresh)), 200)

    def test_a_process_keeps_a_bounded_number_of_users(self):
        access.clear()
        with mock.patch.object(access, "MAX_ENTRIES", 2):
            for role in ("operator_admin", "park_manager", "service_staff", "enterprise_user"):
                user = User.objects.get(pk=self.world.users[role].pk)
                self.assertIsNotNone(access.prime(user))
                self.assertTrue(user.has_perm("directory.view_organization"))
                self.assertLessEqual(len(access._entries), 2)

    def test_each_language_gets_its_own_menu(self):
        self.client.force_login(self.world.users["park_manager"])
        english = menu_part(self.client.get(self.page, headers={"accept-language": "en"}))
        with translation.override("zh-hans"):
            chinese = menu_part(self.client.get(self.page, headers={"accept-language": "zh-hans"}))
        self.assertIn("Parks", english)
        self.assertIn("园区", chinese)
        self.assertNotIn("Parks</a>", chinese)


def menu_part(response) -> str:
    """The top bar's menu of a page (what the kept menu writes)."""
    html = response.content.decode()
    start = html.index('<li class="nav-item dropdown">')
    return html[start : html.index("</ul>", start)]


BASE_LINKS = (
    "home",
    "changelog",
    "search",
    "notifications:inbox",
    "notifications-api:notification-unread-count",
    "profile",
    "export_jobs",
    "password_change",
    "api-docs",
    "logout",
    "set_language",
)


class UrlNameTagTests(TestCase):
    """Issue 16: base.html's links are written by {% url_name %} (core.reversing), as {% url %} wrote them."""

    def test_each_base_link_is_what_the_url_tag_writes(self):
        from django.template import Context, Template
        from django.urls import set_script_prefix

        for prefix in ("/", "/parkos/"):
            for language in ("en", "zh-hans"):
                with self.subTest(prefix=prefix, language=language), translation.override(language):
                    set_script_prefix(prefix)
                    self.addCleanup(set_script_prefix, "/")
                    for name in BASE_LINKS:
                        old = Template("{% url '" + name + "' %}").render(Context())
                        new = Template("{% load parkos %}{% url_name '" + name + "' %}").render(Context())
                        self.assertEqual(new, old)
                        self.assertTrue(new.startswith(prefix))

    def test_base_html_writes_every_link(self):
        with open(Path(__file__).resolve().parents[1] / "templates" / "base.html", encoding="utf-8") as f:
            base = f.read()
        self.assertNotIn("{% url '", base.replace("{% url 'admin:index' %}", ""))  # admin keeps its current_app
        for name in BASE_LINKS:
            self.assertIn("{% url_name '" + name + "' %}", base)
        self.client.force_login(World.build().users["operator_admin"])  # the change log link is theirs
        html = self.client.get(reverse("parks:parkbrand_list")).content.decode()
        for name in BASE_LINKS:
            self.assertIn(f'"{reverse(name)}"', html)

"""A confidential project's real name and investor reach only its team, its owner and admins, through every channel."""

import io

from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.changelog import REDACTED, change_context
from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.investment.models import Agreement, Contact, Project
from parkos.investment.tests.test_views import SIGNED, agreement_for
from parkos.users.models import User

REAL_NAME = "Tesla Gigafactory 3"
INVESTOR = "Secret Motors Ltd"
CODENAME = "Project Magnolia"
DESCRIPTION = "Battery plant, 500k cars a year"
SECRETS = (REAL_NAME, INVESTOR, "Tesla", "Secret Motors", DESCRIPTION)


def staff_user(world, username: str) -> User:
    """Another investment staff member assigned to park "in"."""
    user = User.objects.create_user(username=username, password="a-long-test-password")
    user.groups.add(Group.objects.get(name="investment_staff"))
    user.parks.add(world.park["in"])
    return user


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(v) for v in row if v is not None)
    return "\n".join(cells)


class ConfidentialProjectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.team_member = staff_user(cls.world, "team_member")  # A
        cls.outsider = cls.world.users["investment_staff"]  # B: same park, not on the team
        cls.investor = Organization.objects.create(name=INVESTOR)
        with change_context(user=cls.world.users["operator_admin"], source="web"):
            cls.project = Project.objects.create(
                name=REAL_NAME,
                codename=CODENAME,
                is_confidential=True,
                investor=cls.investor,
                park=cls.world.park["in"],
                planned_jobs=800,
                description=DESCRIPTION,
            )
            cls.project.team.add(cls.team_member)
            cls.agreement = agreement_for(cls.world, "in", project=cls.project)
            cls.contact = Contact.objects.create(
                date=SIGNED, subject="First visit", park=cls.world.park["in"], project=cls.project
            )

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def api_for(self, user) -> APIClient:
        api = APIClient()
        api.force_authenticate(user)
        return api

    def assertNoSecrets(self, response, where: str):
        self.assertIn(response.status_code, (200, 403), where)
        content = response.content.decode("utf-8-sig", errors="replace")
        for secret in SECRETS:
            self.assertNotIn(secret, content, f"{where} shows {secret!r}")

    def url(self, view="", obj=None, **query):
        obj = obj or self.project
        path = reverse(type(obj).url_name(view), kwargs={"pk": obj.pk} if view not in ("list",) else None)
        return path

    @property
    def list_url(self):
        return reverse("investment:project_list")

    def api_url(self, obj=None):
        if obj is None:
            return reverse("investment-api:project-list")
        return reverse("investment-api:project-detail", kwargs={"pk": obj.pk})

    # --- outside the team --------------------------------------------------------------------

    def test_outsider_list_shows_only_the_codename(self):
        response = self.client_for(self.outsider).get(self.list_url)
        self.assertContains(response, self.project.get_absolute_url())
        self.assertContains(response, CODENAME)
        self.assertNoSecrets(response, "list")

    def test_outsider_pages_do_not_link_to_the_investor(self):
        """The investor's page address names the organization as surely as its name: the list's and the park
        page's investor cell is a plain "Confidential", not a link around it."""
        client = self.client_for(self.outsider)
        for where, url in (("list", self.list_url), ("park page", self.world.park["in"].get_absolute_url())):
            with self.subTest(where=where):
                response = client.get(url)
                self.assertContains(response, self.project.get_absolute_url())
                self.assertNotContains(response, f'href="{self.investor.get_absolute_url()}"')
        team = self.client_for(self.team_member).get(self.list_url)
        self.assertContains(team, f'<a href="{self.investor.get_absolute_url()}">{INVESTOR}</a>', html=True)
        self.assertNotContains(team, f'<a href="{self.investor.get_absolute_url()}"><a')

    def test_outsider_detail_shows_only_the_codename(self):
        response = self.client_for(self.outsider).get(self.project.get_absolute_url())
        self.assertContains(response, CODENAME)
        self.assertContains(response, "800")  # the rest of the project is not secret
        self.assertNoSecrets(response, "detail")

    def test_outsider_edit_form_hides_the_confidential_fields(self):
        client = self.client_for(self.outsider)
        edit = reverse("investment:project_edit", kwargs={"pk": self.project.pk})
        response = client.get(edit)
        self.assertEqual(response.status_code, 200)
        self.assertNoSecrets(response, "edit page")
        for name in Project.confidential_fields:
            self.assertNotIn(name, response.context["form"].fields)
        # Saving the form without those fields keeps them as they were.
        data = {"codename": CODENAME, "is_confidential": "on", "park": self.world.park["in"].pk, "planned_jobs": "900"}
        response = client.post(edit, data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors
        )
        self.project.refresh_from_db()
        self.assertEqual(
            (self.project.name, self.project.investor, self.project.planned_jobs), (REAL_NAME, self.investor, 900)
        )
        self.assertEqual(self.project.description, DESCRIPTION)

    def test_outsider_api_list_and_detail_mask_the_fields(self):
        api = self.api_for(self.outsider)
        rows = api.get(self.api_url(), {"page_size": 1000}).json()["results"]
        row = next(r for r in rows if r["id"] == self.project.pk)
        detail = api.get(self.api_url(self.project)).json()
        for data in (row, detail):
            self.assertIsNone(data["name"])
            self.assertIsNone(data["investor"])
            self.assertIsNone(data["description"])
            self.assertEqual(data["display"], CODENAME)
            self.assertEqual(data["codename"], CODENAME)
        self.assertNoSecrets(api.get(self.api_url(), {"page_size": 1000}), "API list")
        self.assertNoSecrets(api.get(self.api_url(self.project)), "API detail")

    def test_outsider_api_search_and_investor_filter_find_nothing(self):
        api = self.api_for(self.outsider)
        for query in ({"q": "Tesla"}, {"q": "Secret"}, {"investor": self.investor.pk}):
            with self.subTest(query=query):
                ids = [r["id"] for r in api.get(self.api_url(), query).json()["results"]]
                self.assertNotIn(self.project.pk, ids)
        ids = [r["id"] for r in api.get(self.api_url(), {"q": "Magnolia"}).json()["results"]]
        self.assertIn(self.project.pk, ids)

    def test_outsider_exports_mask_the_fields(self):
        client = self.client_for(self.outsider)
        csv_response = client.get(self.list_url, {"export": "csv"})
        self.assertEqual(csv_response.status_code, 200)
        self.assertIn(CODENAME, csv_response.content.decode("utf-8-sig"))
        self.assertNoSecrets(csv_response, "CSV export")
        xlsx = client.get(self.list_url, {"export": "xlsx"})
        self.assertEqual(xlsx.status_code, 200)
        text = xlsx_text(xlsx.content)
        self.assertIn(CODENAME, text)
        for secret in SECRETS:
            self.assertNotIn(secret, text, f"XLSX export shows {secret!r}")

    def test_outsider_global_search_finds_the_codename_only(self):
        client = self.client_for(self.outsider)
        for text in ("Tesla", "Gigafactory", "Battery plant"):
            with self.subTest(text=text):
                response = client.get(reverse("search"), {"q": text})
                self.assertNotContains(response, self.project.get_absolute_url())
        response = client.get(reverse("search"), {"q": "Secret Motors"})
        self.assertNotContains(response, self.project.get_absolute_url())
        response = client.get(reverse("search"), {"q": "Magnolia"})
        self.assertContains(response, self.project.get_absolute_url())
        self.assertNoSecrets(response, "search for the codename")

    def test_outsider_list_search_and_investor_filter_find_nothing(self):
        client = self.client_for(self.outsider)
        for query in ({"q": "Secret"}, {"q": "Tesla"}, {"investor": self.investor.pk}):
            with self.subTest(query=query):
                response = client.get(self.list_url, query)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, self.project.get_absolute_url())
                csv_response = client.get(self.list_url, {**query, "export": "csv"})
                self.assertNotIn(CODENAME, csv_response.content.decode("utf-8-sig"))
        self.assertContains(client.get(self.list_url, {"q": "Magnolia"}), self.project.get_absolute_url())

    def test_outsider_board_shows_only_the_codename(self):
        response = self.client_for(self.outsider).get(reverse("investment:project_board"))
        self.assertContains(response, CODENAME)
        self.assertNoSecrets(response, "board")

    def test_outsider_history_and_change_log_are_redacted(self):
        client = self.client_for(self.outsider)
        history = client.get(reverse("investment:project_history", kwargs={"pk": self.project.pk}))
        self.assertEqual(history.status_code, 200)
        self.assertNoSecrets(history, "project history")
        self.assertEqual(client.get(reverse("changelog")).status_code, 403)  # the global log is for admins
        admin = self.client_for(self.world.users["operator_admin"])
        changelog = admin.get(reverse("changelog"))
        self.assertContains(changelog, CODENAME)
        # (The investor's own creation is in the log under its name; what links it to the project is not.)
        for secret in (REAL_NAME, DESCRIPTION):
            self.assertNotContains(changelog, secret)
        for change in ObjectChange.objects.filter(
            changed_object_id=self.project.pk, changed_object_type__model="project"
        ):
            self.assertNoSecrets(client.get(change.get_absolute_url()), f"change {change.pk}")

    def test_history_of_a_project_made_confidential_later_is_redacted(self):
        admin = self.world.users["operator_admin"]
        with change_context(user=admin, source="web"):
            project = Project.objects.create(
                name="Tesla Shanghai II", investor=self.investor, park=self.world.park["in"], description=DESCRIPTION
            )
            project.name = "Tesla Shanghai III"  # an update whose before and after both name it
            project.save()
        changes = ObjectChange.objects.filter(changed_object_type__model="project", changed_object_id=project.pk)
        self.assertIn("Tesla Shanghai", str(list(changes.values_list("postchange_data", flat=True))))
        with change_context(user=admin, source="web"):
            project.is_confidential = True
            project.codename = "Project Lotus"
            project.save()
        for change in changes:
            for data in (change.prechange_data, change.postchange_data):
                for name in Project.confidential_fields:
                    if data:
                        self.assertEqual(data.get(name), REDACTED, f"{change.action} {name}")
            self.assertEqual(change.object_repr, "Project Lotus")
        client = self.client_for(self.outsider)
        for url in (
            reverse("investment:project_history", kwargs={"pk": project.pk}),
            *(c.get_absolute_url() for c in changes),
        ):
            with self.subTest(url=url):
                response = client.get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertNoSecrets(response, url)
        # The log itself keeps no copy: not even its readers (admins) find the old name in it.
        changelog = self.client_for(admin).get(reverse("changelog")).content.decode()
        self.assertNotIn("Tesla Shanghai", changelog)
        self.assertNotIn(DESCRIPTION, changelog)

    def test_outsider_investor_page_does_not_link_to_the_project(self):
        response = self.client_for(self.outsider).get(self.investor.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.project.get_absolute_url())
        self.assertNotContains(response, CODENAME)

    def test_outsider_sees_the_linked_agreement_and_contact_with_the_codename(self):
        client = self.client_for(self.outsider)
        for url in (self.agreement.get_absolute_url(), self.contact.get_absolute_url()):
            with self.subTest(url=url):
                response = client.get(url)
                self.assertContains(response, CODENAME)
                self.assertNoSecrets(response, url)
        api = self.api_for(self.outsider)
        agreement = api.get(reverse("investment-api:agreement-detail", kwargs={"pk": self.agreement.pk}))
        self.assertEqual(agreement.json()["project"], self.project.pk)
        self.assertNoSecrets(agreement, "agreement API")
        for url in (reverse("investment:contact_list"), reverse("investment:agreement_list")):
            self.assertNoSecrets(client.get(url), url)

    def test_outsider_park_page_lists_the_project_by_codename(self):
        response = self.client_for(self.outsider).get(self.world.park["in"].get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.project.get_absolute_url())
        self.assertNoSecrets(response, "park page")

    # --- the team, the owner and admins ------------------------------------------------------

    def assertSeesEverything(self, user):
        client = self.client_for(user)
        for url in (self.list_url, self.project.get_absolute_url()):
            with self.subTest(user=user.username, url=url):
                response = client.get(url)
                self.assertContains(response, REAL_NAME)
                self.assertContains(response, INVESTOR)
        edit = client.get(reverse("investment:project_edit", kwargs={"pk": self.project.pk}))
        for name in Project.confidential_fields:
            self.assertIn(name, edit.context["form"].fields)
        data = self.api_for(user).get(self.api_url(self.project)).json()
        self.assertEqual((data["name"], data["investor"]), (REAL_NAME, self.investor.pk))
        self.assertEqual(data["display"], CODENAME)  # the display name stays the codename everywhere
        self.assertIn(REAL_NAME, client.get(self.list_url, {"export": "csv"}).content.decode("utf-8-sig"))
        self.assertContains(client.get(reverse("search"), {"q": "Tesla"}), self.project.get_absolute_url())
        self.assertContains(client.get(self.list_url, {"q": "Secret"}), self.project.get_absolute_url())
        self.assertContains(client.get(self.list_url, {"investor": self.investor.pk}), self.project.get_absolute_url())
        self.assertContains(client.get(reverse("investment:project_board")), REAL_NAME)

    def test_team_member_sees_the_real_name_and_investor(self):
        self.assertSeesEverything(self.team_member)

    def test_operator_admin_sees_the_real_name_and_investor(self):
        self.assertSeesEverything(self.world.users["operator_admin"])

    def test_owner_sees_the_real_name_and_investor(self):
        owner = staff_user(self.world, "project_owner")
        self.project.owner = owner
        self.project.save()
        self.assertSeesEverything(owner)

    def test_leaving_the_team_hides_it_again(self):
        self.project.team.remove(self.team_member)
        response = self.client_for(self.team_member).get(self.project.get_absolute_url())
        self.assertNoSecrets(response, "detail after leaving the team")

    def test_projects_of_other_parks_stay_out_of_reach(self):
        other = staff_user(self.world, "elsewhere")
        other.parks.set([self.world.park["out"]])
        client = self.client_for(other)
        self.assertEqual(client.get(self.project.get_absolute_url()).status_code, 404)
        self.assertNotContains(client.get(reverse("search"), {"q": "Magnolia"}), self.project.get_absolute_url())


class ConfidentialRulesTests(TestCase):
    """The model rules behind the channels above."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_str_is_the_codename_when_confidential(self):
        project = Project(name=REAL_NAME, codename=CODENAME, is_confidential=True, park=self.world.park["in"])
        self.assertEqual(str(project), CODENAME)
        project.is_confidential = False
        self.assertEqual(str(project), REAL_NAME)

    def test_confidential_needs_a_codename(self):
        from django.core.exceptions import ValidationError

        project = Project(name=REAL_NAME, is_confidential=True, park=self.world.park["in"])
        with self.assertRaises(ValidationError) as caught:
            project.full_clean()
        self.assertIn("codename", caught.exception.message_dict)

    def test_for_user_annotation_agrees_with_investor_visible_to(self):
        team_member = staff_user(self.world, "a")
        outsider = self.world.users["investment_staff"]
        open_project = Project.objects.create(name="Open", park=self.world.park["in"])
        secret = Project.objects.create(
            name=REAL_NAME, codename=CODENAME, is_confidential=True, park=self.world.park["in"]
        )
        secret.team.add(team_member)
        owned = Project.objects.create(
            name="Owned", codename="Owned one", is_confidential=True, park=self.world.park["in"], owner=outsider
        )
        expected = {
            outsider: {open_project.pk: True, secret.pk: False, owned.pk: True},
            team_member: {open_project.pk: True, secret.pk: True, owned.pk: False},
            self.world.users["operator_admin"]: {open_project.pk: True, secret.pk: True, owned.pk: True},
        }
        for user, visible in expected.items():
            with self.subTest(user=user.username):
                rows = {p.pk: p for p in Project.objects.for_user(user).filter(pk__in=visible)}
                self.assertEqual({pk: p.investor_visible for pk, p in rows.items()}, visible)
                fresh = {pk: Project.objects.get(pk=pk).investor_visible_to(user) for pk in visible}
                self.assertEqual(fresh, visible)

    def test_agreement_queryset_is_not_affected(self):
        # Agreements of a confidential project stay visible to the park's staff: only the project is masked.
        project = Project.objects.create(
            name=REAL_NAME, codename=CODENAME, is_confidential=True, park=self.world.park["in"]
        )
        agreement = agreement_for(self.world, "in", project=project)
        self.assertTrue(
            Agreement.objects.restrict(self.world.users["investment_staff"]).filter(pk=agreement.pk).exists()
        )


class WhoIsInTheKnowTests(TestCase):
    """Only the owner and admins change a confidential project's team, owner and flag, in every channel (#1)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.owner = staff_user(cls.world, "owner")
        cls.outsider = cls.world.users["investment_staff"]
        cls.investor = Organization.objects.create(name=INVESTOR)
        cls.project = Project.objects.create(
            name=REAL_NAME,
            codename=CODENAME,
            is_confidential=True,
            investor=cls.investor,
            park=cls.world.park["in"],
            owner=cls.owner,
        )

    def api_for(self, user) -> APIClient:
        api = APIClient()
        api.force_authenticate(user)
        return api

    def detail(self):
        return reverse("investment-api:project-detail", kwargs={"pk": self.project.pk})

    def test_outsider_cannot_join_the_team_or_lift_the_flag_through_the_api(self):
        api = self.api_for(self.outsider)
        for payload, field in (
            ({"team": [self.outsider.pk]}, "team"),
            ({"is_confidential": False}, "is_confidential"),
            ({"owner": self.outsider.pk}, "owner"),
            ({"name": "Renamed"}, "name"),
        ):
            response = api.patch(self.detail(), payload, format="json")
            self.assertEqual(response.status_code, 400, payload)
            self.assertIn(field, response.json())
        self.project.refresh_from_db()
        self.assertTrue(self.project.is_confidential)
        self.assertEqual(list(self.project.team.all()), [])
        self.assertIsNone(api.get(self.detail()).json()["name"])

    def test_sending_the_values_it_already_has_is_not_refused(self):
        response = self.api_for(self.outsider).patch(
            self.detail(), {"is_confidential": True, "team": [], "planned_jobs": 12}, format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)

    def test_outsider_edit_form_offers_team_owner_and_flag_read_only(self):
        client = Client()
        client.force_login(self.outsider)
        edit = reverse("investment:project_edit", kwargs={"pk": self.project.pk})
        form = client.get(edit).context["form"]
        for name in ("team", "owner", "is_confidential"):
            self.assertTrue(form.fields[name].disabled, name)
        data = {
            "codename": CODENAME,
            "park": self.world.park["in"].pk,
            "team": [self.outsider.pk],
            "owner": self.outsider.pk,
            "planned_jobs": "5",
        }
        self.assertEqual(client.post(edit, data).status_code, 302)
        self.project.refresh_from_db()
        self.assertEqual((self.project.is_confidential, self.project.owner), (True, self.owner))
        self.assertEqual(list(self.project.team.all()), [])

    def test_outsider_import_cannot_lift_the_flag(self):
        from parkos.core.resources import resource_for

        resource = resource_for("investment.project")(user=self.outsider)
        rows = [{"id": self.project.pk, "codename": CODENAME, "is_confidential": "0", "park": "park-in"}]
        import tablib

        dataset = tablib.Dataset(headers=list(rows[0]))
        for row in rows:
            dataset.append(list(row.values()))
        report = resource.import_dataset(dataset, dry_run=False)
        self.assertFalse(report.ok)
        self.assertIn("is_confidential", {e.field for e in report.errors} | {e.message for e in report.errors})
        self.project.refresh_from_db()
        self.assertTrue(self.project.is_confidential)

    def test_the_owner_may_share_the_secret(self):
        response = self.api_for(self.owner).patch(self.detail(), {"team": [self.outsider.pk]}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.api_for(self.outsider).get(self.detail()).json()["name"], REAL_NAME)

    def test_ordering_by_a_confidential_field_is_ignored_outside_the_team(self):
        Project.objects.create(name="Aardvark", park=self.world.park["in"])
        Project.objects.create(name="Zebra", park=self.world.park["in"])
        api = self.api_for(self.outsider)
        url = reverse("investment-api:project-list")
        plain = [r["id"] for r in api.get(url).json()["results"]]
        for field in ("name", "-name", "investor", "description"):
            ordered = [r["id"] for r in api.get(url, {"ordering": field}).json()["results"]]
            self.assertEqual(ordered, plain, field)
        client = Client()
        client.force_login(self.outsider)
        page = client.get(reverse("investment:project_list"), {"sort": "-name"})
        self.assertEqual(page.status_code, 200)
        self.assertFalse(page.context["table"].columns["name"].orderable)

"""The cockpit: every tile adds up to the list its link opens; scopes; the government partner's district only."""

from __future__ import annotations

import datetime
import json

from django.db import connection
from django.db.models import Q, Sum
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.cockpit.tests.helpers import QUERY, TAX, CockpitWorld


def figures_of(response) -> dict[str, dict]:
    return {figure["key"]: figure for tile in response.context["figures"]["tiles"] for figure in tile["figures"]}


def list_queryset(response):
    """The rows a list page (or the evaluation results page) lists after its filters."""
    return response.context["table"].data.data


def added_up(client: Client, figure: dict):
    """Follow a figure's link and add the list up the way its ``measure`` says."""
    response = client.get(figure["url"])
    assert response.status_code == 200, (figure["key"], figure["url"], response.status_code)
    measure = figure["measure"]
    if measure == "occupancy":
        return response.context["result"].total.rate
    rows = list_queryset(response)
    if measure == "count":
        assert response.context["table"].paginator.count == rows.count()
        return rows.count()
    kind, _sep, field = measure.partition(":")
    if kind == "sum":
        return float(rows.aggregate(total=Sum(field))["total"] or 0)
    if kind == "distinct":
        return rows.order_by().values(field).distinct().count()
    if kind == "density":
        both = Q(land_mu__gt=0) & Q(**{f"{field}__isnull": False})
        sums = rows.aggregate(v=Sum(field, filter=both), mu=Sum("land_mu", filter=both))
        return sums["v"] / sums["mu"]
    raise AssertionError(f"unknown measure {measure}")


@override_settings(PARKOS_COCKPIT_CACHE_SECONDS=0)
class CockpitData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = CockpitWorld()
        cls.world = cls.data.world
        cls.admin = cls.world.users["operator_admin"]

    def setUp(self):
        self.client.force_login(self.admin)

    def cockpit(self, client=None, **params):
        return (client or self.client).get(reverse("cockpit:cockpit"), {**QUERY, **params})


class TileSumTests(CockpitData):
    def check_every_tile(self, client, scope: str) -> int:
        response = self.cockpit(client, scope=scope)
        self.assertEqual(response.status_code, 200, response.content[:500])
        checked = 0
        for key, figure in figures_of(response).items():
            if not figure["url"] or not figure["measure"]:
                continue
            with self.subTest(scope=scope, figure=key):
                total = added_up(client, figure)
                if isinstance(figure["value"], float) or isinstance(total, float):
                    self.assertAlmostEqual(float(figure["value"]), float(total or 0), places=2)
                else:
                    self.assertEqual(figure["value"], total)
                checked += 1
        return checked

    def test_every_tile_adds_up_to_the_list_its_link_opens_for_each_scope(self):
        parks = self.data.parks
        for scope in ("group", f"brand:{self.world.brand['in'].pk}", f"park:{parks['west'].pk}", "district:District"):
            checked = self.check_every_tile(self.client, scope)
            self.assertGreaterEqual(checked, 20, scope)

    def test_a_park_managers_tiles_add_up_to_its_own_lists(self):
        client = Client()
        client.force_login(self.world.users["park_manager"])
        self.assertGreaterEqual(self.check_every_tile(client, "group"), 15)

    def test_the_figures_count_what_the_fixture_holds(self):
        figures = figures_of(self.cockpit(scope=f"park:{self.data.parks['west'].pk}"))
        # West is the third park: three projects signed in the period at 10, 20 and 30 million
        self.assertEqual(figures["projects_signed"]["value"], 3)
        self.assertEqual(figures["investment_cny"]["value"], 60_000_000)
        self.assertAlmostEqual(figures["investment_usd"]["value"], 60_000_000 / 7.2, places=0)
        self.assertEqual(figures["agreements_signed"]["value"], 1)
        self.assertEqual(figures["agreements_signed"]["previous"], 1)
        self.assertEqual(figures["enterprises_hosted"]["value"], 2)
        self.assertEqual(figures["enterprises_new"]["value"], 1)
        self.assertEqual(figures["area_leased"]["value"], 500)  # the intent leases nothing
        self.assertEqual(figures["area_sold"]["value"], 400)
        # tax per mu: totals over totals of the results with land (700 + 50) / (10 + 5)
        self.assertAlmostEqual(figures["tax_per_mu"]["value"], (TAX["west"] + 50) / 15, places=2)
        self.assertEqual(figures["grade_A"]["value"], 1)
        self.assertEqual(figures["services_done"]["value"], 2)
        self.assertEqual(figures["within_target"]["value"], 0.5)
        self.assertEqual(figures["commitments_met"]["value"], 1)
        self.assertEqual(figures["commitments_overdue"]["value"], 1)
        self.assertEqual(figures["commitments_at_risk"]["value"], 1)
        self.assertEqual(figures["land_freed"]["value"], 1)

    def test_each_figure_shows_its_change_against_the_period_before(self):
        figures = figures_of(self.cockpit(scope="group"))
        self.assertEqual(figures["agreements_signed"]["value"], 4)
        self.assertEqual(figures["agreements_signed"]["previous"], 4)
        self.assertEqual(figures["agreements_signed"]["change"], 0)
        self.assertEqual(figures["projects_signed"]["previous"], 4)  # the old project of each park, signed in 2025 H2

    def test_money_reads_in_the_users_unit_and_land_in_mu(self):
        from django.utils import translation

        with translation.override("zh-hans"):
            response = self.client.get(reverse("cockpit:cockpit"), {**QUERY}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        page = response.content.decode()
        self.assertIn("万元", page)
        self.assertIn("亩", page)


class ScopeTests(CockpitData):
    def test_a_scope_the_user_may_not_pick_is_a_field_error_in_the_page_and_the_api(self):
        client = Client()
        client.force_login(self.world.users["park_manager"])
        other = f"park:{self.world.park['out'].pk}"
        self.assertEqual(self.cockpit(client, scope=other).status_code, 400)
        response = client.get(reverse("cockpit-api:figures"), {**QUERY, "scope": other})
        self.assertEqual(response.status_code, 400)
        self.assertIn("scope", response.json())

    def test_bad_periods_are_refused_with_the_field_named(self):
        for params in ({"period": "2026-13"}, {"period": "soon"}, {"date_from": "2026-01-01", "date_to": ""}):
            response = self.client.get(reverse("cockpit-api:figures"), params)
            self.assertEqual(response.status_code, 400, params)
        response = self.client.get(reverse("cockpit:cockpit"), {"period": "2026-Q2"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(str(response.context["figures"]["date_from"]), "2026-04-01")
        self.assertEqual(str(response.context["figures"]["previous_from"]), "2026-01-01")

    def test_enterprise_users_and_service_staff_without_parks_do_not_open_the_cockpit(self):
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        for name in ("cockpit:cockpit", "cockpit:screen", "cockpit:parks", "cockpit-api:figures", "cockpit-api:parks"):
            self.assertEqual(client.get(reverse(name)).status_code, 403, name)


class GovernmentPartnerTests(CockpitData):
    """The West government partner sees West only, in the page, the API, the big screen and the benchmarking."""

    def setUp(self):
        self.client.force_login(self.data.partner)

    def test_the_partner_lands_on_its_cockpit(self):
        self.assertRedirects(self.client.get("/"), reverse("cockpit:cockpit"), fetch_redirect_response=False)

    def test_its_cockpit_holds_its_agreements_commitments_investment_landed_and_land_efficiency_only(self):
        response = self.cockpit()
        self.assertEqual(response.status_code, 200)
        tiles = [tile["key"] for tile in response.context["figures"]["tiles"]]
        self.assertEqual(tiles, ["agreements", "commitments", "landed", "density", "grades"])
        figures = figures_of(response)
        self.assertEqual(figures["agreements_signed"]["value"], 1)  # the one West's body is party to
        self.assertEqual(figures["projects_landed"]["value"], 1)
        self.assertEqual(figures["investment_landed"]["value"], 80_000_000)
        self.assertAlmostEqual(figures["tax_per_mu"]["value"], (TAX["west"] + 50) / 15, places=2)
        self.assertEqual(figures["commitments_met"]["value"], 1)
        # the links it gets open lists that add up to the figures
        for key in ("agreements_signed", "commitments_met", "commitments_overdue"):
            self.assertEqual(added_up(self.client, figures[key]), figures[key]["value"], key)

    def test_another_districts_figures_never_appear_in_any_channel(self):
        east = self.data.parks["east"]
        other_tax = f"{(TAX['east'] + 50) / 15:,.2f}"
        page = self.cockpit().content.decode()
        api = self.client.get(reverse("cockpit-api:figures"), QUERY)
        self.assertEqual(api.status_code, 200)
        parks_page = self.client.get(reverse("cockpit:parks"), QUERY)
        parks_api = self.client.get(reverse("cockpit-api:parks"), QUERY)
        screen = self.client.get(reverse("cockpit:screen"))
        export = self.client.get(reverse("cockpit:parks"), {**QUERY, "format": "csv"})
        for channel, text in (
            ("page", page),
            ("api", json.dumps(api.json())),
            ("parks", parks_page.content.decode()),
            ("parks api", json.dumps(parks_api.json())),
            ("screen", screen.content.decode()),
            ("export", export.content.decode("utf-8-sig")),
        ):
            with self.subTest(channel=channel):
                for secret in (east.name, "East", "Park in", "Park out", "District Government", other_tax):
                    self.assertNotIn(secret, text)
        self.assertEqual([row["name"] for row in parks_api.json()["rows"]], ["Park West"])
        for scope in ("district:East", f"park:{east.pk}", "group", f"brand:{self.world.brand['in'].pk}"):
            self.assertEqual(
                self.client.get(reverse("cockpit-api:figures"), {**QUERY, "scope": scope}).status_code, 400
            )
            self.assertEqual(self.cockpit(scope=scope).status_code, 400, scope)

    def test_its_scope_menu_offers_its_district_not_all_parks(self):
        from parkos.cockpit.selectors import scope_choices

        self.assertEqual(scope_choices(self.data.partner), [("district:West", "West")])
        self.assertEqual(scope_choices(self.admin)[0], ("group", "All parks"))
        self.assertEqual(scope_choices(self.world.users["park_manager"])[0], ("group", "All parks"))
        response = self.cockpit()
        self.assertNotContains(response, 'value="group"')
        self.assertNotContains(response, "All parks")

    def test_a_partner_body_without_a_district_sees_no_cockpit(self):
        self.data.gov["west"].district = ""
        self.data.gov["west"].save()
        self.assertEqual(self.cockpit().status_code, 403)
        self.assertEqual(self.client.get(reverse("cockpit-api:figures")).status_code, 403)


class LandingAndMenuTests(CockpitData):
    def test_the_admin_lands_on_the_cockpit_and_keeps_the_change_log_in_the_menu(self):
        self.assertRedirects(self.client.get("/"), reverse("cockpit:cockpit"), fetch_redirect_response=False)
        menu = str(self.cockpit().context["nav_menu"])
        for name in ("cockpit:cockpit", "cockpit:screen", "cockpit:parks", "changelog"):
            self.assertIn(reverse(name), menu, name)

    def test_staff_roles_find_the_cockpit_in_their_menu_without_landing_on_it(self):
        client = Client()
        client.force_login(self.world.users["park_manager"])
        response = client.get(reverse("cockpit:cockpit"), QUERY)
        self.assertIn(reverse("cockpit:parks"), str(response.context["nav_menu"]))


class SpeedTests(CockpitData):
    """The cockpit and the benchmarking cost a fixed number of queries, whatever the number of parks."""

    def count(self, name: str, scope: str = "group") -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse(name), {**QUERY, "scope": scope})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_counts_do_not_grow_with_parks_or_enterprises(self):
        before = {name: self.count(name) for name in ("cockpit:cockpit", "cockpit:parks", "cockpit-api:figures")}
        for n in range(5, 8):
            self.data.parks[f"more{n}"] = type(self.data.world.park["in"]).objects.create(
                code=f"more-{n}", name=f"More {n}", brand=self.world.brand["in"], district="District"
            )
            self.data.fill(f"more{n}", 2)
        after = {name: self.count(name) for name in before}
        self.assertEqual(before, after)
        with self.assertNumQueries(after["cockpit:cockpit"]):
            self.client.get(reverse("cockpit:cockpit"), {**QUERY, "scope": "group"})
        self.assertLessEqual(after["cockpit:cockpit"], 60)
        self.assertLessEqual(after["cockpit:parks"], 30)


class BenchmarkTests(CockpitData):
    def test_parks_are_ranked_by_each_measure_with_percentiles(self):
        response = self.client.get(reverse("cockpit:parks"), QUERY)
        self.assertEqual(response.status_code, 200)
        rows = {row["name"]: row for row in response.context["data"]["rows"]}
        self.assertEqual(sorted(rows), ["Park East", "Park West", "Park in", "Park out"])
        # tax per mu, totals over totals: East's (1100 + 50) / 15 is the highest, Park in's the lowest
        self.assertAlmostEqual(rows["Park East"]["tax_per_mu"], (TAX["east"] + 50) / 15, places=2)
        self.assertEqual(rows["Park East"]["tax_per_mu_pct"], 100.0)
        self.assertEqual(rows["Park in"]["tax_per_mu_pct"], 0.0)
        self.assertEqual(rows["Park West"]["projects_signed"], 3)
        self.assertEqual(rows["Park West"]["grade_mix"], {"A": 1, "B": 1, "C": 1})
        self.assertEqual(rows["Park West"]["within_target"], 0.5)
        self.assertIsNotNone(rows["Park West"]["rent"])
        page = response.content.decode()
        self.assertIn(reverse("parks:park", args=[self.data.parks["west"].pk]), page)  # drills down to the park

    def test_the_table_sorts_by_a_measure(self):
        response = self.client.get(reverse("cockpit:parks"), {**QUERY, "sort": "-tax_per_mu"})
        page = response.content.decode()
        order = sorted(("Park East", "Park West", "Park out", "Park in"), key=page.index)
        self.assertEqual(order[0], "Park East")
        self.assertEqual(order[-1], "Park in")

    def test_it_exports_as_csv_and_xlsx(self):
        csv_response = self.client.get(reverse("cockpit:parks"), {**QUERY, "format": "csv"})
        self.assertEqual(csv_response.status_code, 200)
        text = csv_response.content.decode("utf-8-sig")
        self.assertEqual(len(text.strip().splitlines()), 5)
        self.assertIn("Park West", text)
        xlsx = self.client.get(reverse("cockpit:parks"), {**QUERY, "format": "xlsx"})
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertEqual(self.client.get(reverse("cockpit:parks"), {**QUERY, "format": "pdf"}).status_code, 400)

    def test_a_park_manager_sees_its_parks_and_no_columns_of_models_it_cannot_read(self):
        client = Client()
        client.force_login(self.world.users["park_manager"])
        data = client.get(reverse("cockpit-api:parks"), QUERY).json()
        self.assertEqual([row["name"] for row in data["rows"]], ["Park in"])
        self.assertNotIn("projects_signed", [m["key"] for m in data["measures"]])


class ChineseUnitsTests(CockpitData):
    """Issue 15/13: the cockpit as a Chinese park operator reads it (美元 not USD, 万㎡ for large areas, 亩 first)."""

    def zh_figures(self):
        from django.utils import translation

        with translation.override("zh-hans"):
            response = self.client.get(reverse("cockpit:cockpit"), QUERY, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(response.status_code, 200)
        return response, figures_of(response)

    def test_usd_reads_in_wan_meiyuan(self):
        import re

        response, figures = self.zh_figures()
        usd = figures["investment_usd"]["display"]
        self.assertRegex(usd, r"^-?[\d,]+\.\d\d (万|亿)?美元$")
        self.assertNotIn("USD", usd)
        self.assertIn(usd, response.content.decode())
        self.assertNotRegex(response.content.decode(), re.compile(r"[万亿]USD"))

    def test_land_reads_in_mu_first_with_square_metres_beside(self):
        _response, figures = self.zh_figures()
        for key in ("land_listed", "land_in_progress", "land_freed"):
            self.assertRegex(figures[key]["display"], r"^[\d,]+ · [\d,.]+\xa0亩 \([\d,.]+\xa0(m²|万\u2060㎡)\)$", key)

    def test_a_land_row_without_parcels_reads_zero_not_zero_mu_of_zero_square_metres(self):
        from decimal import Decimal

        from django.utils import translation

        from parkos.cockpit.selectors import Formats

        response, figures = self.zh_figures()
        self.assertEqual((figures["land_open"]["value"], figures["land_open"]["display"]), (0, "0"))
        self.assertNotRegex(response.content.decode(), r"(?<![\d,.])0\.00\xa0亩")
        with translation.override("zh-hans"):
            self.assertEqual(Formats(self.admin).land(Decimal(0)), "0\xa0亩")
        with translation.override("en"):
            self.assertEqual(Formats(self.admin).land(Decimal(0)), "0\xa0mu")

    def test_large_areas_read_in_wan_square_metres_on_the_tiles(self):
        from decimal import Decimal

        from django.utils import translation

        from parkos.cockpit.selectors import Formats

        _response, figures = self.zh_figures()
        for key in ("area_leased", "area_sold", "lettable"):
            value, display = figures[key]["value"], figures[key]["display"]
            self.assertTrue(display.endswith("万㎡" if value >= 10_000 else "m²"), (key, value, display))
        with translation.override("zh-hans"):
            fmt = Formats(self.admin)
            self.assertEqual(fmt.area(Decimal("15090579.53")), "1,509.06\xa0万\u2060㎡")
            self.assertEqual(fmt.land(Decimal("1754897.25")), "2,632.35\xa0亩 (175.49\xa0万\u2060㎡)")
        with translation.override("en"):
            self.assertEqual(Formats(self.admin).area(Decimal("15090579.53")), "15,090,579.53\xa0m²")

    def test_a_chart_without_data_has_its_empty_text_in_chinese(self):
        response, _figures = self.zh_figures()
        self.assertContains(response, 'data-chart-empty="本期暂无数据"')


class LanguageTests(CockpitData):
    def test_every_title_and_label_reads_in_chinese(self):
        import re

        cjk = re.compile(r"[\u4e00-\u9fff]")
        response = self.client.get(reverse("cockpit-api:figures"), QUERY, HTTP_ACCEPT_LANGUAGE="zh-hans")
        for tile in response.json()["tiles"]:
            self.assertRegex(tile["title"], cjk)
            for figure in tile["figures"]:
                if not figure["key"].startswith("grade_"):
                    self.assertRegex(figure["label"], cjk, figure["key"])
        parks = self.client.get(reverse("cockpit-api:parks"), QUERY, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        for measure in parks["measures"]:
            self.assertRegex(measure["label"], cjk, measure["key"])

    def test_usd_and_the_schemes_name_read_in_chinese_through_the_formatting_layer(self):
        from decimal import Decimal

        from django.utils import translation

        from parkos.core.units import format_money

        response = self.client.get(reverse("cockpit-api:figures"), QUERY, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        figures = {figure["key"]: figure for tile in response["tiles"] for figure in tile["figures"]}
        usd = figures["investment_usd"]
        with translation.override("zh-hans"):
            self.assertEqual(usd["display"], format_money(Decimal(str(usd["value"])), "USD", "wan"))
            name = self.data.scheme.scheme().display_name
        self.assertIn("万", usd["display"])
        density = next(tile for tile in response["tiles"] if tile["key"] == "density")
        self.assertIn(name, density["note"])
        self.assertRegex(name, "[\u4e00-\u9fff]")
        parks = self.client.get(reverse("cockpit-api:parks"), QUERY, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        self.assertIn(name, parks["run"]["scheme"])


@override_settings(PARKOS_COCKPIT_CACHE_SECONDS=300)
class PrecomputedTests(CockpitData):
    def setUp(self):
        super().setUp()
        from parkos.cockpit.freshness import store

        store().clear()
        self.addCleanup(store().clear)

    def test_figures_are_kept_for_a_while_and_the_page_says_when_they_were_computed(self):
        with CaptureQueriesContext(connection) as first:
            response = self.cockpit(scope="group")
        self.assertContains(response, "refreshed on change and every 5 min")
        with CaptureQueriesContext(connection) as second:
            again = self.cockpit(scope="group")
        self.assertLess(len(second), len(first) - 20)
        self.assertEqual(again.context["figures"]["computed_at"], response.context["figures"]["computed_at"])
        # another reader (another scope of rows) never gets these figures
        client = Client()
        client.force_login(self.world.users["park_manager"])
        self.assertNotEqual(
            figures_of(self.cockpit(client, scope="group"))["agreements_signed"]["value"],
            figures_of(response)["agreements_signed"]["value"],
        )

    def test_a_write_shows_on_the_next_view(self):
        from parkos.investment.models import Agreement

        before = figures_of(self.cockpit(scope="group"))["agreements_signed"]["value"]
        park = self.data.parks["in"]
        with self.captureOnCommitCallbacks(execute=True):
            agreement = Agreement.objects.create(
                title="Signed today", park=park, signed_on="2026-04-01", status="signed", kind="investment"
            )
        self.assertEqual(figures_of(self.cockpit(scope="group"))["agreements_signed"]["value"], before + 1)
        with self.captureOnCommitCallbacks(execute=True):
            agreement.delete()
        self.assertEqual(figures_of(self.cockpit(scope="group"))["agreements_signed"]["value"], before)

    def test_a_write_recomputes_only_the_parts_that_read_it(self):
        from parkos.investment.models import Agreement

        with CaptureQueriesContext(connection) as first:
            before = figures_of(self.cockpit(scope="group"))
        with self.captureOnCommitCallbacks(execute=True):
            Agreement.objects.create(title="Signed today", park=self.data.parks["in"], signed_on="2026-04-01")
        with CaptureQueriesContext(connection) as after:
            figures = figures_of(self.cockpit(scope="group"))
        self.assertEqual(figures["agreements_signed"]["value"], before["agreements_signed"]["value"] + 1)
        self.assertEqual(figures["enterprises_hosted"], before["enterprises_hosted"])
        # the agreements' and the commitments' tiles only: a few queries, not the leasing or evaluation ones
        self.assertLess(len(after), len(first) - 20)

    def test_a_write_rolled_back_leaves_the_figures_kept(self):
        from django.db import transaction

        from parkos.cockpit.freshness import version
        from parkos.investment.models import Agreement

        kept = version()
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    Agreement.objects.create(title="Never", park=self.data.parks["in"], signed_on="2026-04-01")
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(version(), kept)

    def test_readers_with_the_same_view_share_the_figures_and_the_warm_up_serves_them(self):
        from parkos.cockpit.freshness import warm
        from parkos.cockpit.selectors import Period

        counts = warm(period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)))
        self.assertGreaterEqual(counts["audiences"], 2)  # the admins, and each park-scoped set of staff
        self.assertGreater(counts["computed"], 2 * len(self.data.parks))
        # another admin reads what the warm-up computed, in each language: no figure is computed again
        other = type(self.admin).objects.create_user(username="second_admin", password="x")
        other.groups.set(self.admin.groups.all())
        client = Client()
        client.force_login(other)
        for language in ("en", "zh-hans"):
            for scope in ("group", f"park:{self.data.parks['in'].pk}", "district:West"):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(
                        reverse("cockpit:cockpit"), {**QUERY, "scope": scope}, HTTP_ACCEPT_LANGUAGE=language
                    )
                self.assertEqual(response.status_code, 200)
                self.assertLessEqual(len(queries), 12, (language, scope))
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("cockpit:parks"), QUERY)
        self.assertLessEqual(len(queries), 12)

    def test_the_command_warms_the_default_period_and_says_how_much(self):
        import io

        from django.core.management import call_command

        from parkos.cockpit.forms import default_period

        out = io.StringIO()
        call_command("cockpit_warm", scopes="group", stdout=out)
        self.assertRegex(out.getvalue(), r"cockpit_warm: \d+ figures for \d+ audiences in \d+ s\.")
        period = default_period()
        dates = {"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("cockpit:cockpit"), dates)
        self.assertLessEqual(len(queries), 12)

    def test_the_loop_warms_again_after_a_change_and_not_before(self):
        from unittest import mock

        from parkos.cockpit import freshness

        sleeps = []

        def sleep(seconds):
            sleeps.append(seconds)
            if len(sleeps) == 2:
                freshness.bump("agreements")  # a change between the second and third check
            if len(sleeps) == 3:
                raise KeyboardInterrupt

        counts = {"audiences": 1, "computed": 1, "seconds": 0}
        with (
            mock.patch.object(freshness, "warm", return_value=counts) as warm,
            mock.patch("time.sleep", sleep),
            self.assertRaises(KeyboardInterrupt),
        ):
            freshness.warm_loop(60, lambda line: None)
        self.assertEqual(warm.call_count, 2)  # at the start, then after the change only

    def test_a_partners_figures_are_its_own(self):
        from parkos.cockpit.freshness import audience

        self.assertNotEqual(audience(self.data.partner), audience(self.admin))
        self.assertTrue(audience(self.data.partner).endswith(f"user:{self.data.partner.pk}"))


class ScreenTests(CockpitData):
    def test_the_big_screen_cycles_through_the_group_and_each_park_the_user_sees(self):
        response = self.client.get(reverse("cockpit:screen"))
        self.assertEqual(response.status_code, 200)
        config = response.context["config"]
        parks = self.data.parks
        self.assertEqual(config["scopes"][0], "group")
        self.assertEqual(sorted(config["scopes"][1:]), sorted(f"park:{park.pk}" for park in parks.values()))
        self.assertEqual(config["api"], reverse("cockpit-api:figures"))
        self.assertContains(response, 'id="screen-config"')
        self.assertNotContains(response, "<script>")  # data in json_script only, no inline script

    def test_the_partners_screen_stays_on_its_district(self):
        self.client.force_login(self.data.partner)
        config = self.client.get(reverse("cockpit:screen")).context["config"]
        self.assertEqual(config["scopes"], ["district:West"])

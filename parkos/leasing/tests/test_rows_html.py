"""Issue 16: the leasing reports' table rows written by the leasing_rows tags are the HTML the templates' loops wrote,
in English and Chinese, in m² and in mu, with no name, thousands and no rate."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from parkos.core.testing import World
from parkos.leasing.models import Lease
from parkos.leasing.reports import with_urls
from parkos.leasing.selectors import OccupancyRow, lease_list_rows, with_unit_codes
from parkos.parks.models import SpaceUnit

#: the loops as the templates wrote them before the tags
OLD_FIGURE_ROWS = (
    '{% load i18n parkos %}{% for row in rows %}<tr><td>{{ row.name|default:"—" }}</td><td class="text-end">'
    '{{ row.contracts }}</td><td class="text-end text-nowrap">{{ row.area|area:user }}</td></tr>{% empty %}<tr><td '
    'class="text-secondary">{% translate "None." %}</td></tr>{% endfor %}'
)
OLD_NEW_TENANT_ROWS = (
    '{% load i18n parkos %}{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.first|date:"Y-m-d" }}</td>'
    '<td class="text-end">{{ row.area|area:user }}</td></tr>{% empty %}<tr><td class="text-secondary">'
    '{% translate "None." %}</td></tr>{% endfor %}'
)
OLD_OCCUPANCY_ROWS = (
    '{% load i18n parkos %}{% for row in rows %}<tr data-key="{{ row.key }}"><td>{{ row.name|default:"—" }}</td>'
    '{% if show_park %}<td>{{ row.park }}</td>{% endif %}<td class="text-end">{{ row.units_occupied }} / '
    '{{ row.units }}</td><td class="text-end">{{ row.lettable|area:user }}</td><td class="text-end">'
    '{{ row.leased|area:user }}</td><td class="text-end">{{ row.sold|area:user }}</td><td class="text-end">'
    '{{ row.vacant|area:user }}</td><td class="text-end rate">{% if row.rate is None %}—{% else %}'
    '{{ row.percent|floatformat:1 }} %{% endif %}</td></tr>\n  {% empty %}<tr><td colspan="8" '
    'class="text-secondary">{% translate "No space units here." %}</td></tr>{% endfor %}'
)
OLD_EXPIRY_ROWS = (
    '{% load i18n parkos %}{% for lease in leases %}<tr><td><a href="{{ lease.url }}">{{ lease }}</a></td><td>'
    '{{ lease.tenant }}</td><td>{{ lease.park }}</td><td>{{ lease.unit_codes|join:", " }}</td><td class="text-end">'
    '{{ lease.leased_area|area:user }}</td><td>{{ lease.effective_end|date:"Y-m-d" }}</td></tr>\n        {% empty %}'
    '<tr><td class="text-secondary">{% translate "None." %}</td></tr>{% endfor %}'
)
NEW = {
    "expiry": "{% load leasing_rows %}{% expiry_rows rows user %}",
    "figure": "{% load leasing_rows %}{% figure_rows rows user %}",
    "tenant": "{% load leasing_rows %}{% new_tenant_rows rows user %}",
    "occupancy": "{% load leasing_rows %}{% occupancy_rows rows user show_park %}",
}
OLD = {
    "expiry": OLD_EXPIRY_ROWS.replace("leases", "rows"),
    "figure": OLD_FIGURE_ROWS,
    "tenant": OLD_NEW_TENANT_ROWS,
    "occupancy": OLD_OCCUPANCY_ROWS,
}


class RowsHtmlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        unit = SpaceUnit.objects.create(building=w.building["in"], code="R1", area=Decimal("1234.5"))
        lease = Lease.objects.create(
            tenant=w.org["in"], park=w.park["in"], start_date=datetime.date(2026, 2, 1), rent_amount=1, leased_area=12
        )
        lease.units.set([unit])
        for n, end in enumerate((datetime.date(2026, 7, 15), datetime.date(2026, 8, 15), datetime.date(2026, 11, 1))):
            ending = Lease.objects.create(
                tenant=w.org["in"],
                park=w.park["in"],
                reference=f"R<{n}>" if n else "",
                start_date=datetime.date(2026, 1, 1),
                end_date=end,
                rent_amount=1,
                leased_area=Decimal("1234.5") if n else None,
                status=Lease.Status.IN_FORCE,
            )
            ending.units.set([unit] if n != 1 else [])
        SpaceUnit.objects.create(building=w.building["out"], code="R2", area=Decimal("0.5"))

    def same(self, kind: str, rows, user, **extra) -> str:
        context = {"rows": rows, "user": user, **extra}
        old = Template(OLD[kind]).render(Context(context))
        new = Template(NEW[kind]).render(Context(context))
        self.assertEqual(new, old)
        return new

    def test_the_rows_are_the_loops_they_replace(self):
        admin = self.world.users["operator_admin"]
        groups = [
            {"key_id": 1, "name": "Park <in> & co", "area": Decimal("1234567.89"), "contracts": 12345},
            {"key_id": None, "name": None, "area": Decimal(0), "contracts": 0},
        ]
        tenants = [{"key_id": 1, "name": 'Org "A"', "first": datetime.date(2026, 1, 5), "area": None}]
        tenants.append({"key_id": 2, "name": "甲公司", "first": datetime.date(2026, 12, 31), "area": Decimal("3.5")})
        occupancy = [
            OccupancyRow(7, "B-1 Tower <A>", Decimal("12345.67"), Decimal("100"), Decimal("5.5"), 1234, 12, park="P"),
            OccupancyRow(None, "", Decimal(0), park="Park 2"),
        ]
        for language in ("en", "zh-hans"):
            for unit in ("m2", "mu"):
                admin.area_unit = unit
                with self.subTest(language=language, unit=unit), translation.override(language):
                    self.same("figure", groups, admin)
                    self.same("figure", [], admin)
                    self.same("tenant", tenants, admin)
                    self.same("tenant", [], admin)
                    for show_park in (True, False):
                        self.same("occupancy", occupancy, admin, show_park=show_park)
                    self.same("occupancy", [], admin)

    def test_every_number_is_written_as_the_filters_write_it(self):
        """Areas that round to nothing, negative, huge, with many decimals or as floats; rates that round half up;
        names to escape; a language with other separators (German: the filters themselves) and thousands separators
        switched on."""
        admin = self.world.users["operator_admin"]
        areas = [
            Decimal("0.004"),
            Decimal("-0.004"),
            Decimal("-1234.565"),
            Decimal("0.005"),
            Decimal("1234567890.125"),
            Decimal("666.666666"),
            Decimal("1E+3"),
            Decimal("12.3456789"),
            2.675,
            7,
        ]
        names = ["A & B <c>", "D \"e\" 'f'", "", None, "甲乙 & 丙"]
        groups = [
            {"key_id": n, "name": names[n % len(names)], "area": value, "contracts": n * 1001}
            for n, value in enumerate([*areas, None])
        ]
        tenants = [
            {
                "key_id": n,
                "name": names[n % len(names)] or "x",
                "first": datetime.date(999 + n * 300, 1 + n, 2),
                "area": a,
            }
            for n, a in enumerate(areas)
        ]
        occupancy = [
            OccupancyRow(n * 1234, names[n % len(names)] or "", lettable, leased, sold, 1000 * n, n, park=names[n % 5])
            for n, (lettable, leased, sold) in enumerate(
                [
                    (Decimal("3"), Decimal("1"), Decimal("0")),
                    (Decimal("8"), Decimal("1"), Decimal("0")),  # 12.5 %
                    (Decimal("1600"), Decimal("196"), Decimal("0")),  # 12.25 %
                    (Decimal("10000"), Decimal("9995"), Decimal("0")),  # 99.95 %
                    (Decimal("1E+6"), Decimal("1"), Decimal("0")),  # 0.0001 %
                    (Decimal("100"), Decimal("60"), Decimal("60")),  # more than let
                    (Decimal("0.004"), Decimal("0"), Decimal("0")),
                    (Decimal("-5"), Decimal("1"), Decimal("0")),
                ]
            )
        ]
        for language in ("en", "zh-hans", "de"):
            for unit in ("m2", "mu"):
                for thousands in (False, True):
                    admin.area_unit = unit
                    with (
                        self.subTest(language=language, unit=unit, thousands=thousands),
                        translation.override(language),
                        override_settings(USE_THOUSAND_SEPARATOR=thousands),
                    ):
                        self.same("figure", groups, admin)
                        self.same("tenant", tenants, admin)
                        self.same("occupancy", occupancy, admin, show_park=True)

    def test_lease_rows_read_as_values_are_written_as_the_leases(self):
        """The expiry alerts' rows read as values (``LeaseRow``) give the HTML the old loop wrote of the leases
        themselves (with their tenant and park), a lease with no contract number and no area among them."""
        admin = self.world.users["operator_admin"]
        leases = Lease.objects.filter(end_date__isnull=False).order_by("effective_end", "pk")
        self.assertEqual(len(leases), 3)
        models = with_urls(with_unit_codes(leases.select_related("tenant", "park")))
        rows = with_urls(with_unit_codes(lease_list_rows(leases)))
        for language in ("en", "zh-hans"):
            for unit in ("m2", "mu"):
                admin.area_unit = unit
                with self.subTest(language=language, unit=unit), translation.override(language):
                    old = Template(OLD["expiry"]).render(Context({"rows": models, "user": admin}))
                    self.assertEqual(self.same("expiry", rows, admin), old)
                    self.assertIn(">R&lt;1&gt;</a>", old)

    def test_the_pages_show_the_rows(self):
        self.client.force_login(self.world.users["operator_admin"])
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                response = self.client.get(
                    reverse("leasing:occupancy"), {"date": "2026-06-30"}, HTTP_ACCEPT_LANGUAGE=language
                )
                result, html = response.context["result"], response.content.decode()
                user = response.context["user"]
                for rows, show_park in ((result.parks, False), (result.brands, False), (result.buildings, True)):
                    self.assertTrue(rows)
                    self.assertIn(self.same("occupancy", rows, user, show_park=show_park), html)
                response = self.client.get(
                    reverse("leasing:figures"),
                    {"date_from": "2026-01-01", "date_to": "2026-12-31"},
                    HTTP_ACCEPT_LANGUAGE=language,
                )
                figures, html = response.context["figures"], response.content.decode()
                self.assertIn(self.same("figure", figures["leased_by_park"], user), html)
                self.assertIn(self.same("tenant", figures["new_tenants"], user), html)
                self.assertTrue(figures["new_tenants"])
                response = self.client.get(
                    reverse("leasing:expiry_alerts"), {"date": "2026-06-30"}, HTTP_ACCEPT_LANGUAGE=language
                )
                html = response.content.decode()
                for _months, leases, count in response.context["buckets"]:
                    self.assertEqual(len(leases), count)
                    self.assertIn(self.same("expiry", leases, user), html)

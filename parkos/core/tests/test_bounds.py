"""Bounds on stored values (core.bounds): out-of-range numbers and dates and control characters are refused in
every channel (form, API, import) with a message at the field, never saved and never a server error."""

import csv
import io
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

import parkos.directory.tests.test_views as directory_tests
import parkos.leasing.tests.test_views as leasing_tests
from parkos.core.bounds import (
    LowerBoundValidator,
    NoControlCharactersValidator,
    UpperBoundValidator,
    decimal_bounds,
)
from parkos.core.fields import AreaField, MoneyAmountField
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.leasing.models import Lease

#: (model, field, value): each must be refused at that field, in every channel
OUT_OF_BOUNDS = [
    (Lease, "rent_amount", "999999999999999999"),
    (Lease, "rent_amount", "-1"),
    (Lease, "start_date", "0001-01-01"),
    (Lease, "end_date", "9999-12-31"),
    (Organization, "name", "Evil\x00 Ltd"),
    (Organization, "name", "Bell\x07 Ltd"),
    (Organization, "registered_capital_amount", "-1"),
    (Organization, "registered_capital_amount", "99999999999999999"),
    (Organization, "established", "0001-01-01"),
]


def parkos_models():
    return [m for m in apps.get_models() if m.__module__.startswith("parkos.")]


class EveryFieldIsBoundedTests(TestCase):
    """A new model gets the bounds without asking; this fails when one does not."""

    def test_every_number_date_and_text_field_carries_its_bounds(self):
        missing = []
        for model in parkos_models():
            for field in model._meta.local_fields:
                kinds = {type(v) for v in field.validators}
                if isinstance(field, models.DecimalField | models.DateField):
                    wanted = {LowerBoundValidator, UpperBoundValidator}
                elif isinstance(field, models.CharField | models.TextField):
                    wanted = {NoControlCharactersValidator}
                else:
                    continue
                if not wanted <= kinds:
                    missing.append(f"{model._meta.label}.{field.name}")
        self.assertEqual(missing, [])

    def test_money_and_areas_are_never_negative(self):
        for model in parkos_models():
            for field in model._meta.local_fields:
                if isinstance(field, MoneyAmountField | AreaField):
                    with self.subTest(field=f"{model._meta.label}.{field.name}"):
                        self.assertEqual(decimal_bounds(field)[0], 0)

    def test_a_decimal_keeps_at_most_fifteen_digits_the_most_sqlite_gives_back_exactly(self):
        self.assertEqual(
            decimal_bounds(MoneyAmountField(max_digits=20, decimal_places=2)),
            (Decimal("0.00"), Decimal("9999999999999.99")),
        )
        self.assertEqual(decimal_bounds(AreaField())[1], Decimal("999999999999.99"))
        self.assertEqual(
            decimal_bounds(models.DecimalField(max_digits=5, decimal_places=2)), (Decimal("-999.99"), Decimal("999.99"))
        )

    def test_the_message_names_the_range(self):
        field = Lease._meta.get_field("rent_amount")
        with self.assertRaises(ValidationError) as caught:
            field.run_validators(Decimal("10000000000000"))
        self.assertEqual(caught.exception.messages, ["Enter a value between 0.00 and 9,999,999,999,999.99."])
        with translation.override("zh-hans"), self.assertRaises(ValidationError) as caught:
            field.run_validators(Decimal("-1"))
        with translation.override("zh-hans"):
            self.assertEqual(caught.exception.messages, ["请输入 0.00 至 9,999,999,999,999.99 之间的数值。"])

    def test_multiline_text_keeps_tabs_and_line_breaks(self):
        NoControlCharactersValidator(multiline=True)("line one\r\n\tline two")
        for text in ("a\x00b", "a\x1bb", "a\ud800b"):
            with self.assertRaises(ValidationError):
                NoControlCharactersValidator(multiline=True)(text)
        with self.assertRaises(ValidationError):
            NoControlCharactersValidator()("one\nline")


class OutOfBoundsInputTests(TestCase):
    """Each value of OUT_OF_BOUNDS through each channel: a 400 or an error at the field or row; nothing saved."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.objects = {
            Lease: leasing_tests.lease_for(cls.world, "in"),
            Organization: directory_tests.OrganizationTests.make(cls.world, "in"),
        }

    def setUp(self):
        self.admin = self.world.users["operator_admin"]
        self.client.force_login(self.admin)
        self.api = APIClient()
        self.api.force_authenticate(self.admin)

    def form_data(self, model) -> dict:
        if model is Lease:
            return leasing_tests.LeaseTests.form_data(self.world)
        return {**directory_tests.OrganizationTests.form_data}

    def csv_rows(self, model) -> list[dict]:
        suite = leasing_tests.LeaseTests if model is Lease else directory_tests.OrganizationTests
        return list(csv.DictReader(io.StringIO(suite.csv_rows(self.world))))

    def test_form_refuses_at_the_field(self):
        for model, field, value in OUT_OF_BOUNDS:
            with self.subTest(model=model.__name__, field=field, value=value):
                count = model.objects.count()
                data = {**self.form_data(model), field: value}
                response = self.client.post(reverse(model.url_name("add")), data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)
                self.assertEqual(model.objects.count(), count)

    def test_api_patch_refuses_with_a_400_at_the_field(self):
        for model, field, value in OUT_OF_BOUNDS:
            with self.subTest(model=model.__name__, field=field, value=value):
                obj = self.objects[model]
                before = model.objects.filter(pk=obj.pk).values().get()
                url = reverse(f"{model._meta.app_label}-api:{model._meta.model_name}-detail", kwargs={"pk": obj.pk})
                response = self.api.patch(url, {field: value}, format="json")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())
                self.assertEqual(model.objects.filter(pk=obj.pk).values().get(), before)
                self.assertEqual(self.api.get(url).status_code, 200)

    def test_import_refuses_the_row_at_the_column(self):
        for model, field, value in OUT_OF_BOUNDS:
            with self.subTest(model=model.__name__, field=field, value=value):
                rows = self.csv_rows(model)
                rows[0][field] = value
                if field == "registered_capital_amount":
                    for row in rows:
                        row.setdefault("registered_capital_currency", "CNY")
                out = io.StringIO()
                writer = csv.DictWriter(out, fieldnames=list(rows[0]), restval="")
                writer.writeheader()
                writer.writerows(rows)
                count = model.objects.count()
                upload = io.BytesIO(out.getvalue().encode("utf-8"))
                upload.name = "rows.csv"
                response = self.client.post(reverse(model.url_name("import")), {"file": upload})
                self.assertEqual(response.status_code, 400)
                errors = [(e.row, e.field) for e in response.context["report"].errors]
                self.assertIn((1, field), errors)
                self.assertEqual(model.objects.count(), count)

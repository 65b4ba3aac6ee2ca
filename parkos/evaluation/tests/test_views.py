"""Standard suites for the evaluation models people edit: indicator filings and schemes."""

import json

from parkos.core.testing import StandardModelTests, csv_text
from parkos.evaluation.models import EvaluationScheme, IndicatorFiling
from parkos.evaluation.scheme import default_schemes
from parkos.evaluation.tests.helpers import credit_code, give_credit_codes, load_scheme

#: filings: the officer and the admin everything in scope, other staff read their parks, the enterprise its own
FILINGS_VISIBLE = {
    "operator_admin": "all",
    "evaluation_officer": "in",
    "park_manager": "in",
    "investment_staff": "in",
    "enterprise_user": "in",
}
FILINGS_EDITABLE = {"operator_admin": "all", "evaluation_officer": "in", "enterprise_user": "in"}
SCHEMES_VISIBLE = {
    "operator_admin": "all",
    "evaluation_officer": "all",
    "park_manager": "all",
    "investment_staff": "all",
}


class IndicatorFilingTests(StandardModelTests):
    model = IndicatorFiling
    visible_to = FILINGS_VISIBLE
    editable_by = FILINGS_EDITABLE
    update_data = {"tax": "123456.00"}
    invalid_data = [("year", "1800"), ("land_area", "12 acres"), ("employees", "-3")]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_credit_codes(cls.world)

    @classmethod
    def make(cls, world, side):
        return IndicatorFiling.objects.create(
            organization=world.org[side], year=2000 + world.seq(), park=world.park[side], tax=1000
        )

    @staticmethod
    def form_data(world):
        return {
            "organization": world.org["in"].pk,
            "year": 2024,
            "park": world.park["in"].pk,
            "tax": "500000",
            "land_area": "15 mu",
            "land_rule": "own",
        }

    @staticmethod
    def csv_rows(world):
        code = credit_code(1)
        return csv_text(
            [
                {"organization": code, "year": 1990, "park": "park-in", "tax": "1000", "land_area": "10 mu"},
                {"organization": code, "year": 1991, "park": "park-in", "tax": "2000", "land_area": ""},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return f"{credit_code(1)},1992,park-nowhere,1,", "park"

    @staticmethod
    def api_data(world):
        return {"organization": world.org["in"].pk, "year": 2030, "park": world.park["in"].pk, "tax": "10.00"}

    def test_form_records_the_source_of_each_value(self):
        from django.test import Client

        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        data = {**self.form_data_for(self.obj_in), "revenue": "99000"}
        response = client.post(self.url("edit", self.obj_in), data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors
        )
        self.obj_in.refresh_from_db()
        self.assertEqual(self.obj_in.sources["revenue"], "enterprise")
        data = {**self.form_data_for(self.obj_in), "tax": "77"}
        self.client.post(self.url("edit", self.obj_in), data)
        self.obj_in.refresh_from_db()
        self.assertEqual(self.obj_in.sources["tax"], "staff")
        self.assertEqual(self.obj_in.sources["revenue"], "enterprise")

    def test_one_filing_per_enterprise_and_year(self):
        response = self.client.post(self.url("add"), {**self.form_data(self.world), "year": self.obj_in.year})
        self.assertEqual(response.status_code, 400)

    def test_enterprise_user_cannot_file_for_another_enterprise(self):
        from django.test import Client

        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        data = {**self.form_data(self.world), "organization": self.world.org["out"].pk, "year": 2031}
        response = client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(IndicatorFiling.objects.filter(year=2031).exists())


def scheme_csv(world):
    rows = []
    for version, key in ((7, "zhejiang_above_threshold"), (7, "zhejiang_below_threshold")):
        definition = default_schemes()[key].to_dict()
        definition["version"] = version
        rows.append(
            {
                "name": key,
                "version": version,
                "title": "",
                "description": "",
                "definition": json.dumps(definition, ensure_ascii=False),
            }
        )
    return csv_text(rows)


class EvaluationSchemeTests(StandardModelTests):
    model = EvaluationScheme
    visible_to = SCHEMES_VISIBLE
    editable_by = {"operator_admin": "all", "evaluation_officer": "all"}
    update_data = {"title": "District method 2025"}
    invalid_data = [("definition", "{not json"), ("definition", '{"key": "x"}')]

    @classmethod
    def make(cls, world, side):
        return load_scheme("zhejiang_above_threshold", version=world.seq() + 10)

    @staticmethod
    def form_data(world):
        definition = default_schemes()["zhejiang_below_threshold"].to_dict()
        definition["version"] = 99
        return {"definition": json.dumps(definition), "title": "", "description": ""}

    csv_rows = staticmethod(scheme_csv)

    @staticmethod
    def csv_bad_row(world):
        return 'zhejiang_x,3,,,"{""key"": ""zhejiang_x""}"', "definition"

    @staticmethod
    def api_data(world):
        definition = default_schemes()["zhejiang_below_threshold"].to_dict()
        definition["version"] = 50
        return {"definition": definition}

    def test_name_and_version_come_from_the_definition(self):
        scheme = EvaluationScheme.objects.get(pk=self.obj_in.pk)
        self.assertEqual(scheme.name, "zhejiang_above_threshold")
        self.assertEqual(scheme.version, scheme.definition["version"])

    def test_error_names_the_part_of_the_scheme_at_fault(self):
        definition = default_schemes()["zhejiang_below_threshold"].to_dict()
        definition["indicators"][0]["weight"] = -1
        response = self.client.post(self.url("add"), {"definition": json.dumps(definition)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("weight", " ".join(response.context["form"].errors["definition"]))

    def test_export_file_imports_back(self):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        response = self.client.get(reverse("evaluation:evaluationscheme_export", args=[self.obj_in.pk]))
        self.assertEqual(response.status_code, 200)
        definition = json.loads(response.content)
        definition["version"] = 500
        upload = SimpleUploadedFile("s.json", json.dumps(definition).encode())
        response = self.client.post(reverse("evaluation:evaluationscheme_import_file"), {"file": upload})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(EvaluationScheme.objects.filter(name=self.obj_in.name, version=500).exists())

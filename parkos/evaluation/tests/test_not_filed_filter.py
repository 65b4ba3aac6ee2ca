"""The indicator filings' "has not filed for" filter (the evaluation officer's home links to it)."""

from django.test import TestCase

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.filtersets import IndicatorFilingFilterSet
from parkos.evaluation.models import IndicatorFiling


class NotFiledFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        world = World.build()
        cls.filed_both, cls.filed_last_only = (Organization.objects.create(name=f"Filer {n}") for n in (1, 2))
        for organization, years in ((cls.filed_both, (2025, 2026)), (cls.filed_last_only, (2025,))):
            for year in years:
                IndicatorFiling.objects.create(
                    organization=organization, year=year, park=world.park["in"], parcel=world.parcel["in"]
                )

    def filtered(self, data: dict) -> set[tuple[str, int]]:
        filterset = IndicatorFilingFilterSet(data, queryset=IndicatorFiling.objects.all())
        self.assertTrue(filterset.is_valid(), filterset.errors)
        return {(f.organization.name, f.year) for f in filterset.qs}

    def test_last_years_filings_of_enterprises_missing_this_year(self):
        self.assertEqual(self.filtered({"year": 2025, "not_filed_in": 2026}), {("Filer 2", 2025)})

    def test_a_year_nobody_filed_for_leaves_every_filing(self):
        self.assertEqual(len(self.filtered({"not_filed_in": 2030})), 3)

    def test_a_year_that_is_not_a_number_is_a_field_error_not_a_500(self):
        filterset = IndicatorFilingFilterSet({"not_filed_in": "next"}, queryset=IndicatorFiling.objects.all())
        self.assertFalse(filterset.is_valid())
        self.assertIn("not_filed_in", filterset.errors)

"""Filter labels follow the reader's language, even after the API schema was generated in another one."""

from django.test import SimpleTestCase
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from parkos.parks.filtersets import LandParcelFilterSet


class FilterLabelTests(SimpleTestCase):
    def test_a_choice_filter_reads_in_zh_hans_after_the_schema_built_its_fields(self):
        SchemaGenerator().get_schema(request=None, public=True)  # builds form fields on the class's filters
        with translation.override("zh-hans"):
            self.assertEqual(LandParcelFilterSet().form["land_use"].label, "土地用途")
        with translation.override("en"):
            self.assertEqual(LandParcelFilterSet().form["land_use"].label, "Land use")

"""Pages that show JSON fields which are not geometry (a filing's sources) read them as text."""

from django.test import TestCase

from parkos.core.testing import World
from parkos.evaluation.models import IndicatorFiling


class FilingDetailTests(TestCase):
    def test_sources_show_as_field_and_source(self):
        world = World.build()
        filing = IndicatorFiling.objects.create(
            organization=world.org["in"], year=2025, park=world.park["in"], tax=120, sources={"tax": "tax"}
        )
        self.client.force_login(world.users["operator_admin"])
        response = self.client.get(filing.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<span class="text-secondary">tax</span>: tax', html=False)

"""Issue 12 #9: uploaded files answer only through their permission-checked download views, in every mode.

The URLconf is loaded afresh with DEBUG on (as `make demo` runs), so a debug-only media route would show.
"""

import importlib.util
import sys

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

import parkos.urls
from parkos.core.testing import World
from parkos.investment.models import AgreementDocument
from parkos.investment.tests.test_views import agreement_for

DEBUG_URLCONF = "parkos_urls_loaded_in_debug"


def load_urls_in_debug() -> None:
    if DEBUG_URLCONF in sys.modules:
        return
    with override_settings(DEBUG=True):
        spec = importlib.util.spec_from_file_location(DEBUG_URLCONF, parkos.urls.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    sys.modules[DEBUG_URLCONF] = module


class MediaIsNotServedByURLTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.document = AgreementDocument.objects.create(
            agreement=agreement_for(cls.world, "in"),
            title="Signed minutes",
            file=SimpleUploadedFile("minutes-park-in-P-in.txt", b"confidential minutes"),
        )

    def setUp(self):
        load_urls_in_debug()

    def test_a_real_uploaded_file_answers_404_at_its_media_url_in_debug(self):
        self.assertTrue(self.document.file.storage.exists(self.document.file.name))
        media_path = f"/media/{self.document.file.name}"
        for role in ("operator_admin", "service_staff", "enterprise_user"):
            self.client.force_login(self.world.users[role])
            with self.subTest(role=role), override_settings(DEBUG=True, ROOT_URLCONF=DEBUG_URLCONF):
                self.assertEqual(self.client.get(media_path).status_code, 404)

    def test_the_permission_checked_download_still_serves_it(self):
        url = reverse("investment:agreementdocument_download", kwargs={"pk": self.document.pk})
        self.client.force_login(self.world.users["operator_admin"])
        with override_settings(DEBUG=True, ROOT_URLCONF=DEBUG_URLCONF):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(b"".join(response.streaming_content), b"confidential minutes")
        self.client.force_login(self.world.users["service_staff"])
        with override_settings(DEBUG=True, ROOT_URLCONF=DEBUG_URLCONF):
            self.assertEqual(self.client.get(url).status_code, 404)

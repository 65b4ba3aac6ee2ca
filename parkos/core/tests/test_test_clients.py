"""The test clients share one middleware chain (conftest.py), yet each request still runs the whole chain.

Building the chain walks every static file (WhiteNoise, with DEBUG off as in tests); sharing it made the standard
suites several times cheaper. These tests pin what the sharing must keep: one chain built once, a changed setting
building a new one, and each client's own CSRF switch.
"""

import os
import unittest

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from parkos.core.testing import World

SHARED = os.environ.get("PARKOS_TEST_CHAIN_PER_CLIENT") != "1"


@unittest.skipUnless(SHARED, "PARKOS_TEST_CHAIN_PER_CLIENT=1 builds a chain per client")
class SharedMiddlewareChainTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_two_clients_run_the_same_chain(self):
        first, second = Client(), Client()
        first.get(reverse("login"))
        second.get(reverse("login"))
        self.assertIs(first.handler._middleware_chain, second.handler._middleware_chain)

    def test_a_changed_setting_builds_a_new_chain_that_reads_it(self):
        before = Client()
        self.assertEqual(before.get(reverse("login"))["Referrer-Policy"], "same-origin")
        # SecurityMiddleware reads the policy when it is built: a kept chain would still send the old one
        with override_settings(SECURE_REFERRER_POLICY="no-referrer"):
            during = Client()
            self.assertEqual(during.get(reverse("login"))["Referrer-Policy"], "no-referrer")
            self.assertIsNot(during.handler._middleware_chain, before.handler._middleware_chain)
        after = Client()
        self.assertEqual(after.get(reverse("login"))["Referrer-Policy"], "same-origin")

    def test_each_client_keeps_its_own_csrf_switch(self):
        lenient, strict = Client(), Client(enforce_csrf_checks=True)
        user = self.world.users["operator_admin"]
        lenient.force_login(user)
        strict.force_login(user)
        url = reverse("logout")
        self.assertEqual(lenient.post(url).status_code, 302)
        self.assertEqual(strict.post(url).status_code, 403)

    def test_every_request_still_passes_the_middleware(self):
        """Login is required by a middleware: an anonymous client after a signed-in one is still sent away."""
        from parkos.directory.models import Organization

        url = reverse(Organization.url_name("list"))
        signed_in, anonymous = Client(), Client()
        signed_in.force_login(self.world.users["operator_admin"])
        self.assertEqual(signed_in.get(url).status_code, 200)
        response = anonymous.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

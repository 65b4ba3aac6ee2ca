"""A request that waited out SQLite's busy timeout behind a long import answers 503 with a page, never a 500."""

from unittest import mock

from django.db import OperationalError
from django.test import TestCase
from django.urls import reverse

from parkos.users.models import User


class DatabaseBusyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user(username="busy", password="a-long-test-password")

    def test_a_sign_in_behind_a_long_write_says_busy_and_to_retry(self):
        with mock.patch("django.contrib.auth.views.auth_login", side_effect=OperationalError("database is locked")):
            response = self.client.post(
                reverse("login"),
                {"username": "busy", "password": "a-long-test-password"},
                HTTP_ACCEPT_LANGUAGE="zh-hans",
            )
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "60")
        self.assertContains(response, 'id="busy"', status_code=503)

    def test_other_database_errors_are_not_hidden(self):
        with (
            mock.patch("django.contrib.auth.views.auth_login", side_effect=OperationalError("disk I/O error")),
            self.assertRaises(OperationalError),
        ):
            self.client.post(reverse("login"), {"username": "busy", "password": "a-long-test-password"})

"""Request ids: taken from the proxy when safe, made otherwise, on the response and on every log record."""

import io
import json
import logging
import logging.config
import re

from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.test.utils import override_settings
from django.urls import path

from parkos.core.requestlog import RequestIdFilter, incoming_id, request_id
from parkos.users.models import User


def logging_view(request):
    from django.http import JsonResponse

    logging.getLogger("parkos.test").warning("inside the view")
    return JsonResponse({"id": request_id.get()})


urlpatterns = [path("log/", logging_view)]


class CapturedLogs:
    """The project's LOGGING handler settings, written to a string, as JSON or text."""

    def __init__(self, fmt: str) -> None:
        self.stream = io.StringIO()
        formatter_config = settings.LOGGING["formatters"][fmt]
        factory = formatter_config.get("()")
        if factory:
            from django.utils.module_loading import import_string

            kwargs = {k: v for k, v in formatter_config.items() if k != "()"}
            formatter = import_string(factory)(**kwargs)
        else:
            formatter = logging.Formatter(formatter_config["format"])
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(formatter)
        self.handler.addFilter(RequestIdFilter())

    def __enter__(self) -> "CapturedLogs":
        root = logging.getLogger()
        self.level = root.level
        root.addHandler(self.handler)
        root.setLevel(logging.INFO)
        self.access_level = logging.getLogger("parkos.request").level
        logging.getLogger("parkos.request").setLevel(logging.INFO)  # as in production
        return self

    def __exit__(self, *exc: object) -> None:
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self.level)
        logging.getLogger("parkos.request").setLevel(self.access_level)

    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()


class IncomingIdTests(SimpleTestCase):
    def test_a_safe_id_from_the_proxy_is_kept(self):
        self.assertEqual(incoming_id("0af7651916cd43dd8448eb211c80319c"), "0af7651916cd43dd8448eb211c80319c")
        self.assertEqual(incoming_id("req-1.2:3_x"), "req-1.2:3_x")

    def test_an_unsafe_or_long_id_is_replaced(self):
        for bad in ("", "a" * 65, "abc def", 'x"}\n{"level":"ERROR"', "编号"):
            made = incoming_id(bad)
            self.assertNotEqual(made, bad)
            self.assertRegex(made, r"^[0-9a-f]{32}$")


@override_settings(ROOT_URLCONF="parkos.core.tests.test_requestlog")
class RequestIdTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user(username="logs", password="a-long-test-password")

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_proxy_id_is_on_the_response_and_in_every_log_line_as_json(self):
        with CapturedLogs("json") as logs:
            response = self.client.get("/log/", HTTP_X_REQUEST_ID="abc-123")
        self.assertEqual(response["X-Request-ID"], "abc-123")
        self.assertEqual(response.json(), {"id": "abc-123"})
        records = [json.loads(line) for line in logs.lines()]  # one JSON object per line
        view_line = next(r for r in records if r["message"] == "inside the view")
        self.assertEqual(
            (view_line["request_id"], view_line["level"], view_line["logger"]), ("abc-123", "WARNING", "parkos.test")
        )
        access = next(r for r in records if r["logger"] == "parkos.request")
        self.assertEqual((access["request_id"], access["status"], access["path"]), ("abc-123", 200, "/log/"))
        self.assertIn("duration_ms", access)
        self.assertEqual(request_id.get(), "-")  # nothing leaks into the next request

    def test_without_a_proxy_id_one_is_made_and_logged_as_text(self):
        with CapturedLogs("text") as logs:
            response = self.client.get("/log/", HTTP_X_REQUEST_ID="bad id\nforged")
        made = response["X-Request-ID"]
        self.assertRegex(made, r"^[0-9a-f]{32}$")
        self.assertTrue(any(re.search(rf"\[{made}\] inside the view$", line) for line in logs.lines()))
        self.assertNotIn("forged", logs.stream.getvalue())


class LoggingSettingTests(TestCase):
    def test_every_page_carries_an_id(self):
        self.assertRegex(self.client.get("/login/")["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertRegex(self.client.get("/parks/")["X-Request-ID"], r"^[0-9a-f]{32}$")  # the login redirect too

    def test_the_logging_setting_loads(self):
        logging.config.dictConfig(settings.LOGGING)
        handler = logging.getLogger().handlers[0]
        self.assertTrue(any(isinstance(f, RequestIdFilter) for f in handler.filters))

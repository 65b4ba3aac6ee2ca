"""The json_data filter: the data of maps and charts, as Django's json_script reads it, in fewer bytes."""

import json
import re

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils.html import json_script
from django.utils.translation import gettext_lazy

from parkos.core.templatetags.parkos import json_data

VALUE = {
    "park": "临港新片区",
    "reasons": [gettext_lazy("Idle"), "tax per mu 低于基准"],
    "hostile": "</script><script>alert(1)</script> & more",
    "area": 12.5,
}


def script_body(html: str) -> str:
    return re.fullmatch(r'<script id="data" type="application/json">(.*)</script>', html, re.S).group(1)


class JsonDataTests(SimpleTestCase):
    def test_reads_as_the_same_value_as_json_script(self):
        ours, djangos = json_data(VALUE, "data"), json_script(VALUE, "data")
        self.assertEqual(json.loads(script_body(ours)), json.loads(script_body(djangos)))

    def test_cannot_close_its_script_element(self):
        body = script_body(json_data(VALUE, "data"))
        self.assertNotIn("<", body)
        self.assertNotIn(">", body)
        self.assertNotIn("&", body)
        self.assertEqual(json.loads(body)["hostile"], VALUE["hostile"])

    def test_writes_chinese_in_utf8(self):
        html = json_data(VALUE, "data")
        self.assertIn("临港新片区", html)
        self.assertLess(len(html.encode()), len(json_script(VALUE, "data").encode()))

    def test_in_a_template(self):
        html = Template('{% load parkos %}{{ value|json_data:"data" }}').render(Context({"value": VALUE}))
        self.assertEqual(json.loads(script_body(html))["park"], "临港新片区")

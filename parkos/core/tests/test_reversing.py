"""Issue 16: URLs reversed once per URL name (core.reversing) read as Django's ``reverse`` gives them."""

from django.apps import apps
from django.test import SimpleTestCase
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from parkos.core import reversing
from parkos.core.models import PrimaryModel


class ReversingTests(SimpleTestCase):
    def test_every_models_pages_reverse_as_django_does(self):
        models = [m for m in apps.get_models() if issubclass(m, PrimaryModel)]
        self.assertGreater(len(models), 30)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for model in models:
                    name = model.url_name()
                    for pk in (1, 42, 1234567890):
                        self.assertEqual(reversing.reverse_pk(name, pk), reverse(name, kwargs={"pk": pk}))
                    self.assertEqual(reversing.reverse_name(model.url_name("list")), reverse(model.url_name("list")))
                    self.assertEqual(model(pk=7).get_absolute_url(), reverse(name, kwargs={"pk": 7}))

    def test_keys_django_would_refuse_are_refused(self):
        name = apps.get_model("parks", "Park").url_name()
        with self.assertRaises(NoReverseMatch):
            reversing.reverse_pk(name, -1)
        with self.assertRaises(NoReverseMatch):
            reversing.reverse_pk(name, "abc")
        with self.assertRaises(NoReverseMatch):
            reversing.reverse_name("no-such-page")

    def test_a_script_prefix_is_part_of_the_path(self):
        name = apps.get_model("parks", "Park").url_name()
        try:
            set_script_prefix("/parkos/")
            self.assertEqual(reversing.reverse_pk(name, 3), reverse(name, kwargs={"pk": 3}))
            self.assertTrue(reversing.reverse_pk(name, 3).startswith("/parkos/"))
        finally:
            set_script_prefix("/")
        self.assertFalse(reversing.reverse_pk(name, 3).startswith("/parkos/"))

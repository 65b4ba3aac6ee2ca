"""Issue 16: selects written by ``core.renderers`` without a template per option, and the same HTML as Django's
templates, in every language."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import AnyYesNoWidget, ObjectChangeFilterSet
from parkos.core.renderers import FormRenderer, render_select
from parkos.core.testing import World

CHOICES = [
    ("", "---------"),
    ("a", _("Active")),
    ("b<&>", 'Quote " and <tag> & amp'),
    (3, 1234567),
    (Decimal("2.50"), Decimal("1234.5")),
    ("d", datetime.date(2026, 12, 7)),
    ("safe", mark_safe("<b>bold</b>")),
    (_("Land"), [("l1", _("Industrial")), ("l2", _("Commercial"))]),
    ("", [("e1", "Empty group name")]),
]


class TemplatesOnly(DjangoTemplates):
    """Django's own renderer: the reference."""


class SelectRenderingTests(SimpleTestCase):
    def assertSameHtml(self, widget, name, value, attrs=None):
        for language in ("en", "zh-hans"):
            with translation.override(language):
                ours = widget.render(name, value, attrs, renderer=FormRenderer())
                theirs = widget.render(name, value, attrs, renderer=TemplatesOnly())
                self.assertEqual(ours, theirs, f"{language}: {widget!r} {value!r}")

    def test_every_page_renders_forms_with_it(self):
        self.assertEqual(settings.FORM_RENDERER, "parkos.core.renderers.FormRenderer")

    def test_select_with_groups_escaping_numbers_dates_and_lazy_labels(self):
        widget = forms.Select(choices=CHOICES, attrs={"class": "form-select", "data-x": 'a"b', "required": True})
        for value in ("a", "b<&>", 3, Decimal("2.50"), "l2", None, "missing"):
            self.assertSameHtml(widget, "state", value)
        self.assertSameHtml(widget, "state", "a", attrs={"id": "id_state", "disabled": False, "tabindex": 0})
        html = widget.render("state", "l2", renderer=FormRenderer())
        self.assertIn('<option value="b&lt;&amp;&gt;">Quote &quot; and &lt;tag&gt; &amp; amp</option>', html)
        self.assertIn('<option value="l2" selected>Commercial</option>', html)
        self.assertIn("<b>bold</b>", html)
        self.assertNotIn(" disabled", widget.render("state", "a", {"disabled": False}, renderer=FormRenderer()))
        self.assertEqual(render_select(widget.get_context("state", "l2", None)["widget"]), html)  # no fallback

    def test_multiple_null_boolean_and_yes_no_any(self):
        self.assertSameHtml(forms.SelectMultiple(choices=CHOICES), "kinds", ["a", "l1", 3])
        self.assertSameHtml(forms.NullBooleanSelect(), "flag", True)
        self.assertSameHtml(forms.NullBooleanSelect(), "flag", None)
        self.assertSameHtml(AnyYesNoWidget(attrs={"class": "form-select"}), "vacant", "false")

    def test_a_select_with_its_own_option_template_keeps_the_templates(self):
        class Custom(forms.Select):
            option_template_name = "django/forms/widgets/input_option.html"

        widget = Custom(choices=[("a", "A")])
        self.assertEqual(
            widget.render("x", "a", renderer=FormRenderer()), widget.render("x", "a", renderer=TemplatesOnly())
        )
        self.assertIn('type="select"', widget.render("x", "a", renderer=FormRenderer()))

    def test_a_callable_label_is_left_to_the_templates(self):
        widget = forms.Select(choices=[("a", lambda: "called")])
        self.assertIn(">called</option>", widget.render("x", "a", renderer=FormRenderer()))


class FilterFormRenderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_filter_forms_render_as_with_the_templates(self):
        from parkos.core.models import ObjectChange
        from parkos.parks.filtersets import LandParcelFilterSet
        from parkos.parks.models import LandParcel, Park

        user = self.world.users["operator_admin"]
        request = type("Request", (), {"user": user})()
        park = Park.objects.order_by("pk").first()
        forms_to_render = [
            lambda: (
                ObjectChangeFilterSet(
                    {"action": "update", "q": "<x>"}, queryset=ObjectChange.objects.all(), request=request
                ).form
            ),
            lambda: LandParcelFilterSet({"park": [park.pk]}, queryset=LandParcel.objects.all(), request=request).form,
        ]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for make_form in forms_to_render:
                    form = make_form()
                    ours = "".join(str(field) for field in form)
                    form.renderer = TemplatesOnly()
                    theirs = "".join(str(field) for field in form)
                    self.assertEqual(ours, theirs, language)
                    self.assertIn("<option value", ours)
                    self.assertIn(" selected>", ours)

    def test_a_list_page_still_shows_a_filters_error_beside_its_select(self):
        self.client.force_login(self.world.users["operator_admin"])
        response = self.client.get(reverse("changelog"), {"action": "bogus"})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('data-field="action"', html)  # the field's error
        self.assertIn(
            '<select name="action" class="form-select" aria-invalid="true" aria-describedby="id_action_error"', html
        )
        self.assertIn('<option value="update">', html)


class FieldHtmlTests(SimpleTestCase):
    """Issue 16: a list page's filter card writes its fields with core.forms.fields_html, as
    core/includes/form_field.html did: labels, required marks, checkboxes, hidden fields, errors and help."""

    class Sample(forms.Form):
        name = forms.CharField(label=_("Name"), help_text="At most <b>40</b> characters & no tags", max_length=40)
        kind = forms.ChoiceField(choices=CHOICES[:4], required=False)
        active = forms.BooleanField(required=False, label="Active?")
        count = forms.IntegerField(required=False, min_value=0)
        token = forms.CharField(widget=forms.HiddenInput, required=False)

    def test_fields_read_as_the_include_wrote_them(self):
        from django.template import Context, Template

        from parkos.core.forms import fields_html

        template = Template('{% for field in form %}{% include "core/includes/form_field.html" %}{% endfor %}')
        data = {"name": "x" * 41, "kind": "nope", "active": "on", "count": "-3", "token": '"t"'}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for form in (self.Sample(), self.Sample(data), self.Sample({"name": "ok", "count": "2"})):
                    ours = fields_html(form, Context({}))
                    self.assertEqual(ours, template.render(Context({"form": form})), language)
        self.assertIn('data-field="count"', fields_html(self.Sample(data), Context({})))
        self.assertIn("form-check", ours)
        self.assertIn("&lt;b&gt;40&lt;/b&gt;", ours)

"""Issue 16: filter selects read only the columns their labels need and write their options in one loop
(core.forms.write_options_in_python), with the same HTML as Django's own iterator, widgets and templates, in every
language, and the same options for every user (a park manager sees only their parks)."""

from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from parkos.core.forms import LabelRowsIterator, OptionsWrittenInPython, label_columns
from parkos.core.permissions import Scope
from parkos.core.testing import World


class TemplatesOnly(DjangoTemplates):
    """Django's own renderer: the reference."""


def old_rendering(form: forms.BaseForm) -> str:
    """``form`` as it rendered before: Django's choice iterator (full rows), widget and templates."""
    for field in form.fields.values():
        if "iterator" in field.__dict__:
            del field.__dict__["iterator"]
            field.widget.choices = field.choices
        widget = field.widget
        if isinstance(widget, OptionsWrittenInPython):
            widget.__class__ = next(c for c in type(widget).__mro__ if not issubclass(c, OptionsWrittenInPython))
    form.renderer = TemplatesOnly()
    return "".join(str(field) for field in form)


def new_rendering(form: forms.BaseForm) -> str:
    return "".join(str(field) for field in form)


class LabelColumnsTests(SimpleTestCase):
    def test_the_columns_a_label_reads(self):
        from parkos.directory.models import Position
        from parkos.parks.models import Building, LandParcel, Park
        from parkos.policies.models import Certification

        self.assertEqual(label_columns(Park), (("name",), True))  # the label is the column
        self.assertEqual(label_columns(Building), (("code", "name"), False))  # f"{self.code} {self.name}"
        self.assertEqual(label_columns(Certification), (("title", "kind"), False))  # get_kind_display()
        self.assertIsNone(label_columns(LandParcel))  # reads the park's name: a related record
        self.assertIsNone(label_columns(Position))  # str() of related records


class FilterSelectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from parkos.parks.models import Park, ParkBrand

        cls.world = World.build()
        cls.quoted = Park.objects.create(
            code="park-q",
            name='Park "Q" & <R> \'s',
            brand=ParkBrand.objects.create(code="brand-q", name='Brand <&> "q"'),
            district="District",
            land_area=1_000,
        )
        cls.admin = cls.world.users["operator_admin"]
        cls.manager = cls.world.scoped_users(Scope.PARKS)[0]

    def request(self, user):
        return type("Request", (), {"user": user})()

    def forms_for(self, user):
        """Report and list filter forms with single and multiple selects, chosen and not."""
        from parkos.directory.filtersets import OrganizationFilterSet
        from parkos.directory.models import Organization
        from parkos.investment.filtersets import ProjectFilterSet
        from parkos.investment.models import Project
        from parkos.leasing.filtersets import LeaseFilterSet
        from parkos.leasing.models import Lease
        from parkos.leasing.reports import FiguresFilterForm

        parks = [self.world.park["in"].pk, self.quoted.pk]
        request = self.request(user)
        return [
            lambda: FiguresFilterForm({}, user=user),
            lambda: FiguresFilterForm({"park": self.quoted.pk, "brand": self.quoted.brand_id}, user=user),
            lambda: LeaseFilterSet({}, queryset=Lease.objects.all(), request=request).form,
            lambda: (
                LeaseFilterSet({"park": parks, "holding": "true"}, queryset=Lease.objects.all(), request=request).form
            ),
            lambda: ProjectFilterSet({"park": parks}, queryset=Project.objects.all(), request=request).form,
            lambda: (
                OrganizationFilterSet({"kind": "enterprise"}, queryset=Organization.objects.all(), request=request).form
            ),
        ]

    def test_the_same_html_as_django_in_every_language(self):
        for user in (self.admin, self.manager):
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    for make_form in self.forms_for(user):
                        form = make_form()
                        ours = new_rendering(form)
                        self.assertEqual(ours, old_rendering(make_form()), f"{user} {language} {type(form)}")
                        self.assertIn("<option", ours)
        ours = new_rendering(self.forms_for(self.admin)[3]())
        self.assertIn(
            f'<option value="{self.quoted.pk}" selected>Park &quot;Q&quot; &amp; &lt;R&gt; &#x27;s</option>', ours
        )
        self.assertIn(f'<option value="{self.world.park["in"].pk}" selected>Park in</option>', ours)

    def test_the_options_read_only_the_label_columns_in_one_query(self):
        form = self.forms_for(self.admin)[0]()
        self.assertIsInstance(form.fields["park"].widget.choices, LabelRowsIterator)
        self.assertIsInstance(form.fields["park"].widget, OptionsWrittenInPython)
        with CaptureQueriesContext(connection) as queries:
            html = str(form["park"])
        self.assertEqual(len(queries), 1)
        select = queries[0]["sql"].split(" FROM ")[0]
        self.assertIn('"name"', select)
        self.assertNotIn('"land_area"', select)
        self.assertIn('<option value="" selected>---------</option>', html)

    def test_a_park_manager_sees_only_their_parks(self):
        from parkos.parks.models import Park

        for make_form in self.forms_for(self.manager)[:4]:
            html = new_rendering(make_form())
            self.assertIn(f'value="{self.world.park["in"].pk}"', html)
            self.assertNotIn(f'value="{self.world.park["out"].pk}"', html)
            self.assertNotIn(f'value="{self.quoted.pk}"', html)
        visible = set(Park.objects.restrict(self.manager, "view").values_list("pk", flat=True))
        choices = {value for value, _label in self.forms_for(self.manager)[0]().fields["park"].choices if value}
        self.assertEqual(choices, visible)

    def test_a_field_with_its_own_labels_keeps_them(self):
        form = self.forms_for(self.admin)[0]()
        form.fields["park"].label_from_instance = lambda park: f"#{park.code}"
        self.assertIn(f'<option value="{self.quoted.pk}">#park-q</option>', str(form["park"]))

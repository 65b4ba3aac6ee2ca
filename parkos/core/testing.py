"""Shared test machinery: a small world of two sides, a user per role, and the standard model tests.

A model gets its whole standard suite (list, search, sort, detail, history, create, edit, delete,
import good and bad files, export, API CRUD, query counts, permissions per role in UI, API,
search and export) by subclassing ``StandardModelTests`` and declaring:

    model             the model
    form_data         valid POST data for its add form (a dict, or a callable taking the world)
    update_data       changes for its edit form (merged over the object's current form data)
    invalid_data      (field, value) pairs that must each be refused at that field
    csv_rows          callable(world) -> CSV text (header + at least two good rows)
    csv_bad_row       callable(world) -> one data row that must be refused, and the column expected in the error
    api_data          callable(world) -> valid JSON body for POST to its API list
    visible_to        {role name: "all" | "in" | "none"} for viewing, the specification of its scope
    make_deletable(world) -> an object nothing protects (only if make() adds protected children)
    make(world, side) -> a new object that belongs to side "in" or "out" (see World); world.seq()
                      gives numbers for unique codes

Side "in" is what the scoped users are assigned to (park_in, org_in); side "out" is not theirs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django import forms
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.models import ObjectChange, PrimaryModel
from parkos.core.permissions import ROLES, Scope

if TYPE_CHECKING:
    import tablib
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

    from parkos.core.views.generic import ObjectViews
    from parkos.directory.models import Industry, Organization
    from parkos.parks.models import Building, LandParcel, Park, ParkBrand
    from parkos.users.models import User

PASSWORD = "a-long-test-password"

_T = TypeVar("_T")


def made_once_per_module(django_db_blocker: Any, make: Callable[[], _T]) -> Iterator[_T]:
    """The body of a module-scoped fixture: rows made once (a demo load) for all the tests of a module.

    They are made inside a transaction held open until the module's last test and then rolled back; each
    test that also asks for ``db`` runs in a savepoint inside it, so what one test changes is gone for the
    next, as with setUpTestData. A test of the module that does not ask for the fixture still sees the rows
    once it has been made: put such tests before the first one that asks for it.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield make()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@dataclass
class World:
    """Two of everything: the side a scoped user is assigned to ("in") and the other ("out")."""

    industry: Industry
    org: dict[str, Organization]
    brand: dict[str, ParkBrand]
    park: dict[str, Park]
    parcel: dict[str, LandParcel]
    building: dict[str, Building]
    users: dict[str, User]
    counter: int = 0

    def seq(self) -> int:
        self.counter += 1
        return self.counter

    def scoped_users(self, scope: Scope) -> list[User]:
        return [self.users[role.name] for role in ROLES if role.scope == scope]

    @classmethod
    def build(cls) -> World:
        from parkos.directory.models import Industry, Organization
        from parkos.parks.models import Building, LandParcel, Park, ParkBrand
        from parkos.users.models import User

        industry = Industry.objects.create(code="T-IC", name="Test circuits", name_en="Test circuits")
        org: dict[str, Organization] = {}
        brand: dict[str, ParkBrand] = {}
        park: dict[str, Park] = {}
        parcel: dict[str, LandParcel] = {}
        building: dict[str, Building] = {}
        for side in ("in", "out"):
            org[side] = Organization.objects.create(name=f"Org {side} Ltd", industry=industry)
            brand[side] = ParkBrand.objects.create(code=f"brand-{side}", name=f"Brand {side}")
            park[side] = Park.objects.create(
                code=f"park-{side}",
                name=f"Park {side}",
                brand=brand[side],
                district="District",
                land_area=1_000_000,
            )
            parcel[side] = LandParcel.objects.create(park=park[side], code=f"P-{side}", area=10_000, holder=org[side])
            building[side] = Building.objects.create(parcel=parcel[side], code=f"B-{side}", floor_area=5_000)
        users: dict[str, User] = {}
        for role in ROLES:
            user = User.objects.create_user(username=role.name, password=PASSWORD)
            user.groups.add(Group.objects.get(name=role.name))
            if role.scope == Scope.PARKS:
                user.parks.add(park["in"])
            elif role.scope == Scope.ORGANIZATION:
                user.organizations.add(org["in"])
            users[role.name] = user
        return cls(industry, org, brand, park, parcel, building, users)


def csv_text(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


#: model -> the standard suites that cover it, filled as each suite class is defined
STANDARD_SUITES: dict[type[models.Model], list[type[StandardModelTests]]] = {}


class StandardModelTests(TestCase):
    """The standard suite; subclasses declare the attributes listed in the module docstring."""

    __test__ = False  # the base itself is not a suite; each subclass that names a model is
    model: ClassVar[type[PrimaryModel]]
    # a dict, or a callable taking the world (a staticmethod or classmethod of the suite): see resolve()
    form_data: ClassVar[Any] = None
    update_data: ClassVar[Any] = {}
    invalid_data: ClassVar[list[tuple[str, object]]] = []
    # callable(world) -> CSV text; callable(world) -> (bad row, its column or None); callable(world) -> API body
    csv_rows: ClassVar[Any] = None
    csv_bad_row: ClassVar[Any] = None
    api_data: ClassVar[Any] = None
    visible_to: ClassVar[dict[str, str]] = {}
    editable_by: ClassVar[dict[str, str]] = {}
    addable_by: ClassVar[set[str] | None] = None

    # set by setUpTestData and setUp
    world: ClassVar[World]
    obj_in: ClassVar[PrimaryModel]
    obj_out: ClassVar[PrimaryModel]
    admin: User
    api: APIClient

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__test__ = "model" in cls.__dict__
        if cls.__test__:
            STANDARD_SUITES.setdefault(cls.model, []).append(cls)

    @classmethod
    def make(cls, world: World, side: str) -> PrimaryModel:
        raise NotImplementedError

    @classmethod
    def make_deletable(cls, world: World) -> PrimaryModel:
        """An object nothing protects from deletion; override when make() adds protected children."""
        return cls.make(world, "in")

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = World.build()
        cls.obj_in = cls.make(cls.world, "in")
        cls.obj_out = cls.make(cls.world, "out")

    def setUp(self) -> None:
        self.admin = self.world.users["operator_admin"]
        self.client.force_login(self.admin)
        self.api = APIClient()
        self.api.force_authenticate(self.admin)

    # --- helpers --------------------------------------------------------------------------

    def url(self, view: str = "", obj: models.Model | None = None) -> str:
        return reverse(self.model.url_name(view), kwargs={"pk": obj.pk} if obj is not None else None)

    def api_url(self, obj: models.Model | None = None) -> str:
        meta = self.model._meta
        name = f"{meta.app_label}-api:{meta.model_name}-{'detail' if obj else 'list'}"
        return reverse(name, kwargs={"pk": obj.pk} if obj else None)

    def resolve(self, value: Any) -> Any:
        return value(self.world) if callable(value) else value

    def form_data_for(self, obj: PrimaryModel) -> dict[str, Any]:
        """The object's current values as its edit form would post them."""

        form = object_views(self.model).form(instance=obj, user=self.admin)
        data: dict[str, Any] = {}
        for name, field in form.fields.items():
            value = form.initial.get(name)
            if value is None:
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                data[name] = [getattr(v, "pk", v) for v in value]  # posted as repeated keys
                continue
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[name] = "on"
                continue
            data[name] = json.dumps(value) if isinstance(value, dict | list) else value
        return data

    def changes(self, obj: models.Model, action: str) -> models.QuerySet[ObjectChange]:
        return ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(self.model),
            changed_object_id=obj.pk,
            action=action,
        )

    def count_queries(self, client: Client | APIClient, url: str) -> int:
        client.get(url)  # warm the per-user permission caches, which a real request pays once
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(ctx.captured_queries)

    # --- pages ----------------------------------------------------------------------------

    def test_list_shows_objects(self) -> None:
        response = self.client.get(self.url("list"))
        self.assertContains(response, self.obj_in.get_absolute_url())
        self.assertContains(response, self.obj_out.get_absolute_url())

    def test_list_search_finds_object(self) -> None:
        field = self.model.search_fields[0]
        value = self.model._base_manager.filter(pk=self.obj_in.pk).values_list(field, flat=True).first()
        response = self.client.get(self.url("list"), {"q": str(value)})
        self.assertContains(response, self.obj_in.get_absolute_url())

    def test_list_sorts_by_every_column(self) -> None:
        table = object_views(self.model).table(self.model.objects.none())
        for column in table.columns:
            if column.orderable:
                for order in (column.name, f"-{column.name}"):
                    response = self.client.get(self.url("list"), {"sort": order})
                    self.assertEqual(response.status_code, 200, order)

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        before = self.count_queries(self.client, self.url("list"))
        for _ in range(3):
            self.make(self.world, "in")
        self.assertEqual(self.count_queries(self.client, self.url("list")), before)
        self.assertEqual(self.count_queries(self.client, self.url("list") + "?per_page=100"), before)

    def test_detail_and_history(self) -> None:
        response = self.client.get(self.url("", self.obj_in))
        self.assertContains(response, str(self.obj_in))
        response = self.client.get(self.url("history", self.obj_in))
        self.assertEqual(response.status_code, 200)

    def test_create_records_change(self) -> None:
        data = self.resolve(self.form_data)
        count = self.model.objects.count()
        response = self.client.post(self.url("add"), data)
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", {}) and response.context.get("form") and response.context["form"].errors,
        )
        self.assertEqual(self.model.objects.count(), count + 1)
        created = self.model.objects.latest("pk")
        change = self.changes(created, "create").get()
        self.assertEqual(change.user, self.admin)
        self.assertEqual(change.source, "web")

    def test_create_refuses_bad_input_at_the_field(self) -> None:
        base = self.resolve(self.form_data)
        for field, value in self.invalid_data:
            with self.subTest(field=field, value=value):
                response = self.client.post(self.url("add"), {**base, field: value})
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)

    def test_edit_records_before_and_after(self) -> None:
        update = self.resolve(self.update_data)
        data = {**self.form_data_for(self.obj_in), **update}
        response = self.client.post(self.url("edit", self.obj_in), data)
        self.assertEqual(
            response.status_code,
            302,
            response.context["form"].errors if response.status_code == 400 else response,
        )
        change = self.changes(self.obj_in, "update").latest("pk")
        self.assertTrue(change.diff(), "an edit must record which fields changed")
        for name, value in update.items():
            field = self.model._meta.get_field(name)
            assert isinstance(field, models.Field)  # a field of the form, not a reverse relation
            assert change.postchange_data is not None  # an update records its after-values
            self.assertIn(name, change.postchange_data, "the change log must record every changed field")
            recorded = change.postchange_data[name]
            self.assertEqual(field.to_python(recorded), field.to_python(value), f"{name} recorded as {recorded!r}")

    def test_delete_records_change(self) -> None:
        victim = self.make_deletable(self.world)
        response = self.client.post(self.url("delete", victim))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.model.objects.filter(pk=victim.pk).exists())
        self.assertTrue(self.changes(victim, "delete").exists())

    def test_print_view_lists_every_row_without_pages(self) -> None:
        response = self.client.get(self.url("list"), {"print": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "core/object_list_print.html")
        self.assertContains(response, 'class="page-title"')
        self.assertNotContains(response, 'name="pk"')  # no selection boxes on paper

    def test_bulk_export_and_delete_all_or_nothing(self) -> None:
        victim = self.make_deletable(self.world)
        url = self.url("bulk")
        exported = self.client.post(url, {"action": "export_csv", "pk": [victim.pk]})
        self.assertEqual(exported.status_code, 200, "export selected")
        confirm = self.client.post(url, {"action": "delete", "pk": [victim.pk]})
        self.assertEqual(confirm.status_code, 200, "delete asks for confirmation first")
        self.assertTrue(self.model.objects.filter(pk=victim.pk).exists())
        missing = (self.model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
        refused = self.client.post(url, {"action": "delete", "ids": f"{victim.pk},{missing}", "confirmed": "1"})
        self.assertEqual(refused.status_code, 400, "an unknown row refuses the batch")
        self.assertContains(refused, f"#{missing}", status_code=400)
        self.assertTrue(self.model.objects.filter(pk=victim.pk).exists(), "nothing is half-done")
        done = self.client.post(url, {"action": "delete", "ids": str(victim.pk), "confirmed": "1"})
        self.assertEqual(done.status_code, 302)
        self.assertFalse(self.model.objects.filter(pk=victim.pk).exists())
        self.assertTrue(self.changes(victim, "delete").exists())

    # --- import / export -----------------------------------------------------------------

    def upload(self, text: str, name: str = "rows.csv") -> TestResponse:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post(self.url("import"), {"file": SimpleUploadedFile(name, text.encode("utf-8"))})

    def test_import_good_file_previews_then_writes(self) -> None:
        text = self.csv_rows(self.world)
        rows = len(text.strip().splitlines()) - 1
        count = self.model.objects.count()
        preview = self.upload(text)
        self.assertEqual(preview.status_code, 200, preview.context["report"].errors if preview.context else "")
        self.assertEqual(self.model.objects.count(), count, "a preview writes nothing")
        token = preview.context["token"]
        response = self.client.post(self.url("import"), {"token": token})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.model.objects.count(), count + rows)
        self.assertTrue(
            ObjectChange.objects.filter(
                source="import", changed_object_type__model=self.model._meta.model_name
            ).exists()
        )

    def test_import_xlsx_file(self) -> None:
        import tablib
        from django.core.files.uploadedfile import SimpleUploadedFile

        dataset = tablib.Dataset().load(self.csv_rows(self.world), format="csv")
        count = self.model.objects.count()
        upload = SimpleUploadedFile("rows.xlsx", dataset.export("xlsx"))
        preview = self.client.post(self.url("import"), {"file": upload})
        self.assertEqual(preview.status_code, 200, preview.context["report"].errors)
        self.client.post(self.url("import"), {"token": preview.context["token"]})
        self.assertEqual(self.model.objects.count(), count + len(dataset))

    def test_import_bad_row_names_row_and_column_and_writes_nothing(self) -> None:
        good = self.csv_rows(self.world).strip().splitlines()
        bad_row, column = self.csv_bad_row(self.world)
        text = "\n".join([good[0], good[1], bad_row, *good[2:]]) + "\n"
        count = self.model.objects.count()
        response = self.upload(text)
        self.assertEqual(response.status_code, 400)
        errors = response.context["report"].errors
        self.assertTrue(
            any(e.row == 2 and (column is None or e.field == column) for e in errors),
            [(e.row, e.field, e.message) for e in errors],
        )
        self.assertEqual(self.model.objects.count(), count)

    def test_export_csv_and_xlsx(self) -> None:
        response = self.client.get(self.url("list"), {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response["Content-Type"])
        self.assertGreaterEqual(len(response.content.decode("utf-8-sig").strip().splitlines()), 3)
        response = self.client.get(self.url("list"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_export_edit_import_changes_only_what_was_edited(self) -> None:
        """The XLSX export imports back unchanged with headers in either language; a cell edited in it changes
        that field and nothing else (the Excel round trip of issue 14)."""
        from django.forms.models import model_to_dict
        from django.utils import translation

        from parkos.core import writes
        from parkos.core.resources import export_bytes, load_dataset, resource_for
        from parkos.core.spreadsheets import columns_of

        resource_class = resource_for(self.model._meta.label_lower)
        rows = self.model.objects.filter(pk=self.obj_in.pk)
        for language in ("zh-hans", "en"):
            with self.subTest(language=language), translation.override(language):
                content = export_bytes(resource_class(user=self.admin), rows, "xlsx")
                report = resource_class(user=self.admin).import_dataset(load_dataset(content, "r.xlsx"), dry_run=True)
                self.assertTrue(report.ok, [(e.field, e.message) for e in report.errors])
                self.assertEqual((report.new, report.updated), (0, 0), "an unedited file changes nothing")
        resource = resource_class(user=self.admin)
        guarded = set(writes.rules_for(self.model).guards)
        keys = set(resource.get_import_id_fields())
        text = [
            (i, c)
            for i, c in enumerate(columns_of(resource))
            if c.kind == "text"
            and c.model_field is not None
            and not c.model_field.unique
            and c.model_field.max_length is None
            and c.name not in keys | guarded
            and not resource.fields[c.name].readonly
        ]
        if not text:
            return  # no free-text column to edit
        position, column = text[0]
        dataset = load_dataset(content, "r.xlsx")
        edited = list(dataset[0])
        edited[position] = "edited in a spreadsheet"
        dataset[0] = tuple(edited)
        in_file = [c.attribute for c in columns_of(resource) if c.model_field is not None and "__" not in c.attribute]
        before = model_to_dict(self.model.objects.get(pk=self.obj_in.pk), fields=in_file)
        report = resource.import_dataset(dataset, dry_run=False)
        self.assertTrue(report.ok, [(e.field, e.message) for e in report.errors])
        self.assertEqual((report.new, report.updated), (0, 1))
        after = model_to_dict(self.model.objects.get(pk=self.obj_in.pk), fields=in_file)
        self.assertEqual(after.pop(column.attribute), "edited in a spreadsheet")
        before.pop(column.attribute)
        self.assertEqual(after, before, "only the edited column changed")

    # --- API -----------------------------------------------------------------------------

    def test_api_crud(self) -> None:
        response = self.api.get(self.api_url(), {"ordering": "-id"})
        self.assertEqual(response.status_code, 200)
        ids = [row["id"] for row in response.json()["results"]]
        self.assertIn(self.obj_in.pk, ids)
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertEqual(self.api.get(self.api_url(self.obj_in)).status_code, 200)
        response = self.api.post(self.api_url(), self.api_data(self.world), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        created = self.model.objects.get(pk=response.json()["id"])
        self.assertEqual(self.changes(created, "create").get().source, "api")
        response = self.api.patch(self.api_url(created), self.resolve(self.update_data), format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(self.changes(created, "update").exists())
        response = self.api.delete(self.api_url(created))
        self.assertEqual(response.status_code, 204)

    def test_api_refuses_bad_input_with_field_messages(self) -> None:
        for field, value in self.invalid_data:
            with self.subTest(field=field):
                response = self.api.post(self.api_url(), {**self.api_data(self.world), field: value}, format="json")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())

    def test_api_list_query_count_does_not_grow_with_rows(self) -> None:
        before = self.count_queries(self.api, self.api_url())
        for _ in range(3):
            self.make(self.world, "in")
        self.assertEqual(self.count_queries(self.api, self.api_url()), before)

    def test_anonymous_sees_nothing(self) -> None:
        self.client.logout()
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.assertIn(APIClient().get(self.api_url()).status_code, (401, 403))

    # --- one write path: the same rule in every channel -----------------------------------

    def test_a_broken_rule_reads_the_same_in_every_channel(self) -> None:
        """Each bad value is refused at its field by the form, the API and the import; where the form and the
        API give the model's own words (not a channel's parser), the import row error says the same."""
        import tablib
        from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

        from parkos.core.resources import resource_for

        base = self.resolve(self.form_data)
        good = list(csv.DictReader(io.StringIO(self.csv_rows(self.world))))[0]
        resource = resource_for(self.model._meta.label_lower)(user=self.admin)
        columns = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
        for field, value in self.invalid_data:
            with self.subTest(field=field, value=value):
                page = self.client.post(self.url("add"), {**base, field: value})
                in_form = {str(m) for m in page.context["form"].errors.get(field, [])}
                body = self.api.post(self.api_url(), {**self.api_data(self.world), field: value}, format="json").json()
                in_api = {str(m) for m in body.get(field, [])}
                self.assertTrue(in_form, f"the form does not refuse {field}={value!r}")
                self.assertTrue(in_api, f"the API does not refuse {field}={value!r}: {body}")
                column = columns.get(field)
                if column is None or column not in good:
                    continue  # the import has no such column
                # The other columns as the form had them, so a rule across fields sees the same values.
                same = {
                    columns[attr]: str(base[attr])
                    for attr in columns
                    if attr in base
                    and columns[attr] in good
                    and isinstance(base[attr], str | int)
                    and base[attr] != "on"
                    and not isinstance(resource.fields[columns[attr]].widget, ForeignKeyWidget | ManyToManyWidget)
                }
                row = {**good, **same, column: "" if value is None else str(value)}
                dataset = tablib.Dataset(headers=list(row))
                dataset.append(list(row.values()))
                report = resource.import_dataset(dataset, dry_run=True)
                in_import = {e.message for e in report.errors if e.field in (column, "")}
                self.assertTrue(in_import, f"the import does not refuse {column}={value!r}")
                shared = in_form & in_api
                if shared:
                    self.assertTrue(shared & in_import, f"{field}: form and API say {shared}, the import {in_import}")

    def test_fields_a_role_may_not_set_are_refused_in_every_channel(self) -> None:
        """For each field guarded in core.writes and each role that may edit the object but not that field:
        the form shows it read-only with why, the API answers 400 at the field, the import names the column."""
        from django.test import Client

        from parkos.core import writes
        from parkos.core.resources import resource_for

        guards = writes.rules_for(self.model).guards
        resource_class = resource_for(self.model._meta.label_lower)
        for role_name in self.editable_by:
            user = self.world.users[role_name]
            client = Client()
            client.force_login(user)
            api = APIClient()
            api.force_authenticate(user)
            obj = self.model._base_manager.get(pk=self.obj_in.pk)
            for name, guard in guards.items():
                if guard.may_set(user, obj):
                    continue
                other = _another_value(obj, name, self.admin)
                if other is None:
                    continue
                with self.subTest(role=role_name, field=name):
                    form = client.get(self.url("edit", obj)).context["form"]
                    if name in form.fields:
                        self.assertTrue(form.fields[name].disabled, "the form lets it be set")
                        self.assertEqual(str(form.fields[name].help_text), str(guard.message))
                    response = api.patch(self.api_url(obj), {name: _as_json(other)}, format="json")
                    if response.status_code != 200:  # 200: a read-only field, ignored (checked below)
                        self.assertEqual(response.status_code, 400, response.content)
                        self.assertIn(name, response.json())
                    resource = resource_class(user=user)
                    field = next((f for f in resource.get_import_fields() if f.attribute == name), None)
                    # a key column names another row when changed (a new one), so only other columns are tried
                    if field is not None and name not in resource.get_import_id_fields():
                        dataset = resource.export(queryset=self.model._base_manager.filter(pk=obj.pk))
                        row = dict(zip(dataset.headers, dataset[0], strict=True))
                        row[field.column_name] = field.widget.render(other)
                        dataset = tablib_row(row)
                        report = resource.import_dataset(dataset, dry_run=True)
                        # refused at its column: with the guard's words, or the widget's when the value is not visible
                        self.assertIn(field.column_name, {e.field for e in report.errors}, report.errors)
                    self.assertEqual(_stored(obj, name), _stored(self.obj_in, name), "a channel changed it")

    # --- permissions per role --------------------------------------------------------------

    def test_each_role_sees_exactly_its_scope(self) -> None:
        """UI list, detail, API list, API detail, export and search agree with visible_to."""
        for role in ROLES:
            expected = self.visible_to.get(role.name, "none")
            with self.subTest(role=role.name, expected=expected):
                self._check_role(self.world.users[role.name], expected)

    def test_each_role_may_change_exactly_its_scope(self) -> None:
        """Edit page and API PATCH agree with editable_by; out of scope is 404, no permission is 403."""
        from django.test import Client

        for role in ROLES:
            expected = self.editable_by.get(role.name, "none")
            user = self.world.users[role.name]
            client = Client()
            client.force_login(user)
            api = APIClient()
            api.force_authenticate(user)
            with self.subTest(role=role.name, expected=expected):
                adders = self.editable_by.keys() if self.addable_by is None else self.addable_by
                self.assertEqual(client.get(self.url("add")).status_code, 200 if role.name in adders else 403)
                for side, obj in (("in", self.obj_in), ("out", self.obj_out)):
                    may = expected == "all" or (expected == "in" and side == "in")
                    self.assertEqual(client.get(self.url("edit", obj)).status_code, 200 if may else 404, side)
                    patch = api.patch(self.api_url(obj), {}, format="json").status_code
                    self.assertEqual(patch, 200 if may else (403 if expected == "none" else 404), side)

    def _check_role(self, user: User, expected: str) -> None:
        from django.test import Client

        client = Client()
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        sees = {"in": expected in ("all", "in"), "out": expected == "all"}
        list_response = client.get(self.url("list"))
        api_list = api.get(self.api_url(), {"page_size": 1000})
        export = client.get(self.url("list"), {"export": "csv"})
        if expected == "none":
            self.assertEqual(list_response.status_code, 403)
            self.assertEqual(api_list.status_code, 403)
        ids = {row["id"] for row in api_list.json()["results"]} if api_list.status_code == 200 else set()
        for side, obj in (("in", self.obj_in), ("out", self.obj_out)):
            visible = sees[side]
            self.assertEqual(client.get(self.url("", obj)).status_code, 200 if visible else 404, side)
            self.assertEqual(
                api.get(self.api_url(obj)).status_code,
                200 if visible else (404 if expected != "none" else 403),
                side,
            )
            self.assertEqual(obj.pk in ids, visible, side)
            # the history channels: the object's history page and each of its change pages
            self.assertEqual(client.get(self.url("history", obj)).status_code, 200 if visible else 404, side)
            change = self.changes(obj, "create").first()
            if change is not None and not user.has_perm("core.view_objectchange"):
                # a change also shows in the history of its parent (an alias in its organization's)
                parent = getattr(obj, self.model.changelog_parent) if self.model.changelog_parent else None
                # ... to those who may read the child's model at all (a parcel's readers see its flags only with land)
                in_parent = (
                    parent is not None
                    and user.has_perm(f"{self.model._meta.app_label}.view_{self.model._meta.model_name}")
                    and type(parent).objects.restrict(user).filter(pk=parent.pk).exists()
                )
                page = client.get(reverse("objectchange", kwargs={"pk": change.pk}))
                self.assertEqual(page.status_code, 200 if visible or in_parent else 404, f"change page {side}")
            if list_response.status_code == 200:
                self.assertEqual(obj.get_absolute_url() in list_response.content.decode(), visible, side)
            marker = str(
                self.model._base_manager.filter(pk=obj.pk).values_list(self.model.search_fields[0], flat=True).get()
            )
            if export.status_code == 200:
                # a choice is exported as its label (what a reader understands), the rest as stored
                name = self.model.search_fields[0]
                search_field = None if "__" in name else self.model._meta.get_field(name)
                choices = {}
                if isinstance(search_field, models.Field) and search_field.choices:
                    choices = dict(search_field.flatchoices)
                label = str(choices.get(marker, marker))
                self.assertEqual(label in export.content.decode("utf-8-sig"), visible, f"export {side}")
            if self.model.in_global_search:
                found = client.get(reverse("search"), {"q": marker})
                self.assertEqual(obj.get_absolute_url() in found.content.decode(), visible, f"search {side}")


def tablib_row(row: dict[str, Any]) -> tablib.Dataset:
    import tablib

    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))
    return dataset


def _another_value(obj: models.Model, name: str, admin: User) -> Any:
    """A value for field ``name`` that differs from ``obj``'s, to try setting it (None: none to try)."""
    import datetime

    from django.db import models

    f = obj._meta.get_field(name)
    assert isinstance(f, models.Field)  # a guarded field is the model's own, not a reverse relation
    current = getattr(obj, name) if not f.many_to_many else None
    related = f.related_model
    if f.many_to_many:
        assert related is not None
        other = related._base_manager.exclude(pk__in=getattr(obj, name).all()).order_by("pk").first()
        return [other] if other is not None else None
    if f.is_relation:
        assert related is not None
        return related._base_manager.exclude(pk=getattr(obj, f.attname)).order_by("pk").first()
    if f.choices:
        return next((value for value, _label in f.flatchoices if value not in (current, "")), None)
    if isinstance(f, models.BooleanField):
        return not current
    if isinstance(f, models.DateTimeField):
        return (current or datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)) - datetime.timedelta(days=3)
    if isinstance(f, models.DateField):
        return (current or datetime.date(2025, 1, 1)) - datetime.timedelta(days=3)
    if isinstance(f, models.IntegerField | models.DecimalField):
        return (current or 0) + 1
    if isinstance(f, models.CharField | models.TextField):
        return f"{current or ''}changed"[: f.max_length or 200]
    return None


def _stored(obj: models.Model, name: str) -> Any:
    """The field's value as the database holds it now."""
    f = obj._meta.get_field(name)
    assert isinstance(f, models.Field)  # a guarded field is the model's own, not a reverse relation
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    if f.many_to_many:
        return sorted(getattr(fresh, name).values_list("pk", flat=True))
    return getattr(fresh, f.attname)


def _as_json(value: Any) -> Any:
    if isinstance(value, list):
        return [getattr(v, "pk", v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def object_views(model: type[models.Model]) -> type[ObjectViews]:
    """The ObjectViews that describe ``model``; loading the URLconf first imports every app's views."""
    from django.urls import get_resolver

    from parkos.core.views.generic import ObjectViews

    get_resolver().url_patterns  # noqa: B018 (imported for its side effect: every app's views module)
    return next(v for v in _all_subclasses(ObjectViews) if getattr(v, "model", None) is model)


def _all_subclasses(cls: type[ObjectViews]) -> Iterator[type[ObjectViews]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)

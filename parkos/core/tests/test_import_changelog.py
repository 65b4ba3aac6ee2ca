"""An import writes its change records in batches (PrimaryResource.import_data_inner opens collect_changes):
the same records as one INSERT per row, a fixed number of statements for them, and nothing left of a rejected file.
"""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export import resources as ie_resources

from parkos.core.models import ObjectChange
from parkos.core.resources import PrimaryResource, load_dataset, resource_for
from parkos.directory.models import Organization
from parkos.users.models import User

pytestmark = pytest.mark.django_db

ROWS = 30
#: what a record says beside its id, time, request id and the row's own id
COLUMNS = (
    "user_id",
    "user_name",
    "source",
    "origin",
    "origin_url",
    "action",
    "changed_object_type_id",
    "related_object_type_id",
    "related_object_id",
    "object_repr",
)


def organizations_csv(count: int, *, bad_row: int | None = None) -> bytes:
    lines = ["id,name,kind,district"]
    for row in range(1, count + 1):
        kind = "no-such-kind" if row == bad_row else "enterprise"
        lines.append(f",导入企业{row:05d}有限公司,{kind},浦东新区")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def admin():
    return User.objects.create_superuser("importer", "importer@example.cn", "x")


def run_import(user, content: bytes, *, dry_run: bool = False):
    resource = resource_for("directory.organization")(user=user)
    return resource.import_dataset(load_dataset(content, "orgs.csv"), dry_run=dry_run)


def records() -> list[tuple]:
    """The organizations' change records, what each says, in the order they were written."""
    rows = []
    for change in ObjectChange.objects.filter(changed_object_type__model="organization").order_by("pk"):
        data = dict(change.postchange_data or {})
        assert data.pop("id") == change.changed_object_id
        data.pop("created", None), data.pop("last_updated", None)
        rows.append((*(getattr(change, name) for name in COLUMNS), change.prechange_data, data))
    return rows


def import_row_by_row(user, content: bytes):
    """The import as it ran before: django-import-export's own import_data_inner, one record written per row."""

    def inner(self, *args, **kwargs):
        return ie_resources.ModelResource.import_data_inner(self, *args, **kwargs)

    with mock.patch.object(PrimaryResource, "import_data_inner", inner):
        return run_import(user, content)


def test_an_import_writes_the_same_change_records_as_row_by_row_with_a_statement_per_batch(admin):
    content = organizations_csv(ROWS)
    with CaptureQueriesContext(connection) as one_by_one:
        report = import_row_by_row(admin, content)
    assert report.ok and report.new == ROWS
    want = records()
    assert len(want) == ROWS
    assert {row[COLUMNS.index("source")] for row in want} == {"import"}
    assert {row[COLUMNS.index("user_id")] for row in want} == {admin.pk}
    change_ids = set(ObjectChange.objects.values_list("request_id", flat=True))
    Organization.objects.filter(name__startswith="导入企业")._raw_delete("default")
    ObjectChange.objects.all().delete()

    with CaptureQueriesContext(connection) as batched:
        report = run_import(admin, content)
    assert report.ok and report.new == ROWS
    assert records() == want
    assert set(ObjectChange.objects.values_list("request_id", flat=True)).isdisjoint(change_ids)
    assert ObjectChange.objects.values("request_id").distinct().count() == 1, "one import, one request id"
    table = ObjectChange._meta.db_table

    def change_log_writes(queries):
        return [q["sql"] for q in queries.captured_queries if table in q["sql"] and q["sql"].lstrip()[:4] != "SELE"]

    assert len(change_log_writes(one_by_one)) == ROWS
    assert len(change_log_writes(batched)) == 1, change_log_writes(batched)
    assert len(batched.captured_queries) <= len(one_by_one.captured_queries) - ROWS + 1


def test_a_bad_row_rolls_back_every_row_and_every_change_record(admin):
    report = run_import(admin, organizations_csv(ROWS, bad_row=ROWS - 1))
    assert not report.ok
    assert [e.row for e in report.errors] == [ROWS - 1]
    assert not Organization.objects.filter(name__startswith="导入企业").exists()
    assert not ObjectChange.objects.filter(changed_object_type__model="organization").exists()


def test_a_failure_writing_the_change_records_rolls_the_rows_back(admin):
    with (
        mock.patch("parkos.core.changelog.insert_rows", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError, match="disk full"),
    ):
        run_import(admin, organizations_csv(ROWS))
    assert not Organization.objects.filter(name__startswith="导入企业").exists()
    assert not ObjectChange.objects.filter(changed_object_type__model="organization").exists()


def test_a_preview_leaves_no_change_record(admin):
    report = run_import(admin, organizations_csv(ROWS), dry_run=True)
    assert report.ok and report.new == ROWS
    assert not Organization.objects.filter(name__startswith="导入企业").exists()
    assert not ObjectChange.objects.filter(changed_object_type__model="organization").exists()

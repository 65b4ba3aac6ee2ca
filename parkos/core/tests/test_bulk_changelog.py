"""Bulk loads write the change log in batches (``collect_changes``, bulk paths) and record the same as row by row."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parkos.core.changelog import (
    _record,
    change_context,
    collect_changes,
    log_bulk_create,
    log_bulk_delete,
    serialize,
)
from parkos.core.models import ObjectChange, SearchEntry
from parkos.directory.models import Organization, Person, Position
from parkos.investment.models import Event
from parkos.parks.models import Park

pytestmark = pytest.mark.django_db

#: what a record says; its id and time are the only columns left out
COLUMNS = (
    "user_id",
    "user_name",
    "request_id",
    "source",
    "origin",
    "origin_url",
    "action",
    "changed_object_type_id",
    "changed_object_id",
    "related_object_type_id",
    "related_object_id",
    "object_repr",
    "prechange_data",
    "postchange_data",
)


def stored() -> list[tuple]:
    return [tuple(getattr(c, name) for name in COLUMNS) for c in ObjectChange.objects.order_by("pk")]


def expected(records: list[ObjectChange]) -> list[tuple]:
    for record in records:
        record.changed_object_type_id = record.changed_object_type.pk
        record.related_object_type_id = record.related_object_type.pk if record.related_object_type else None
    return [tuple(getattr(r, name) for name in COLUMNS) for r in records]


@pytest.fixture
def people():
    park = Park.objects.create(code="b1", name="批量园", district="闵行区")
    orgs = Organization.objects.bulk_create(Organization(name=f"批量企业{i}") for i in range(3))
    persons = Person.objects.bulk_create(Person(name=f"张{i}") for i in range(3))
    ObjectChange.objects.all().delete()
    return park, orgs, persons


def test_log_bulk_create_records_what_row_by_row_serializing_records(people):
    park, orgs, persons = people
    # parents not loaded on the rows (only their ids), as an import or the demo makes them
    positions = Position.objects.bulk_create(
        Position(person_id=p.pk, organization_id=o.pk, title=f"职务{i}", start_date=date(2024, 1, i + 1))
        for i, (p, o) in enumerate(zip(persons, orgs, strict=True))
    )
    events = Event.objects.bulk_create(Event(title=f"签约{i}", date=date(2025, 3, 1), park=park) for i in range(3))
    events[0].attendees.add(*persons[:2])  # set before the creation is logged, as the demo does
    events[2].organizations.add(orgs[1])
    ObjectChange.objects.all().delete()
    fresh = [Position.objects.get(pk=p.pk) for p in positions] + list(
        Event.objects.filter(pk__in=[e.pk for e in events])
    )
    with change_context(source="demo") as context:
        want = expected([_record(obj, ObjectChange.ChangeAction.CREATE, None, serialize(obj)) for obj in fresh])
        with CaptureQueriesContext(connection) as queries, collect_changes():
            assert log_bulk_create(positions + sorted(events, key=lambda e: e.pk)) == 6
            assert not ObjectChange.objects.exists()  # kept until the batch is written
    assert stored() == want
    assert {row[2] for row in stored()} == {context.request_id}
    # parents read once per key (person, organization), many-to-many once per field, not once per row
    assert len(queries) <= 12, [q["sql"] for q in queries]
    assert set(SearchEntry.objects.values_list("object_id", flat=True)) >= {e.pk for e in events}


def test_log_bulk_delete_records_the_values_before(people):
    park, orgs, persons = people
    doomed = list(Person.objects.order_by("pk"))
    with change_context(source="demo"):
        want = expected([_record(p, ObjectChange.ChangeAction.DELETE, serialize(p), None) for p in doomed])
        log_bulk_delete(doomed)
    assert stored() == want


def test_saves_inside_collect_changes_record_the_same_as_outside(people):
    park, orgs, persons = people

    def edit(suffix: str) -> None:
        org = Organization.objects.create(name=f"逐行{suffix}")
        org.name = f"逐行{suffix}改"
        org.save()
        org.save()  # no change: no record
        event = Event.objects.create(title=f"活动{suffix}", date=date(2025, 5, 1), park=park)
        event.attendees.add(persons[0])
        org.delete()

    with change_context(source="cli"):
        edit("一")
    one_by_one = stored()
    ObjectChange.objects.all().delete()
    with change_context(source="cli"), CaptureQueriesContext(connection) as queries, collect_changes():
        edit("二")
        assert not ObjectChange.objects.exists()
    collected = stored()
    inserts = [q for q in queries if "core_objectchange" in q["sql"] and ("INSERT" in q["sql"] or "COPY" in q["sql"])]
    assert len(inserts) == 1  # five records, one statement

    def comparable(rows: list[tuple]) -> list[tuple]:
        # the same edits on other objects: ids, names and request ids differ, nothing else
        def plain(data):
            if data is None:
                return None
            return {k: v for k, v in data.items() if k not in {"id", "created", "last_updated", "name", "title"}}

        return [(r[3], r[6], r[7], plain(r[12]), plain(r[13])) for r in rows]

    assert len(collected) == len(one_by_one) == 5
    assert comparable(collected) == comparable(one_by_one)


def test_collect_changes_writes_in_batches_and_nested_blocks_share_one(people):
    park, orgs, persons = people
    with change_context(source="demo"), collect_changes(batch_size=2):
        with collect_changes(batch_size=1000):
            Organization.objects.create(name="第一")
            assert ObjectChange.objects.count() == 0
            Organization.objects.create(name="第二")
            assert ObjectChange.objects.count() == 2  # the outer block's batch of 2 was written
            Organization.objects.create(name="第三")
        assert ObjectChange.objects.count() == 2
    assert ObjectChange.objects.count() == 3


def test_flush_changes_writes_what_a_bulk_load_holds_so_far(people):
    from parkos.core.changelog import flush_changes

    with change_context(source="demo"), collect_changes():
        Organization.objects.create(name="先写")
        flush_changes()
        assert ObjectChange.objects.count() == 1

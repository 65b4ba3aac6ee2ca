"""Insert many rows nobody needs the IDs of (change records, search entries) the fastest way the database has.

On PostgreSQL that is ``COPY ... FROM STDIN``: ``bulk_create`` there sends each column as an array the
client-side cursor quotes value by value in Python (45 s of a profiled 340 s demo load on PostgreSQL went into
quoting those arrays), while COPY streams the rows through psycopg's C adapters. On SQLite it is one INSERT
run for every row with ``executemany``. Values go through the same ``pre_save`` and ``get_db_prep_save`` as
``bulk_create``'s (skipped for plain text, numbers and integer foreign keys, stored as they are), so the rows
are the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from django.db import connections, models, router

#: rows per executemany on SQLite
BATCH = 2000


def insert_rows(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert ``objects`` (new instances of ``model``, with an automatic primary key left unset). Returns the count.

    The instances do not get their primary keys back: use ``bulk_create`` for rows others refer to.
    """
    rows = list(objects)
    if not rows:
        return 0
    connection = connections[router.db_for_write(model) or "default"]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.column]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields if f.column)
    prepare = [_preparer(f, connection) for f in fields]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for obj in rows:
                    copy.write_row([p(obj) for p in prepare])
            if connection.queries_logged:  # counted like any statement (assertNumQueries, the debug toolbar)
                connection.queries_log.append({"sql": statement, "time": f"{time.perf_counter() - started:.3f}"})
        else:
            # one prepared INSERT run for every row (sqlite3's executemany loops in C), not Django's SQL
            # compiler building a multi-row VALUES list value by value
            placeholders = ", ".join(["%s"] * len(fields))
            statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(statement, [[p(obj) for p in prepare] for obj in rows[start : start + BATCH]])
    return len(rows)


#: fields whose stored value is the attribute as it is (no conversion, no automatic value)
_AS_IS = (
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
)
_TEXT = (models.CharField, models.TextField)
_INTEGER_KEYS = (models.AutoField, models.BigAutoField)


def _preparer(f: models.Field[Any, Any], connection: Any) -> Callable[[models.Model], Any]:
    """How to read ``f``'s database value off an instance: as bulk_create's insert does, faster where it may."""
    if type(f) in _AS_IS or (isinstance(f, models.ForeignKey) and type(f.target_field) in _INTEGER_KEYS):
        return attrgetter(f.attname)
    if type(f) in _TEXT:
        name = f.attname
        return lambda obj: _text(getattr(obj, name))
    # pre_save stamps auto_now(_add) fields; get_db_prep_save adapts the value (JSON, dates, UUIDs)
    return lambda obj: f.get_db_prep_save(f.pre_save(obj, True), connection=connection)


def _text(value: Any) -> Any:
    return value if value is None or type(value) is str else str(value)  # a lazy translation, a number

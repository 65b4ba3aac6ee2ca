"""A PostgreSQL bench database at 1,000,000 organizations and about 2,000,000 evaluation results (issue 16).

    .venv/bin/python bench/bigdata.py [--fresh] [--database parkos_bench_big] [--template parkos_bench_web_s1]

The database is a copy of the scale-1 web bench database (``CREATE DATABASE ... TEMPLATE``), migrated, then grown
in SQL, one transaction:

- enterprises: the template's enterprises copied (``name（n）``, ``name_en n``, a new unique credit code with a
  valid GB 32100 check character, their aliases ``alias（n）``) until there are ``--organizations`` organizations;
- their global-search entries (``core_searchentry``): the source's name, English name and alias entries with the
  copy number appended (value and two-character pieces, exactly as ``parkos.core.search`` would write them), and
  a credit-code entry made from the new code;
- evaluation results: every run copied (older ``created``, same year and scheme) with all its results, until there
  are about ``--results`` results (the earlier 2,000,000-results bench did the same: 9,067 results x 221).

Non-unique indexes of the grown tables are dropped before the inserts and built again after (a GIN index fed row
by row is slow); unique indexes and constraints stay, so names and codes are checked as they go in. Foreign-key
triggers are off during the inserts (``session_replication_role = replica``): every reference is copied from a
valid row. Then VACUUM ANALYZE (this machine runs PostgreSQL without autovacuum). The database is kept; run again
with ``--fresh`` to drop and rebuild it.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

PROJECT_DIR = Path(__file__).resolve().parent.parent
GROWN_TABLES = (
    "directory_organization",
    "directory_organizationalias",
    "core_searchentry",
    "evaluation_evaluationresult",
)

FUNCTIONS = """
CREATE FUNCTION pg_temp.grams(v text, p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(p || substr(v, i, 2), ' ' ORDER BY i), '')
  FROM generate_series(1, length(v) - 1) AS i
$$;
CREATE FUNCTION pg_temp.credit_check(first17 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr(a, ((31 - sum((strpos(a, substr(first17, i::int, 1)) - 1) * w) % 31) % 31)::int + 1, 1)
  FROM (SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY'::text AS a) AS alphabet,
       unnest(ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]) WITH ORDINALITY AS t(w, i)
  GROUP BY a
$$;
"""


def connect(url: str, dbname: str, **kwargs: object) -> psycopg.Connection:
    return psycopg.connect(url, dbname=dbname, **kwargs)  # type: ignore[arg-type]


def create_database(url: str, database: str, template: str, fresh: bool) -> None:
    with connect(url, "postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not fresh:
            raise SystemExit(f"{database} exists already: run with --fresh to drop and rebuild it")
        if exists:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        for attempt in range(1, 21):
            try:
                admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
                return
            except psycopg.errors.ObjectInUse as error:
                users = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [template]).fetchone()
                print(f"  attempt {attempt}: {template} is in use ({users[0] if users else '?'} connections): {error}")
                time.sleep(3)
        raise SystemExit(f"{template} stayed in use by other connections: could not copy it")


def migrate(url: str, database: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{url.rstrip('/')}/{database}"}
    env.pop("PARKOS_DEBUG", None)
    subprocess.run([str(PROJECT_DIR / ".venv/bin/parkos"), "migrate", "--no-input"], env=env, check=True)


def columns(cursor: psycopg.Cursor, table: str, leave_out: set[str]) -> list[str]:
    rows = cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    ).fetchall()
    return [name for (name,) in rows if name not in leave_out]


def quoted(names: list[str], alias: str = "") -> str:
    return ", ".join(f'{alias}"{name}"' for name in names)


def drop_plain_indexes(cursor: psycopg.Cursor) -> list[str]:
    """Drop the non-unique indexes of the grown tables; returns their definitions to build them again."""
    rows = cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
        """,
        [list(GROWN_TABLES)],
    ).fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def grow(cursor: psycopg.Cursor, organizations: int, results: int, timings: dict[str, float]) -> None:
    def step(label: str, sql: str, params: object = None) -> int:
        start = time.perf_counter()
        cursor.execute(sql, params)  # type: ignore[arg-type]
        timings[label] = timings.get(label, 0.0) + time.perf_counter() - start
        return cursor.rowcount

    cursor.execute(FUNCTIONS)
    cursor.execute("SET session_replication_role = replica")  # no FK triggers: references are copied (see above)
    (current,) = cursor.execute("SELECT count(*) FROM directory_organization").fetchone()  # type: ignore[misc]
    (enterprises,) = cursor.execute(  # type: ignore[misc]
        "SELECT count(*) FROM directory_organization WHERE kind = 'enterprise'"
    ).fetchone()
    (content_type,) = cursor.execute(  # type: ignore[misc]
        "SELECT id FROM django_content_type WHERE app_label = 'directory' AND model = 'organization'"
    ).fetchone()
    needed = max(0, organizations - current)
    copies = math.ceil(needed / enterprises) if needed else 0
    print(f"  organizations: {current:,} -> {organizations:,} ({needed:,} new, up to {copies} copies per enterprise)")
    start = time.perf_counter()
    indexes = drop_plain_indexes(cursor)
    timings["drop indexes"] = time.perf_counter() - start

    step(
        "organization map",
        """
        CREATE TEMP TABLE org_map AS
        SELECT source_id, copy, base + row_number() OVER (ORDER BY copy, source_id) AS new_id
        FROM (SELECT o.id AS source_id, n AS copy, (SELECT max(id) FROM directory_organization) AS base
              FROM directory_organization o CROSS JOIN generate_series(1, %(copies)s) AS n
              WHERE o.kind = 'enterprise' ORDER BY n, o.id LIMIT %(needed)s) AS chosen
        """,
        {"copies": copies, "needed": needed},
    )
    cursor.execute("ALTER TABLE org_map ADD PRIMARY KEY (source_id, copy)")
    org_columns = columns(cursor, "directory_organization", {"id", "name", "name_en", "credit_code"})
    step(
        "organizations",
        f"""
        INSERT INTO directory_organization (id, name, name_en, credit_code, {quoted(org_columns)})
        SELECT m.new_id, o.name || '（' || m.copy || '）',
               CASE WHEN o.name_en = '' THEN '' ELSE o.name_en || ' ' || m.copy END,
               code.first17 || pg_temp.credit_check(code.first17), {quoted(org_columns, "o.")}
        FROM org_map m JOIN directory_organization o ON o.id = m.source_id
        CROSS JOIN LATERAL (SELECT 'Y1' || lpad(m.new_id::text, 15, '0') AS first17) AS code
        """,
    )
    alias_columns = columns(cursor, "directory_organizationalias", {"id", "name", "organization_id"})
    step(
        "aliases",
        f"""
        INSERT INTO directory_organizationalias (name, organization_id, {quoted(alias_columns)})
        SELECT a.name || '（' || m.copy || '）', m.new_id, {quoted(alias_columns, "a.")}
        FROM org_map m JOIN directory_organizationalias a ON a.organization_id = m.source_id
        """,
    )
    prefix = f"{content_type}x"
    step(
        "search entries (names, aliases)",
        """
        INSERT INTO core_searchentry (content_type_id, object_id, field, rank, confidential, value, grams)
        SELECT e.content_type_id, m.new_id, e.field, e.rank, e.confidential, e.value || m.copy,
               e.grams || ' ' || pg_temp.grams(right(e.value, 1) || m.copy, %(prefix)s)
        FROM org_map m JOIN core_searchentry e ON e.object_id = m.source_id
        WHERE e.content_type_id = %(ct)s AND e.field <> 'credit_code'
        """,
        {"prefix": prefix, "ct": content_type},
    )
    step(
        "search entries (credit codes)",
        """
        INSERT INTO core_searchentry (content_type_id, object_id, field, rank, confidential, value, grams)
        SELECT %(ct)s, o.id, 'credit_code', 0, false, lower(o.credit_code),
               pg_temp.grams(lower(o.credit_code), %(prefix)s)
        FROM org_map m JOIN directory_organization o ON o.id = m.new_id
        """,
        {"prefix": prefix, "ct": content_type},
    )

    (current_results,) = cursor.execute("SELECT count(*) FROM evaluation_evaluationresult").fetchone()  # type: ignore[misc]
    run_copies = max(0, math.ceil((results - current_results) / current_results)) if current_results else 0
    grown = current_results * (run_copies + 1)
    print(f"  results: {current_results:,} -> about {grown:,} ({run_copies} copies of every run)")
    run_columns = columns(cursor, "evaluation_evaluationrun", {"id", "created"})
    step(
        "evaluation runs",
        """
        CREATE TEMP TABLE run_map AS
        SELECT r.id AS source_id, n AS copy,
               (SELECT max(id) FROM evaluation_evaluationrun) + row_number() OVER (ORDER BY n, r.id) AS new_id
        FROM evaluation_evaluationrun r CROSS JOIN generate_series(1, %(copies)s) AS n
        WHERE EXISTS (SELECT 1 FROM evaluation_evaluationresult x WHERE x.run_id = r.id)
        """,
        {"copies": run_copies},
    )
    step(
        "evaluation runs",
        f"""
        INSERT INTO evaluation_evaluationrun (id, created, {quoted(run_columns)})
        SELECT m.new_id, r.created - make_interval(days => m.copy), {quoted(run_columns, "r.")}
        FROM run_map m JOIN evaluation_evaluationrun r ON r.id = m.source_id
        """,
    )
    result_columns = columns(cursor, "evaluation_evaluationresult", {"id", "run_id"})
    step(
        "evaluation results",
        f"""
        INSERT INTO evaluation_evaluationresult (run_id, {quoted(result_columns)})
        SELECT m.new_id, {quoted(result_columns, "x.")}
        FROM run_map m JOIN evaluation_evaluationresult x ON x.run_id = m.source_id
        """,
    )
    for table in ("directory_organization", "evaluation_evaluationrun"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    cursor.execute("SET session_replication_role = DEFAULT")
    cursor.execute("SET maintenance_work_mem = '1GB'")
    start = time.perf_counter()
    for definition in indexes:
        cursor.execute(definition)
    timings["build indexes"] = time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="parkos_bench_big")
    parser.add_argument("--template", default="parkos_bench_web_s1")
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432", help="server, without a database")
    parser.add_argument("--organizations", type=int, default=1_000_000)
    parser.add_argument("--results", type=int, default=2_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop the database first if it exists")
    args = parser.parse_args()

    timings: dict[str, float] = {}
    began = time.perf_counter()
    start = time.perf_counter()
    create_database(args.url, args.database, args.template, args.fresh)
    timings["copy template"] = time.perf_counter() - start
    start = time.perf_counter()
    migrate(args.url, args.database)
    timings["migrate"] = time.perf_counter() - start
    with connect(args.url, args.database) as conn, conn.cursor() as cursor:
        grow(cursor, args.organizations, args.results, timings)
        start = time.perf_counter()
        conn.commit()
        timings["commit"] = time.perf_counter() - start
    with connect(args.url, args.database, autocommit=True) as conn:
        start = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - start
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (*GROWN_TABLES, "evaluation_evaluationrun")
        }
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]  # type: ignore[index]
    for label, seconds in timings.items():
        print(f"  {label:<34} {seconds:8.1f} s")
    print(f"  {'total':<34} {time.perf_counter() - began:8.1f} s")
    for table, count in counts.items():
        print(f"  {table:<34} {count:>10,} rows")
    print(f"  database {args.database}: {size}")


if __name__ == "__main__":
    sys.exit(main())

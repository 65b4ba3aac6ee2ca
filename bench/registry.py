"""Registry benchmark: latency and SQL queries of the directory pages, API and search at 100,000 enterprises.

    PARKOS_DEBUG=1 .venv/bin/python bench/registry.py [--scale 6.25] [--runs 30] [--explain] [--write]

Uses its own SQLite file (bench/var/registry-<scale>.sqlite3, git-ignored) unless --database-url says
otherwise, loads the demo data set at --scale if it is not there yet (parkos.demo.generator), then
requests each page through django.test.Client: a warm-up, then --runs timed requests (p50, p95) and
one more under CaptureQueriesContext for the query count and the slowest query. Latencies are taken
with DEBUG off, as in production: with DEBUG on, Django keeps the text of every statement (and on
SQLite quotes each parameter with an extra query), which is not what users wait for.
--write puts the table into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import time

from harness import (
    BENCH_DIR,
    Case,
    add_run_arguments,
    calibration_ms,
    conditions,
    logged_in_clients,
    measure_all,
    section_head,
    setup_django,
    table,
    target_line,
)

TARGET_P95_MS = 150.0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=6.25, help="demo scale (6.25: 100,000 enterprises)")
    add_run_arguments(parser, "sqlite:///bench/var/registry-<scale>.sqlite3")
    return parser.parse_args(argv)


def ensure_demo(scale: float) -> str:
    from django.core.management import call_command

    from parkos.demo.generator import delete_domain_data, domain_row_count, load_demo, volumes
    from parkos.directory.models import Organization

    call_command("migrate", verbosity=0, interactive=False)
    wanted = volumes(scale)["enterprises"]
    have = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).count()
    if have == wanted:
        return f"demo already loaded ({have:,} enterprises)"
    if domain_row_count():
        print(f"The database holds {have:,} enterprises, not {wanted:,}: reloading.")
        delete_domain_data()
    print(f"Loading the demo at scale {scale:g} ({wanted:,} enterprises); this takes a few minutes ...")
    started = time.perf_counter()
    counts = load_demo(scale=scale)
    elapsed = time.perf_counter() - started
    return (
        f"demo loaded in {elapsed:.0f} s ({counts['organizations']:,} organizations, "
        f"{counts['change_records']:,} change records)"
    )


def cases() -> list[Case]:
    from django.db.models import Count

    from parkos.directory.models import Industry, Organization

    enterprise = Organization.Kind.ENTERPRISE
    # the top-level industry with the most enterprises, so that page 500 exists
    top = max(
        Industry.objects.filter(parent__isnull=True),
        key=lambda i: Organization.objects.filter(kind=enterprise, industry__tree_path__startswith=i.tree_path).count(),
    )
    in_top = Organization.objects.filter(kind=enterprise, industry__tree_path__startswith=top.tree_path).count()
    last_page = max(1, (in_top + 24) // 25)
    deep_page = min(500, last_page)
    # the richest detail page: a land holder with aliases and people
    detail = (
        Organization.objects.filter(kind=enterprise, land_parcels__isnull=False)
        .annotate(n_aliases=Count("aliases", distinct=True), n_positions=Count("positions", distinct=True))
        .order_by("-n_aliases", "-n_positions", "pk")
        .first()
    )
    base = f"/directory/organizations/?kind=enterprise&industry={top.pk}&sort=name"
    return [
        Case(f"enterprise list, {top.name_en} ({in_top:,}), page 1", base),
        Case(f"enterprise list, page {deep_page} of {last_page}", f"{base}&page={deep_page}"),
        Case("enterprise list, per_page=100", f"{base}&per_page=100"),
        Case("enterprise list, scoped user", base, user="investment"),
        Case("land parcel list, scoped user", "/parks/parcels/?sort=code", user="investment"),
        Case("organization detail", f"/directory/organizations/{detail.pk}/"),
        Case("API list ?kind=enterprise", "/api/directory/organizations/?kind=enterprise"),
        Case("global search ?q=科技", "/search/?q=科技"),
    ]


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args.database_url, f"registry-{args.scale:g}.sqlite3")
    print(f"Database: {url}")
    status = ensure_demo(args.scale)
    print(status)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    clients = logged_in_clients(["admin", "investment"])
    rows = cases()
    measure_all(rows, clients, args, label_width=58, user_width=10, sql_chars=300)

    per_page = {
        case.label: case.result["queries"]
        for case in rows
        if case.user == "admin" and case.url.startswith("/directory/organizations/?")
    }
    page_1 = next(v for k, v in per_page.items() if k.endswith("page 1"))
    page_100 = per_page["enterprise list, per_page=100"]
    same = "equal" if page_1 == page_100 else "NOT equal"
    print(f"\nList page queries at per_page=25: {page_1}, at per_page=100: {page_100} ({same}).")
    lines = table(rows, TARGET_P95_MS)
    print("\n" + "\n".join(lines))
    machine_conditions = conditions(load_before, calibration)
    print(machine_conditions)
    if args.write:
        write_results(args, status, machine_conditions, lines, page_1, page_100, rows)
    return 0


def write_results(args, status, conditions, lines, page_1, page_100, rows) -> None:
    """Rewrite the top of bench/RESULTS.md: the registry's figures come first, the analysis below the marker and
    the other benchmarks' sections after it are kept."""
    command = f"PARKOS_DEBUG=1 .venv/bin/python bench/registry.py --scale {args.scale:g} --runs {args.runs}"
    if args.database_url:
        command += " --database-url ..."
    text = [
        *section_head("Registry benchmark", f"{command} --write"),
        f"- data: demo scale {args.scale:g}; {status}",
        f"- conditions: {conditions} (`sum(i * i for i in range(2_000_000))`)",
        f"- each case: {args.warmup} warm-up requests, then {args.runs} timed requests through "
        "django.test.Client (DEBUG off, as in production), then one more for the query count",
        "",
        *lines,
        "",
        f"List page queries at per_page=25: {page_1}; at per_page=100: {page_100} "
        f"({'equal' if page_1 == page_100 else 'NOT equal'}).",
        "",
        target_line(rows, TARGET_P95_MS),
        "",
    ]
    (BENCH_DIR / "RESULTS.md").write_text("\n".join(text) + ANALYSIS_MARKER + _kept_analysis(), encoding="utf-8")
    print(f"Wrote {BENCH_DIR / 'RESULTS.md'}")


ANALYSIS_MARKER = "\n<!-- analysis: kept when the figures above are rewritten -->\n"


def _kept_analysis() -> str:
    """The hand-written analysis below the marker survives a rerun with --write."""
    path = BENCH_DIR / "RESULTS.md"
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    return text.split(ANALYSIS_MARKER, 1)[1] if ANALYSIS_MARKER in text else ""


if __name__ == "__main__":
    raise SystemExit(main())

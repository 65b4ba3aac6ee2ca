"""Web load bench: the production server (`parkos serve`, gunicorn, DEBUG off) on PostgreSQL, driven by N users.

    .venv/bin/python bench/web.py --scale 1 --users 4 --seconds 3 [--keep] [--reuse] [--label after] [--write]

Creates a PostgreSQL database (default parkos_bench_web_s<scale> on 127.0.0.1:5432, user postgres), loads the demo
at the given scale with `parkos demo --no-serve` (timed, with its CPU time), starts `parkos serve` on a free port
with PARKOS_WORKERS workers, signs each demo account in through the login form and then, page after page, has
--users threads (one keep-alive HTTP connection each) ask for that page for --seconds. Each role's pages are its
home and every entry of its menu (as ``parkos.core.navigation.menu_for`` lists them), plus a few detail pages. The
trivial page (GET /login/, no database work) is measured first and last in the same run: every page is compared
with it. Per page: req/s, p50/p95/p99 in ms and the HTML size.

Targets at 4 users (issue 16): every page p95 under 500 ms, and no page above 10x the trivial page at p50.

--reuse keeps a database already loaded (the demo takes minutes at scale 6.25); --keep does not drop it at the
end. --label names the run (before/after): each run's figures are kept in bench/var/web_s<scale>_<label>.json, and
the section written by --write shows the "before" run's p50/p95 beside this one when there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
VAR = BENCH_DIR / "var"
PARKOS = PROJECT_DIR / ".venv" / "bin" / "parkos"
TARGET_P95_MS = 500.0
TARGET_RATIO = 10.0
#: pages that are forms or start work, not pages a user reads (a GET of them is cheap and says nothing)
SKIP = re.compile(r"/(add|import|import-file|upload)/?$|/import|/export")


@dataclass
class Page:
    label: str
    url: str
    user: str
    times: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict:
        t = sorted(self.times)
        return {
            "label": self.label,
            "url": self.url,
            "user": self.user,
            "requests": len(t),
            "errors": self.errors,
            "rps": len(t) / self.seconds if self.seconds else 0.0,
            "p50": statistics.median(t) if t else 0.0,
            "p95": percentile(t, 0.95),
            "p99": percentile(t, 0.99),
            "kb": (statistics.median(self.sizes) / 1024) if self.sizes else 0.0,
        }


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    if not ordered:
        return 0.0
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


# --- database and server --------------------------------------------------------------------------


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def database_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def demo_loaded(name: str) -> bool:
    try:
        return psql("SELECT count(*) FROM users_user WHERE username = 'enterprise'", name) == "1"
    except subprocess.CalledProcessError:
        return False


def load_demo(env: dict, scale: float) -> str:
    """`parkos demo --scale N --no-serve`: wall time and the CPU time of the command (not of PostgreSQL)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [str(PARKOS), "demo", "--scale", f"{scale:g}", "--no-serve", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"parkos demo failed:\n{result.stdout}\n{result.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"demo loaded in {wall:.0f} s ({cpu:.0f} s CPU in `parkos demo`)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    env = dict(
        env,
        PARKOS_BIND=f"127.0.0.1:{port}",
        PARKOS_WORKERS=str(workers),
        PARKOS_INSECURE_HTTP="1",
        PARKOS_ALLOWED_HOSTS="127.0.0.1",
    )
    env.pop("PARKOS_DEBUG", None)
    log = open(VAR / f"web_server_{port}.log", "w")  # noqa: SIM115 (the server's life is the run's)
    server = subprocess.Popen([str(PARKOS), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 180
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"parkos serve stopped: see {log.name}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/login/", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("parkos serve did not answer within 180 s")


# --- pages --------------------------------------------------------------------------------------


def discover_pages(database_url: str) -> tuple[list[Page], str]:
    """Each demo account's home and menu entries, and a few detail pages, read from the database in-process."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from parkos.core.navigation import menu_for
    from parkos.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD
    from parkos.directory.models import Organization
    from parkos.parks.models import Park
    from parkos.users.models import User

    pages: list[Page] = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        pages.append(Page("home", "/", account.username))
        for group in menu_for(user):
            for item in group.items:
                if not SKIP.search(item.url):
                    pages.append(Page(item.label, item.url, account.username))
    organization = (
        Organization.objects.annotate(n=Count("positions")).order_by("-n", "pk").first()
        if hasattr(Organization, "positions")
        else Organization.objects.order_by("pk").first()
    )
    if organization is not None:
        pages.append(Page("organization detail (most positions)", organization.get_absolute_url(), "admin"))
    park = Park.objects.order_by("pk").first()
    if park is not None:
        pages.append(Page("park detail", park.get_absolute_url(), "admin"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    connection.close()
    global PASSWORD
    PASSWORD = DEMO_PASSWORD
    return pages, version


PASSWORD = ""


def sign_in(base: str, username: str) -> dict[str, str]:
    """The session cookies of ``username`` after the login form (CSRF token and all)."""
    session = requests.Session()
    form = session.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if not token:
        raise SystemExit("no CSRF token on /login/")
    response = session.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise SystemExit(f"signing in {username}: HTTP {response.status_code}")
    return session.cookies.get_dict()


def drive(base: str, page: Page, cookies: dict, users: int, seconds: float) -> None:
    """``users`` threads, one keep-alive connection each, asking for the page until the time is up."""
    lock = threading.Lock()
    stop_at = [0.0]
    began = [0.0]

    def set_clock() -> None:  # run by the barrier before it lets any thread go: every thread sees the end time
        began[0] = time.perf_counter()
        stop_at[0] = began[0] + seconds

    start = threading.Barrier(users + 1, action=set_clock)

    def user() -> None:
        session = requests.Session()
        session.cookies.update(cookies)
        session.get(base + page.url, timeout=120)  # warm-up, untimed
        start.wait()
        times, sizes, errors = [], [], 0
        while time.perf_counter() < stop_at[0]:
            began = time.perf_counter()
            response = session.get(base + page.url, timeout=120, allow_redirects=False)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code == 200:
                times.append(elapsed)
                sizes.append(len(response.content))
            else:
                errors += 1
        with lock:
            page.times += times
            page.sizes += sizes
            page.errors += errors

    threads = [threading.Thread(target=user) for _ in range(users)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    page.seconds = time.perf_counter() - began[0]


def resolve(base: str, page: Page, cookies: dict) -> bool:
    """Follow a redirect once (an enterprise user's home is its enterprise page); False when the page errs."""
    response = requests.get(base + page.url, cookies=cookies, timeout=120, allow_redirects=False)
    if response.status_code in (301, 302) and response.headers.get("Location", "").startswith("/"):
        page.url = response.headers["Location"]
        page.label += " (redirected)"
        response = requests.get(base + page.url, cookies=cookies, timeout=120, allow_redirects=False)
    return response.status_code == 200


# --- report -------------------------------------------------------------------------------------


def report(rows: list[dict], trivial: dict, before: dict | None) -> list[str]:
    head = "| page | as | req/s | p50 ms | p95 ms | p99 ms | × trivial p50 | HTML KB |"
    rule = "|---|---|---:|---:|---:|---:|---:|---:|"
    if before:
        head += " before p50 / p95 ms |"
        rule += "---:|"
    lines = [head, rule]
    for r in rows:
        ratio = r["p50"] / trivial["p50"] if trivial["p50"] else 0.0
        p95 = f"{r['p95']:.0f}" if r["p95"] < TARGET_P95_MS else f"**{r['p95']:.0f}**"
        times = f"{ratio:.1f}" if ratio <= TARGET_RATIO else f"**{ratio:.1f}**"
        line = (
            f"| {r['label']} | {r['user']} | {r['rps']:.1f} | {r['p50']:.0f} | {p95} | {r['p99']:.0f} | {times} "
            f"| {r['kb']:.0f} |"
        )
        if before:
            old = before.get(f"{r['user']} {r['url']}")
            line += f" {old['p50']:.0f} / {old['p95']:.0f} |" if old else " |"
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (default 1)")
    parser.add_argument("--users", type=int, default=4, help="concurrent users (default 4)")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per page (default 3 s)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--database", help="database name (default parkos_bench_web_s<scale>)")
    parser.add_argument("--reuse", action="store_true", help="use the database if the demo is loaded already")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--only", help="regular expression: measure only the pages whose label or URL matches")
    parser.add_argument("--label", default="run", help="name of this run (before, after); kept in bench/var/")
    parser.add_argument("--write", action="store_true", help="write the section into bench/RESULTS.md")
    parser.add_argument("--section", help="name of the section in bench/RESULTS.md (default: scale <N>)")
    parser.add_argument("--note", default="", help="a line on the data set, written under the section's title")
    args = parser.parse_args()

    VAR.mkdir(exist_ok=True)
    scale_tag = f"{args.scale:g}".replace(".", "_")
    name = args.database or f"parkos_bench_web_s{scale_tag}"
    database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = dict(os.environ, DATABASE_URL=database_url)
    env.pop("PARKOS_DEBUG", None)
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)

    if args.reuse and database_exists(name) and demo_loaded(name):
        loaded = "demo already loaded (--reuse)"
        migrate = subprocess.run([str(PARKOS), "migrate", "-v", "0"], env=env, capture_output=True, text=True)
        if migrate.returncode:
            raise SystemExit(f"parkos migrate failed:\n{migrate.stderr}")
    else:
        if database_exists(name):
            psql(f'DROP DATABASE "{name}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{name}"')
        loaded = load_demo(env, args.scale)
    print(loaded, flush=True)

    pages, pg_version = discover_pages(database_url)
    if args.only:
        wanted = re.compile(args.only)
        pages = [p for p in pages if wanted.search(p.label) or wanted.search(p.url)]
    port = free_port()
    server = start_server(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        cookies = {user: sign_in(base, user) for user in sorted({p.user for p in pages})}
        trivial = [Page("trivial: GET /login/ (first)", "/login/", "anonymous")]
        measured: list[Page] = []
        drive(base, trivial[0], {}, args.users, args.seconds)
        for page in pages:
            if not resolve(base, page, cookies[page.user]):
                print(f"skipped {page.url} as {page.user}: not 200", flush=True)
                continue
            drive(base, page, cookies[page.user], args.users, args.seconds)
            measured.append(page)
            s = page.summary()
            print(
                f"{s['label'][:40]:<40} {s['user']:<11} {s['rps']:6.1f}/s p50 {s['p50']:6.0f} p95 {s['p95']:6.0f} "
                f"p99 {s['p99']:6.0f} ms {s['kb']:6.0f} KB{'  errors ' + str(s['errors']) if s['errors'] else ''}",
                flush=True,
            )
        trivial.append(Page("trivial: GET /login/ (last)", "/login/", "anonymous"))
        drive(base, trivial[1], {}, args.users, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=60)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    if not args.keep:
        psql(f'DROP DATABASE "{name}" WITH (FORCE)')

    trivial_rows = [t.summary() for t in trivial]
    trivial_all = Page("trivial", "/login/", "anonymous", seconds=sum(t.seconds for t in trivial))
    for t in trivial:
        trivial_all.times += t.times
    base_row = trivial_all.summary()
    rows = [p.summary() for p in measured]
    for row in trivial_rows:
        print(f"{row['label']}: {row['rps']:.1f}/s p50 {row['p50']:.0f} p95 {row['p95']:.0f} ms")
    slow = [r for r in rows if r["p95"] >= TARGET_P95_MS or r["p50"] > TARGET_RATIO * base_row["p50"]]
    print(f"{len(rows)} pages; missing a target: {len(slow)}")

    record = {"scale": args.scale, "users": args.users, "rows": rows, "trivial": trivial_rows}
    tag = re.sub(r"\W+", "_", args.section) if args.section else f"s{scale_tag}"
    (VAR / f"web_{tag}_{args.label}.json").write_text(json.dumps(record, indent=1))
    before_file = VAR / f"web_{tag}_before.json"
    before = None
    if args.label != "before" and before_file.exists():
        before = {f"{r['user']} {r['url']}": r for r in json.loads(before_file.read_text())["rows"]}

    if args.write:
        write(
            args,
            rows,
            trivial_rows,
            base_row,
            before,
            slow,
            loaded,
            pg_version,
            load_before,
            load_after,
            cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime,
        )


def write(args, rows, trivial_rows, base_row, before, slow, loaded, pg_version, load_before, load_after, cpu) -> None:
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    from parkos.core.results import replace_section

    scale = f"{args.scale:g}"
    section = args.section or f"scale {scale}"
    start, end = f"<!-- web bench {section}: start -->", f"<!-- web bench {section}: end -->"
    cpuinfo = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpuinfo = line.split(":", 1)[1].strip()
            break
    command = f".venv/bin/python bench/web.py --scale {scale} --users {args.users} --seconds {args.seconds:g}"
    command += f" --workers {args.workers} --label {args.label}" + (" --reuse --keep" if args.reuse else "")
    if args.database:
        command += f" --database {args.database}"
    if args.only:
        command += f" --only '{args.only}'"
    if args.section:
        command += f" --section '{args.section}'"
    lines = [
        start,
        f"# Web load bench, demo scale {scale}: `parkos serve` on PostgreSQL, {args.users} concurrent users",
        "",
        *([args.note, ""] if args.note else []),
        f'Run on {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())} (run "{args.label}") with:',
        "",
        "```",
        command,
        "```",
        "",
        f"- machine: {os.cpu_count()} CPUs ({cpuinfo}), shared with other jobs; load average "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} before, "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} after",
        f"- Python {platform.python_version()}, Django {django.get_version()}, {pg_version}; gunicorn "
        f"{args.workers} sync workers, DEBUG off; {loaded}; CPU time of the children (load and server) {cpu:.0f} s",
        f"- each page: {args.users} threads with one keep-alive connection each, {args.seconds:g} s after one "
        "untimed request each; sizes are of the HTML only",
        "",
        "| trivial page | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {t['label']} | {t['rps']:.1f} | {t['p50']:.0f} | {t['p95']:.0f} | {t['p99']:.0f} |"
            for t in trivial_rows
        ),
        "",
        *report(rows, base_row, before),
        "",
        f"Targets: p95 under {TARGET_P95_MS:.0f} ms and p50 at most {TARGET_RATIO:.0f}× the trivial page's "
        f"({base_row['p50']:.0f} ms here). "
        + (
            "Every page meets both."
            if not slow
            else "Missed by: " + ", ".join(f"{r['label']} as {r['user']}" for r in slow) + "."
        ),
        end,
    ]
    replace_section(BENCH_DIR / "RESULTS.md", "\n".join(lines), start, end)
    print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()

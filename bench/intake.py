"""Press-intake benchmark: time of parkos.intake.extraction.pipeline.extract() per article of the development set.

    PARKOS_DEBUG=1 .venv/bin/python bench/intake.py [--runs 30] [--warmup 3] [--organizations 300] [--memory] [--write]

The extractor reads the directory as a gazetteer, so Django is set up on the benchmark's own SQLite file
(bench/var/intake.sqlite3, git-ignored) unless --database-url says otherwise; it is migrated and, once, given
--organizations made-up organizations (half with an English name) so that the gazetteer has names to match.
Start-up is timed apart: importing the pipeline, then the first extract() (reading the directory and building
the gazetteer's indexes). Then every article is extracted --warmup times untimed and --runs times timed
(the same call an upload makes, gazetteer cache included), and the table gives p50 / p95 / max per article and
for the typical articles of 2,500-3,500 characters, whose p95 the target (100 ms) applies to; the two longest
Chinese articles joined make a Chinese case of typical length. --memory adds one
pass under tracemalloc for the peak of Python allocations (slower, so outside the timed runs). --write puts the
section into bench/RESULTS.md between the bench-intake markers.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
import tracemalloc
from pathlib import Path

from harness import calibration_ms, conditions, ensure_loaded, percentile, section_head, setup_django, write_section

SECTION_START = "<!-- bench-intake:start -->"
SECTION_END = "<!-- bench-intake:end -->"
TARGET_MS = 100.0
TYPICAL_CHARS = (2500, 3500)

# Parts of made-up organization names: enough combinations for a few thousand distinct names.
ZH_PLACES = ("东林", "南湖", "西岭", "北渚", "青浦", "金川", "玉山", "云溪", "松岗", "梅林")
ZH_CORES = ("恒远", "瑞泽", "博创", "宏图", "嘉信", "联拓", "晶华", "启明", "睿德", "中科鼎")
ZH_TRADES = ("微电子", "生物医药", "新材料", "智能装备", "软件", "储能科技", "精密机械", "光电", "医疗器械", "数据服务")
EN_CORES = ("Everfar", "Ruize", "Bochuang", "Hongtu", "Jiaxin", "Liantuo", "Jinghua", "Qiming", "Ruide", "Dingke")
EN_TRADES = (
    "Microelectronics",
    "Biopharma",
    "New Materials",
    "Intelligent Equipment",
    "Software",
    "Energy Storage",
    "Precision Machinery",
    "Photonics",
    "Medical Devices",
    "Data Services",
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=30, help="timed extractions per article (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed extractions per article first (default 3)")
    parser.add_argument("--organizations", type=int, default=300, help="made-up organizations in the directory")
    parser.add_argument("--database-url", help="default: sqlite:///bench/var/intake.sqlite3")
    parser.add_argument("--memory", action="store_true", help="one more pass under tracemalloc for peak memory")
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def made_up_organizations(n: int) -> list[dict]:
    """n distinct invented organizations, Chinese name first, every other one with an English name too."""
    rows = []
    for i in range(n):
        place, core, trade = i % 10, (i // 10) % 10, (i // 100) % 10
        suffix = "" if i < 1000 else str(i // 1000)
        rows.append(
            {
                "name": f"{ZH_PLACES[place]}{ZH_CORES[core]}{suffix}{ZH_TRADES[trade]}有限公司",
                "name_en": f"{EN_CORES[core]}{suffix} {EN_TRADES[trade]} ({ZH_PLACES[place]}) Co., Ltd."
                if i % 2 == 0
                else "",
                "kind": "enterprise",
            }
        )
    return rows


def ensure_directory(n: int) -> str:
    from parkos.directory.models import Organization

    def load() -> dict[str, int]:
        # bench data only: bulk_create skips the change log, which a benchmark database does not need
        Organization.objects.bulk_create(Organization(**row) for row in made_up_organizations(n))
        return {"organizations": n}

    return ensure_loaded("intake", lambda: Organization.objects.exists(), load)


def timed_ms(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def measure(texts: dict[str, str], runs: int, warmup: int) -> dict[str, list[float]]:
    """Per case: the timed milliseconds of extract(), after the untimed warm-up calls."""
    from parkos.intake.extraction.pipeline import extract

    timings = {}
    for name, text in texts.items():
        for _ in range(warmup):
            extract(text, source=name)
        timings[name] = [timed_ms(extract, text, source=name)[0] for _ in range(runs)]
    return timings


def joined_chinese(articles, texts: dict[str, str]) -> tuple[str, str]:
    """The Chinese articles are 800-1,750 characters (Chinese says the same in fewer characters); two of the longest
    joined give a Chinese text of typical length, so that the target is checked in both languages."""
    longest = sorted((a for a in articles if a.language == "zh"), key=lambda a: -len(texts[a.name]))[:2]
    name = "zh: " + " + ".join(a.name.split("-", 1)[0] for a in longest) + " joined"
    return name, "\n\n".join(texts[a.name] for a in longest)


def peak_memory_mib(articles, texts: dict[str, str]) -> float:
    from parkos.intake.extraction.pipeline import extract

    tracemalloc.start()
    for article in articles:
        extract(texts[article.name], source=article.name)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def peak_rss_mib() -> float:
    """The process's peak resident memory (VmHWM): the gazetteer's C allocations included."""
    match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": statistics.median(values), "p95": percentile(values, 0.95), "max": max(values)}


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args.database_url, "intake.sqlite3")
    print(f"Database: {url}")
    status = ensure_directory(args.organizations)
    print(status)
    from parkos.intake.extraction.reading import read_document
    from parkos.intake.scoring import load_devset

    articles = load_devset()
    texts = {a.name: read_document(a.data, a.name) for a in articles}
    languages = {a.name: a.language for a in articles}
    joined_name, joined_text = joined_chinese(articles, texts)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()

    import_ms, pipeline = timed_ms(__import__, "parkos.intake.extraction.pipeline", fromlist=["extract"])
    first = articles[0]
    first_call_ms, _ = timed_ms(pipeline.extract, texts[first.name], source=first.name)
    print(f"start-up: import {import_ms:.0f} ms, first extract() {first_call_ms:.0f} ms ({first.name})")

    cases = {**texts, joined_name: joined_text}
    languages[joined_name] = "zh"
    timings = measure(cases, args.runs, args.warmup)
    rows = []
    for name, text in cases.items():
        row = {"name": name, "language": languages[name], "chars": len(text)}
        row.update(summary(timings[name]))
        rows.append(row)
        print(f"{row['name']:<45} {row['chars']:5,} chars  p50 {row['p50']:6.1f}  p95 {row['p95']:6.1f} ms")
    typical = [t for r in rows if TYPICAL_CHARS[0] <= r["chars"] <= TYPICAL_CHARS[1] for t in timings[r["name"]]]
    groups = {
        f"typical ({TYPICAL_CHARS[0]:,}-{TYPICAL_CHARS[1]:,} chars)": typical,
        "all English articles": [t for r in rows if r["language"] == "en" for t in timings[r["name"]]],
        "all Chinese articles": [t for a in articles if a.language == "zh" for t in timings[a.name]],
        "all articles": [t for a in articles for t in timings[a.name]],
    }
    memory = peak_memory_mib(articles, texts) if args.memory else None
    machine_conditions = conditions(load_before, calibration)
    lines = render(rows, groups, import_ms, first_call_ms, first.name, memory, peak_rss_mib())
    print("\n" + "\n".join(lines))
    print(machine_conditions)
    if args.write:
        command = (
            f"PARKOS_DEBUG=1 .venv/bin/python bench/intake.py --runs {args.runs} --warmup {args.warmup}"
            f" --organizations {args.organizations}" + (" --memory" if args.memory else "") + " --write"
        )
        section = "\n".join(
            [
                SECTION_START,
                *section_head("Press-intake benchmark", command),
                f"- data: the {len(articles)} articles of tests/intake/devset (read with `read_document`); the"
                f" directory (gazetteer) holds {status}, organizations made up by the script",
                f"- conditions: {machine_conditions}",
                f"- each article: {args.warmup} untimed calls, then {args.runs} timed calls of `extract(text,"
                " source=name)` in one process, directory look-up included",
                "",
                *lines,
                SECTION_END,
            ]
        )
        print(f"Wrote {write_section(section, SECTION_START, SECTION_END)}")
    return 0


def render(rows, groups, import_ms, first_call_ms, first_name, memory, rss_mib) -> list[str]:
    typical_label = next(iter(groups))
    typical = groups[typical_label]
    lines = [
        f"Start-up: importing the pipeline {import_ms:.0f} ms; first `extract()` {first_call_ms:.0f} ms"
        f" ({first_name}: directory read and gazetteer built). Process peak memory (VmHWM, Django and"
        f" the benchmark included): {rss_mib:.0f} MiB."
        + (
            f" Peak of new Python allocations during one pass over the set, after start-up: {memory:.1f} MiB"
            " (tracemalloc)."
            if memory is not None
            else ""
        ),
        "",
        "| group | calls | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, values in groups.items():
        if values:
            s = summary(values)
            lines.append(f"| {label} | {len(values)} | {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} |")
    lines += ["", "| article | chars | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['chars']:,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} |")
    met = bool(typical) and percentile(typical, 0.95) < TARGET_MS
    lines += [
        "",
        f"Target: under {TARGET_MS:.0f} ms per typical (~3,000 character) article after start-up, p95 of the"
        f" {typical_label} articles: " + ("met." if met else "**missed**."),
    ]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())

"""`parkos score_intake [DIR] [--verbose] [--write]`: the extractor's precision and recall on the development set."""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from parkos.core.results import replace_section
from parkos.intake.scoring import DEVSET_DIR, FIELDS, compare, describe, load_devset, overall, predict, score

#: the development set's section of bench/RESULTS.md; another folder (the held-out set) gets one of its own
SECTION = "intake-score"
RESULTS = Path(__file__).resolve().parents[4] / "bench" / "RESULTS.md"


class Command(BaseCommand):
    help = (
        "Run the press-intake extractor on every article of the development set (tests/intake/devset by default) "
        "and print precision, recall and F1 per field and per language."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, default=DEVSET_DIR, help=f"default: {DEVSET_DIR}")
        parser.add_argument("--verbose", action="store_true", help="list the misses and false positives per article")
        parser.add_argument("--write", action="store_true", help=f"write the table into {RESULTS}")

    def handle(self, *args, directory: Path, verbose: bool, write: bool, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory: give the folder that holds the articles.")
        articles = load_devset(directory)
        if not articles:
            raise CommandError(f"No article with its expected .json in {directory}.")
        console = Console(file=self.stdout, highlight=False, width=140)

        predicted, failures, started = [], [], time.perf_counter()
        for article in articles:
            try:
                predicted.append(predict(article))
            except Exception as exc:  # one broken article must not hide the figures of the others
                failures.append(f"{article.name}: {type(exc).__name__}: {exc}")
                predicted.append({})
        elapsed = time.perf_counter() - started
        expected = [a.expected for a in articles]

        languages = sorted({a.language for a in articles})
        by_language = {
            language: score(
                [p for p, a in zip(predicted, articles, strict=True) if a.language == language],
                [a.expected for a in articles if a.language == language],
            )
            for language in languages
        }
        total = score(predicted, expected)
        console.print(render_table(total, by_language, articles))
        console.print(f"{len(articles)} articles extracted in {elapsed:.1f} s (start-up included).")
        for failure in failures:
            console.print(f"[red]failed[/red] {failure}")
        if verbose:
            for article, one in zip(articles, predicted, strict=True):
                print_differences(console, article.name, compare(one, article.expected))
        if write:
            key = SECTION if directory.resolve() == DEVSET_DIR.resolve() else f"{SECTION}-{directory.name}"
            section = markdown(total, by_language, articles, failures, directory=directory, key=key)
            write_section(section, key)
            console.print(f"Wrote {RESULTS}")


def counts_by_language(articles) -> dict[str, int]:
    counts = defaultdict(int)
    for article in articles:
        counts[article.language] += 1
    return counts


def render_table(total: dict, by_language: dict, articles) -> Table:
    counts = counts_by_language(articles)
    table = Table(title=f"Press intake on {len(articles)} articles (micro-averaged)")
    table.add_column("field")
    for heading in ("P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(heading, justify="right")
    for language in by_language:
        table.add_column(f"F1 {language} ({counts[language]})", justify="right")
    for name in FIELDS:
        figures = total[name]
        table.add_row(
            name,
            *(f"{figures[k]:.2f}" for k in ("precision", "recall", "f1")),
            *(str(figures[k]) for k in ("tp", "fp", "fn")),
            *(f"{scores[name]['f1']:.2f}" for scores in by_language.values()),
        )
    pooled = overall(total)
    table.add_row(
        "all fields",
        *(f"{pooled[k]:.2f}" for k in ("precision", "recall", "f1")),
        *(str(pooled[k]) for k in ("tp", "fp", "fn")),
        *(f"{overall(scores)['f1']:.2f}" for scores in by_language.values()),
        style="bold",
    )
    return table


def print_differences(console: Console, name: str, outcome: dict) -> None:
    lines = []
    for field, result in outcome.items():
        for key in result["misses"]:
            lines.append(f"  [red]missed[/red]  {field}: {describe(key)}")
        for key in result["false_positives"]:
            lines.append(f"  [yellow]extra[/yellow]   {field}: {describe(key)}")
    console.print(f"[bold]{name}[/bold]" + ("" if lines else ": all fields right"))
    for line in lines:
        console.print(line, markup=True)


def markdown(
    total: dict, by_language: dict, articles, failures: list[str], *, directory: Path = DEVSET_DIR, key: str = SECTION
) -> str:
    counts = counts_by_language(articles)
    languages = list(by_language)
    devset = key == SECTION
    try:
        where = directory.resolve().relative_to(RESULTS.parents[1])
    except ValueError:
        where = directory
    lines = [
        f"<!-- {key}:start -->",
        "# Press intake: precision and recall on the "
        + ("development set" if devset else f"{directory.name} set (never tuned against)"),
        "",
        f"Run on {datetime.datetime.now(datetime.UTC).date().isoformat()} with:",
        "",
        "```",
        "PARKOS_DEBUG=1 .venv/bin/parkos score_intake " + ("" if devset else f"{where} ") + "--write",
        "```",
        "",
        f"- {len(articles)} hand-written articles in {where} ("
        + ", ".join(f"{counts[lang]} {lang}" for lang in languages)
        + "), each beside its expected JSON; conventions in tests/intake/devset/README.md",
        "- micro-averaged over articles: true and false positives and misses are summed, then divided; names"
        ' compared case-folded, NFKC-normalised, a leading "the" dropped; numbers equal within 0.5 %',
        "",
        "| field | precision | recall | F1 | tp | fp | fn | " + " | ".join(f"F1 {lang}" for lang in languages) + " |",
        "|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(languages),
    ]
    rows = [(name, total[name], [by_language[lang][name] for lang in languages]) for name in FIELDS]
    rows.append(("**all fields**", overall(total), [overall(by_language[lang]) for lang in languages]))
    for name, figures, per_language in rows:
        lines.append(
            f"| {name} | {figures['precision']:.2f} | {figures['recall']:.2f} | {figures['f1']:.2f} | "
            f"{figures['tp']} | {figures['fp']} | {figures['fn']} | "
            + " | ".join(f"{scores['f1']:.2f}" for scores in per_language)
            + " |"
        )
    if failures:
        lines += ["", "Articles the extractor failed on (scored as empty):", ""]
        lines += [f"- {failure}" for failure in failures]
    lines += ["", f"<!-- {key}:end -->"]
    return "\n".join(lines)


def write_section(section: str, key: str = SECTION) -> None:
    """Replace this command's section of bench/RESULTS.md, leaving the benchmarks' sections alone."""
    replace_section(RESULTS, section, f"<!-- {key}:start -->", f"<!-- {key}:end -->")

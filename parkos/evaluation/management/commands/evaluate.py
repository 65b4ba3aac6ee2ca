"""`parkos evaluate --scheme NAME --year YEAR`: run an evaluation now, with a progress bar.

`parkos evaluate prune [--keep 3] [--year YEAR] [--scheme NAME] [--dry-run]`: remove old runs of each
scheme and year beyond the newest --keep, always keeping the published (latest done) one.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from parkos.core.changelog import change_context
from parkos.core.cli import acting_user
from parkos.evaluation.models import EvaluationScheme
from parkos.evaluation.scheme import SchemeError
from parkos.evaluation.selectors import fail_dead_runs
from parkos.evaluation.services import run_evaluation


class Command(BaseCommand):
    help = "Apply the latest version of scheme NAME (or --version) to the filings of YEAR, as a new run."
    #: the system checks import every URLconf and template tag (about 2 s): `parkos check` runs them
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", choices=["run", "prune"], default="run", help="run (the default) or prune old runs"
        )
        parser.add_argument("--scheme", help="the scheme's name, e.g. zhejiang_above_threshold")
        parser.add_argument("--year", type=int)
        parser.add_argument("--keep", type=int, default=3, help="prune: runs kept per scheme and year (default 3)")
        parser.add_argument("--dry-run", action="store_true", help="prune: say what would go, remove nothing")
        parser.add_argument("--scheme-version", dest="scheme_version", type=int, help="a version other than the latest")
        parser.add_argument("--user", help="record the run as started by this user (default: the only superuser)")
        parser.add_argument(
            "--export", type=Path, metavar="FILE", help="write the run's results to FILE (.xlsx or .csv)"
        )

    def handle(self, *args, scheme, year, scheme_version, user, export=None, action="run", **options):
        if action == "prune":
            return self.prune(scheme, year, user, options.get("keep", 3), options.get("dry_run", False))
        if not scheme or year is None:
            raise CommandError("Give --scheme NAME and --year YEAR.")
        if export is not None and export.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(f"--export {export}: name a .xlsx or .csv file.")
        if dead := fail_dead_runs():
            self.stderr.write(f"{dead} run(s) whose process had stopped are now marked failed.")
        versions = EvaluationScheme.objects.filter(name=scheme).order_by("-version")
        if scheme_version:
            versions = versions.filter(version=scheme_version)
        found = versions.first()
        if found is None:
            names = ", ".join(sorted(set(EvaluationScheme.objects.values_list("name", flat=True)))) or "none loaded"
            raise CommandError(
                f"No scheme '{scheme}'{f' v{scheme_version}' if scheme_version else ''}; known: {names}."
            )
        actor = acting_user(user)
        with (
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f} %"),
                TimeElapsedColumn(),
                disable=options["verbosity"] == 0,
            ) as bar,
            change_context(user=actor, source="cli"),
        ):
            task = bar.add_task(f"{found} · {year}", total=100)

            def progress(percent, label):
                bar.update(task, completed=percent, description=f"{found} · {year}: {label}")

            try:
                run = run_evaluation(scheme=found, year=year, user=actor, progress=progress)
            except SchemeError as exc:
                raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{g} {n}" for g, n in run.grade_counts.items())
        self.stdout.write(
            f"Run #{run.pk}: {run.evaluated} enterprises evaluated of {run.filings} filings, {run.graded} graded "
            f"({counts}); fingerprint {run.fingerprint[:16]}."
        )
        if export is not None:
            from parkos.evaluation.resources import run_results_bytes

            export.write_bytes(run_results_bytes(run, actor, export.suffix.lower().lstrip(".")))
            self.stdout.write(f"Wrote the results of run #{run.pk} to {export}.")

    def prune(self, scheme, year, user, keep, dry_run):
        from django.core.exceptions import PermissionDenied, ValidationError

        from parkos.evaluation.services import evaluation_runs_prune

        try:
            report = evaluation_runs_prune(user=acting_user(user), keep=keep, year=year, scheme=scheme, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {len(report.runs)} run(s) with {report.results:,} results"
            f"{': #' + ', #'.join(map(str, report.runs)) if report.runs else ''}. Kept {report.kept_published} "
            f"published, {report.kept_recent} recent, {report.kept_unfinished} unfinished, "
            f"{report.kept_appealed} with appeals."
        )

"""`parkos demo`: migrate, load the deterministic demo data set, list the demo accounts, and serve."""

import os
import sys
import time
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from parkos.demo.generator import (
    DEFAULT_SEED,
    account_rows,
    delete_domain_data,
    domain_row_count,
    load_demo,
    no_progress,
    refresh_planner_statistics,
    volumes,
)
from parkos.directory.models import Organization


class Command(BaseCommand):
    help = (
        "Load a realistic demo data set (parks, land, buildings, enterprises, people) with one account "
        "per role, then serve ParkOS at 127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply every volume (1: ~16,000 enterprises; 6.25: 100,000)"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed; the same seed gives the same data (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete all domain data (organizations, parks, ...) before loading"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the day the demo's dates are drawn around, YYYY-MM-DD (default: today): history behind, plans ahead",
        )
        parser.add_argument("--no-serve", action="store_true", help="load and stop; do not start the server")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")

    def handle(self, *args, scale, seed, reset, no_serve, addrport, today=None, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive, e.g. 0.1, 1 or 6.25.")
        verbose = options["verbosity"] > 0
        console = Console(file=self.stdout, highlight=False)
        call_command("migrate", verbosity=0, interactive=False)

        if reset and domain_row_count():
            with self.progress(console, verbose) as progress:
                deleted = delete_domain_data(progress=progress)
            console.print(f"Deleted {deleted:,} rows of domain data.", soft_wrap=True)
        if domain_row_count():
            organizations = Organization.objects.count()
            console.print(
                f"[yellow]The database already holds domain data ({organizations:,} "
                "organizations): the demo was not loaded. Run with --reset to replace everything "
                "with the demo.[/]",
                soft_wrap=True,
            )
        else:
            planned = volumes(scale)
            console.print(
                f"Loading the demo at scale {scale:g} (seed {seed}): {planned['parks']} parks, "
                f"{planned['enterprises']:,} enterprises, {planned['people']:,} people.",
                soft_wrap=True,
            )
            started = time.perf_counter()
            with self.progress(console, verbose) as progress:
                counts = load_demo(scale=scale, seed=seed, progress=progress, today=today)
            elapsed = time.perf_counter() - started
            summary = ", ".join(f"{n:,} {key.replace('_', ' ')}" for key, n in counts.items())
            console.print(f"[green]Loaded in {elapsed:.1f} s:[/] {summary}.", soft_wrap=True)
            self.match_policies(console)
            self.store_occupancy(console)
            # the stored matches and occupancy came after the load's ANALYZE: without their statistics PostgreSQL
            # (autovacuum off, or not yet round) guessed a park's occupancy state at 1,850 rows and JIT-compiled
            # the leasing figures' 30-park query on every view, 28 ms of a 30 ms query
            refresh_planner_statistics()
            self.notify_due(console)

        self.print_accounts(console)
        if not no_serve:
            self.serve(addrport)

    @contextmanager
    def progress(self, console, verbose: bool):
        """A progress(label, total) for the generator: one rich bar per stage."""
        if not verbose:
            yield no_progress
            return
        with Progress(
            TextColumn("{task.description:<34}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bars:

            @contextmanager
            def stage(label, total):
                task = bars.add_task(label, total=total)
                yield lambda n=1: bars.advance(task, n)
                bars.update(task, completed=total)

            yield stage

    def print_accounts(self, console) -> None:
        table = Table(title="Demo accounts", title_justify="left")
        for column in ("username", "password", "role", "what they see"):
            table.add_column(column, overflow="fold")
        for row in account_rows():
            table.add_row(row["username"], row["password"], row["role"], row["sees"])
        console.print(table)

    def match_policies(self, console) -> None:
        """Store every policy's matches and outcome tables now, as the nightly `parkos policy_matches` would:
        otherwise the first visitor of the policy pages waits for the matching."""
        call_command("policy_matches", stdout=self.stdout)

    def store_occupancy(self, console) -> None:
        """Store every park's occupancy now (the loader writes leases in bulk, which marks every park out of
        date): otherwise the first visitor of the leasing figures or occupancy computes them all."""
        call_command("refresh_occupancy", stdout=self.stdout)

    def notify_due(self, console) -> None:
        """Today's scheduled checks, so the demo opens with notifications (overdue requests, expiring leases...)."""
        from parkos.notifications.checks import run_checks

        started = time.perf_counter()
        made = sum(n for kind, n in run_checks().items() if kind != "retried deliveries")
        console.print(f"Notified {made:,} events due today in {time.perf_counter() - started:.1f} s.", soft_wrap=True)

    def start_worker(self, env=None):
        """A `db_worker` next to the server, so that evaluation runs started from the web page get computed and
        notifications delivered, the hourly scheduled checks (`notify_due --every 3600`) and the cockpit's
        warm-up (`cockpit_warm --every 60`)."""
        import subprocess

        checks = subprocess.Popen([sys.executable, "-m", "parkos.manage", "notify_due", "--every", "3600"], env=env)
        warm = subprocess.Popen([sys.executable, "-m", "parkos.manage", "cockpit_warm", "--every", "60"], env=env)
        worker = subprocess.Popen([sys.executable, "-m", "parkos.manage", "db_worker"], env=env)
        worker.checks = checks  # stopped with the worker
        worker.warm = warm
        return worker

    def serve(self, addrport: str) -> None:
        if settings.DEBUG or os.environ.get("PARKOS_INSECURE_HTTP"):
            worker = self.start_worker()
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.checks.terminate()
                worker.warm.terminate()
                worker.terminate()
            return
        # Production settings insist on HTTPS and named hosts; the demo is a local trial over plain
        # HTTP, so serve it the way PARKOS_INSECURE_HTTP documents, in a fresh process with that set.
        host = addrport.rsplit(":", 1)[0] if ":" in addrport else "127.0.0.1"
        env = {
            **os.environ,
            "PARKOS_INSECURE_HTTP": "1",
            "PARKOS_ALLOWED_HOSTS": ",".join(
                filter(None, [os.environ.get("PARKOS_ALLOWED_HOSTS", ""), host.strip("[]"), "localhost", "127.0.0.1"])
            ),
        }
        self.stdout.write("Serving over plain HTTP for the demo (PARKOS_INSECURE_HTTP=1).")
        sys.stdout.flush()
        self.start_worker(env)  # keeps running beside the server that replaces this process
        os.execve(
            sys.executable,
            [sys.executable, "-m", "parkos.manage", "runserver", "--noreload", "--insecure", addrport],
            env,
        )

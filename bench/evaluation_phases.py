"""One evaluation run in-process, phase by phase: wall, this process's CPU and the PostgreSQL backend's CPU.

    createdb -h 127.0.0.1 -U postgres parkos_eval_phases
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkos_eval_phases PARKOS_DEBUG=1
    .venv/bin/parkos migrate -v0 && .venv/bin/python bench/evaluation_e2e.py --load 1000000
    .venv/bin/python bench/evaluation_phases.py          # as often as wanted; each run adds its results
    .venv/bin/python bench/evaluation_phases.py --writers 1   # the results on the run's own connection only

The phases are the run's own progress steps (reading and apportioning, scoring, rolling up, storing the
results with their commits). The backend's CPU is read from /proc/<pid>/stat of the connection's server
process (the server must run on this machine): on a shared machine, CPU time is the figure to compare. The
results writers' connections (services.RESULT_WRITERS, `--writers`) have server processes of their own: each
one's CPU is read when its thread closes its connection, and listed apart with the total of all.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")


def backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    import argparse

    import django

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, help="results writers (services.RESULT_WRITERS; default: the code's)")
    args = parser.parse_args()
    django.setup()
    from django.db import connection
    from django.db.utils import ConnectionHandler

    from parkos.evaluation import services

    if args.writers is not None:
        services.RESULT_WRITERS = args.writers
    others: dict[int, tuple[str, float]] = {}  # other threads' server processes: CPU when they closed
    close_all = ConnectionHandler.close_all

    def close_all_measured(self: ConnectionHandler) -> None:
        import threading

        for conn in self.all(initialized_only=True):
            if conn.vendor == "postgresql" and conn.connection is not None and not conn.connection.closed:
                backend = conn.connection.info.backend_pid
                others[backend] = (threading.current_thread().name, backend_cpu(backend))
        close_all(self)

    ConnectionHandler.close_all = close_all_measured  # type: ignore[method-assign]

    from parkos.core.changelog import change_context
    from parkos.core.cli import acting_user
    from parkos.evaluation.models import EvaluationScheme
    from parkos.evaluation.services import run_evaluation

    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    marks: list[tuple[str, float, float, float]] = []

    def mark(label: str) -> None:
        marks.append((label, time.perf_counter(), own_cpu(), backend_cpu(pid)))

    mark("Django set up")
    scheme = EvaluationScheme.objects.filter(name="zhejiang_below_threshold").order_by("-version").first()
    actor = acting_user("bench")
    with change_context(user=actor, source="cli"):
        run = run_evaluation(scheme=scheme, year=2024, user=actor, progress=lambda p, label: mark(f"{p} {label}"))
    mark("end")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average {load}; Django set up in {marks[0][1] - STARTED:.2f} s")
    print("| from progress step | wall s | CPU s | server CPU s |")
    print("|---|---:|---:|---:|")
    shown = [m for m in marks if "Storing results:" not in m[0]]  # the batches' steps summed into one
    for before, after in zip(shown, shown[1:], strict=False):
        print(f"| {before[0]} | {after[1] - before[1]:.2f} | {after[2] - before[2]:.2f} | {after[3] - before[3]:.2f} |")
    last = marks[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| total | {last[1] - STARTED:.2f} | {own_cpu():.2f} | {last[3]:.2f} |")
    writers = {pid: cpu for pid, (name, cpu) in others.items() if name.startswith("results-writer")}
    print(
        f"results writers: {services.RESULT_WRITERS}; their server processes' CPU s: "
        f"{', '.join(f'{cpu:.2f}' for cpu in writers.values()) or 'none'}; the run's own {last[3]:.2f}; "
        f"server total {last[3] + sum(writers.values()):.2f}; this process {own_cpu():.2f}; critical path (the "
        f"busiest process) {max([own_cpu(), last[3], *writers.values()]):.2f} s"
    )
    print(f"peak {peak:.0f} MiB; run #{run.pk}: {run.evaluated} evaluated of {run.filings}, {run.grade_counts}")


if __name__ == "__main__":
    main()

"""Helpers shared by the console commands: who acts, and a progress bar."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from parkos.users.models import User


def acting_user(username: str | None) -> User:
    """The user a command acts as: --user, else the only superuser. Its permissions apply in full."""
    users = User.objects.filter(is_active=True)
    if username:
        try:
            return users.get(username=username)
        except users.model.DoesNotExist as exc:
            raise CommandError(f"No active user '{username}'.") from exc
    superusers = list(users.filter(is_superuser=True)[:2])
    if len(superusers) != 1:
        raise CommandError("Say who acts with --user USERNAME (imports and exports obey that user's permissions).")
    return superusers[0]


@contextmanager
def progress_bar(description: str, total: int | None, *, enabled: bool = True) -> Iterator[Callable[[], None]]:
    """A rich progress bar; yields a function that advances it by one."""
    if not enabled:
        yield lambda: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)

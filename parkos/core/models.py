"""Base models every domain model inherits, and the change log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkos.core.permissions import Action, restrict
from parkos.core.reversing import reverse_pk

if TYPE_CHECKING:
    from parkos.core.actors import Actor

_P = TypeVar("_P", bound="PrimaryModel", covariant=True)


class RestrictedQuerySet(models.QuerySet[_P, _P]):
    def restrict(self, user: Actor | None, action: str = Action.VIEW) -> Self:
        """Only the rows ``user`` may ``action`` (see core.permissions)."""
        return restrict(self, user, action)


class ChangeLoggedModel(models.Model):
    """Every create, update and delete of a subclass lands in the change log (core.changelog).

    ``changelog_parent`` names a foreign key whose object's history should show this
    object's changes too (an alias shows in its organization's history).
    """

    changelog_parent: ClassVar[str | None] = None
    #: fields left out of change records (timestamps change on every save)
    changelog_exclude: ClassVar[tuple[str, ...]] = ("created", "last_updated")
    #: the values before a save, kept by the change log from pre_save to post_save (not a field)
    _changelog_before: dict[str, Any] | None

    class Meta:
        abstract = True


class PrimaryModel(ChangeLoggedModel):
    """A record people list, open, edit, import, export and reach through the API.

    Subclasses declare how their rows are scoped (core.permissions):
    ``park_path``: lookup from this model to its Park ("" for Park itself, None: in no park);
    ``organization_path``: lookup to the Organization whose users may see it (None: none; a tuple of lookups
    when several organizations' users may: an application's applicant and the policy's issuer);
    ``shared_with_staff``: every staff role sees all rows (the directory is one shared registry);
    ``shared_with_all``: every role allowed to view the model sees all rows (a catalogue open to enterprises);
    ``search_fields``: the fields the list filter and the global search look in;
    ``few_rows``: small enough to offer as a plain select (brands, parks, industries).
    """

    created = models.DateTimeField(_("created"), auto_now_add=True, null=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True, null=True)

    park_path: ClassVar[str | None] = None
    organization_path: ClassVar[str | tuple[str, ...] | None] = None
    shared_with_staff: ClassVar[bool] = False
    #: every role with view permission sees all rows, enterprise users included (the service catalogue)
    shared_with_all: ClassVar[bool] = False
    search_fields: ClassVar[tuple[str, ...]] = ()
    few_rows: ClassVar[bool] = False
    #: False for records the global search finds through another (an alias through its organization)
    in_global_search: ClassVar[bool] = True
    #: fields some viewers of a row may not read (a confidential project's real name and investor);
    #: ``hidden_fields_for`` says which, per row and user, and every channel honours it
    confidential_fields: ClassVar[tuple[str, ...]] = ()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse_pk(self.url_name(), self.pk)  # reversed once per URL name (core.reversing)

    def hidden_fields_for(self, user: Actor | None) -> frozenset[str]:
        """The fields of this row ``user`` may not read: shown as confidential in pages, API and exports."""
        return frozenset()

    @classmethod
    def may_sort_by_confidential(cls, user: Actor | None) -> bool:
        """Sorting by a confidential field ranks rows by values the user may not read: only for those who read all."""
        from parkos.core.permissions import Scope, scope_of

        return not cls.confidential_fields or scope_of(user) == Scope.EVERYTHING

    def changelog_redacted(self) -> tuple[str, ...]:
        """Fields whose values stay out of the change log while this row is in its current state."""
        return ()

    @classmethod
    def search_filter(cls, text: str, user: Actor | None, fields: Sequence[str] | None = None) -> models.Q:
        """Q for rows matching ``text``; a model with confidential fields searches them only where ``user`` may."""
        from parkos.core.filtersets import search_q

        return search_q(cls, text, fields)

    @classmethod
    def url_name(cls, view: str = "") -> str:
        """URL names follow one pattern: 'parks:landparcel', 'parks:landparcel_list', ..."""
        suffix = f"_{view}" if view else ""
        return f"{cls._meta.app_label}:{cls._meta.model_name}{suffix}"


class ObjectChange(models.Model):
    """One create, update or delete of one object: who, when, and the values before and after."""

    class Source(models.TextChoices):
        WEB = "web", _("web page")
        API = "api", _("API")
        IMPORT = "import", _("import")
        CLI = "cli", _("command line")
        DEMO = "demo", _("demo data")
        INTAKE = "intake", _("press intake")
        SYSTEM = "system", _("system")

    class ChangeAction(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request"), null=True, blank=True, db_index=True)
    source = models.CharField(_("via"), max_length=20, choices=Source.choices, blank=True)
    #: what the change came from, when more than a channel: "Article 12: ...", with its page
    origin = models.CharField(_("from"), max_length=300, blank=True)
    origin_url = models.CharField(_("origin page"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    changed_object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    changed_object_id = models.PositiveBigIntegerField(_("object ID"))
    changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
    related_object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    related_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200)
    prechange_data = models.JSONField(_("before"), null=True, blank=True)
    postchange_data = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        indexes = [
            models.Index(fields=["changed_object_type", "changed_object_id"], name="objectchange_object"),
            models.Index(fields=["related_object_type", "related_object_id"], name="objectchange_related"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse_pk("objectchange", self.pk)

    def diff(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each field whose value changed (``describe_changes`` works it out for
        many changes at once: a query per related model, not per change)."""
        if "_described" not in self.__dict__:
            describe_changes([self])
        return self.__dict__["_described"]  # type: ignore[no-any-return]

    def _changed_fields(self) -> Iterator[tuple[str, models.Field[Any, Any] | None, object, object]]:
        """(name, the model's field or None, before, after) of each field whose value changed, by name."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        model = self.changed_object_type.model_class()
        for name in sorted(set(before) | set(after)):
            old, new = before.get(name), after.get(name)
            if old == new:
                continue
            field = None
            if model is not None:
                try:
                    found = model._meta.get_field(name)
                except FieldDoesNotExist:  # a field removed since the change was recorded
                    found = None
                if isinstance(found, models.Field):  # not a reverse relation: those are not recorded
                    field = found
            yield name, field, old, new


def _named_model(field: models.Field[Any, Any] | None) -> type[models.Model] | None:
    """The model a changed field's stored ID names (a foreign key without choices), or None."""
    if field is None or getattr(field, "choices", None) or not field.many_to_one:
        return None
    related = field.related_model
    return related if isinstance(related, type) else None


def describe_changes(changes: Sequence[ObjectChange]) -> None:
    """Work out ``diff()`` of each change at once: the names of the foreign keys they changed are read with one
    query per related model, whatever the number of changes and keys (the recent changes of a detail page sent a
    query per changed key of each change, issue 16). Foreign keys are stored as IDs; a row shows what they named
    (the ID if since deleted, a redacted value as it is)."""
    changed = [list(change._changed_fields()) for change in changes]
    wanted: dict[type[models.Model], set[int]] = {}
    for fields in changed:
        for _name, field, old, new in fields:
            if (related := _named_model(field)) is not None:
                wanted.setdefault(related, set()).update(v for v in (old, new) if isinstance(v, int))
    names: dict[tuple[type[models.Model], int], str] = {}
    for related, ids in wanted.items():
        if ids:
            names.update(((related, o.pk), str(o)) for o in related._base_manager.filter(pk__in=ids))
    for change, fields in zip(changes, changed, strict=True):
        rows: list[tuple[str, object, object]] = []
        for name, field, old, new in fields:
            label = name
            if field is not None:
                label = str(field.verbose_name)
                if getattr(field, "choices", None):
                    choices = dict(field.flatchoices)
                    old, new = choices.get(old, old), choices.get(new, new)
                elif (related := _named_model(field)) is not None:
                    old = names.get((related, old), old) if isinstance(old, int) else old
                    new = names.get((related, new), new) if isinstance(new, int) else new
            rows.append((label, old, new))
        change.__dict__["_described"] = rows


class BackgroundJob(models.Model):
    """What the pages of background work (an import, an export) show alike: progress, heartbeat, times, error.

    The worker stamps ``heartbeat_at`` while it lives (core.heartbeat); a job still running without one is
    marked failed. Each kind keeps its own ``status`` choices, all holding "queued", "running" and "done".
    """

    status: str
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows"), default=0)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-pk"]

    @property
    def is_working(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.status in ("queued", "running")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return min(100, self.progress_done * 100 // self.progress_total) if self.progress_total else 0


class ImportJob(BackgroundJob):
    """One upload of a CSV or XLSX file for one model: its preview (a dry run) and then its import, with progress.

    Large files are checked and imported by the background worker (core.imports); the file waits in
    ``default_storage`` under ``imports/`` until the import is done. The report is the dry run's (or the
    import's) counts, row errors and preview rows, as JSON. The worker stamps ``heartbeat_at`` while it
    lives (core.heartbeat): a job still running without one is marked failed and can be retried.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        PREVIEWED = "previewed", _("previewed")
        FAILED = "failed", _("failed")
        DONE = "done", _("done")

    class Stage(models.TextChoices):
        PREVIEW = "preview", _("preview")
        IMPORT = "import", _("import")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    model_label = models.CharField(_("model"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    stored_file = models.CharField(_("stored file"), max_length=255, editable=False)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PREVIEW)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def can_confirm(self) -> bool:
        """A clean preview waits for the user's go-ahead."""
        return self.status == self.Status.PREVIEWED and not self.report.get("errors")

    @property
    def can_retry(self) -> bool:
        """Failed for a reason other than bad rows (its process died, an unexpected error): run the stage again."""
        return self.status == self.Status.FAILED and not self.report.get("errors")


class ExportJob(BackgroundJob):
    """One export run as background work: a list's rows (a filter of one model) or a report, for one user.

    A list export of more rows than PARKOS_EXPORT_INLINE_ROWS, or a PDF report of more than a few hundred
    rows, is written by the worker (core.exports) while the page "My exports" shows its progress; the file
    waits in ``default_storage`` under ``exports/`` for its owner alone, and is removed after
    PARKOS_EXPORT_KEEP_DAYS. ``query`` is the list's (or the report's) filter as a query string; the rows are
    read in the owner's scope when the work runs, so a record taken out of their reach meanwhile is left out.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        LIST = "list", _("list")
        REPORT = "report", _("report")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIST)
    #: the model's label for a list ("leasing.lease"), the report's name for a report
    source = models.CharField(_("source"), max_length=100)
    title = models.CharField(_("what is exported"), max_length=255)
    query = models.TextField(_("filter"), blank=True)
    format = models.CharField(_("format"), max_length=10)
    #: the language the file is written in (its headers, labels): the owner's when they asked for it
    language = models.CharField(_("language"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stored_file = models.CharField(_("stored file"), max_length=255, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("export_job", kwargs={"pk": self.pk})

    @property
    def can_download(self) -> bool:
        return self.status == self.Status.DONE and bool(self.stored_file)


class SearchEntry(models.Model):
    """One searchable value of one object (a code, a name, an alias), kept by parkos.core.search on every write.

    ``value`` is the value normalised (case-folded, letters and digits only) for exact matches; ``grams`` its
    overlapping two-character pieces, each prefixed with the content type ("12x科技"), which a full-text index
    serves: FTS5 on SQLite, a GIN index over ``string_to_array(grams, ' ')`` on PostgreSQL (migration 0006).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=100)
    #: 0 for codes (code, credit code, contract number), 1 for names, titles and aliases
    rank = models.PositiveSmallIntegerField(default=1)
    #: a value some viewers of the row may not read (a confidential project's real name)
    confidential = models.BooleanField(default=False)
    value = models.TextField()
    grams = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["value"], name="core_search_value"),
            models.Index(fields=["content_type", "object_id"], name="core_search_object"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.field}={self.value}"


class WorkerHeartbeat(models.Model):
    """One running `parkos db_worker`: it stamps ``heartbeat_at`` every HEARTBEAT_INTERVAL seconds, busy or
    idle, so /health/ (core.health) tells a live worker from a dead one. The row goes when the worker stops."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started = models.DateTimeField(_("started"), auto_now_add=True)
    #: stamped by the worker's heartbeat thread (core.heartbeat)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"

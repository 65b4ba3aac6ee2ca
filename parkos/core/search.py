"""Global search: one search across the object types of the menu, through a bigram index kept on every write.

Every searchable value of an object (its code, credit code or contract number, its names in both languages, its
aliases) is one ``SearchEntry`` row: the value normalised (case-folded, letters and digits only) and its overlapping
two-character pieces. A query is normalised the same way and matched

1. exactly (``value = q``, a B-tree lookup): codes first, then names;
2. as a substring: every two-character piece of the query, served by FTS5 on SQLite (a phrase of the pieces, so
   the pieces must follow each other) or by a GIN index over the pieces on PostgreSQL (with a ``LIKE`` recheck).

A two-character Chinese query ("科技") is one piece. Each piece carries its content type ("12x科技"), so the
search of one type reads only that type's postings. The rows found go through ``Model.objects.restrict(user,
VIEW)``, and a confidential value (a confidential project's real name) matches only for those who may read it.

The index is kept by signals (save and delete of each object) and by the bulk paths of ``core.changelog``
(``log_bulk_create``, ``update_logged``, ``log_bulk_delete``), which the demo loader and imports use;
``parkos rebuild_search_index`` rebuilds it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.http import urlencode

from parkos.core.actors import Actor
from parkos.core.inserts import insert_rows
from parkos.core.models import PrimaryModel, SearchEntry
from parkos.core.navigation import menu_model
from parkos.core.permissions import Action, can

#: field names whose values are identifiers: found first when typed exactly
CODE_WORDS = ("code", "reference", "number")
BATCH = 2000


@dataclass
class SearchGroup:
    label: str
    results: list[PrimaryModel]
    more_url: str
    has_more: bool
    #: the best tier of the group's rows: 0 an exact code, 1 an exact name, 2 a part of one
    best: int = 2
    exact: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ManyField:
    """A to-many search field through a reverse foreign key (an organization's ``aliases__name``)."""

    path: str
    child: type[models.Model]
    fk_attname: str
    value_field: str


@dataclass(frozen=True)
class Spec:
    model: type[PrimaryModel]
    own: tuple[str, ...]
    many: tuple[ManyField, ...]


def searchable_models() -> list[type[PrimaryModel]]:
    return [
        menu_model(config, name) for config in apps.get_app_configs() for name in getattr(config, "menu_models", ())
    ]


def normalize(text: str) -> str:
    """Case-folded letters and digits only: '91310115-MA1K' and '91310115ma1k' are one code."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def grams(value: str, prefix: str = "") -> list[str]:
    """The overlapping two-character pieces of a normalised value, in order."""
    return [f"{prefix}{value[i : i + 2]}" for i in range(len(value) - 1)]


def _rank(field_name: str) -> int:
    last = field_name.split("__")[-1]
    return 0 if any(word in last for word in CODE_WORDS) else 1


@cache
def specs() -> dict[type[PrimaryModel], Spec]:
    """What is indexed, per model: the short text columns of its search fields and its reverse to-many ones."""
    result: dict[type[PrimaryModel], Spec] = {}
    for model in searchable_models():
        if not model.in_global_search:
            continue
        own: list[str] = []
        many: list[ManyField] = []
        for name in model.search_fields:
            parts = name.split("__")
            try:
                first = model._meta.get_field(parts[0])
            except Exception:  # noqa: BLE001  (a search field that is not a field: not indexed)
                continue
            if len(parts) == 1 and isinstance(first, models.CharField):
                own.append(name)
            elif len(parts) == 2 and isinstance(first, models.ManyToOneRel):
                child = first.related_model
                assert isinstance(child, type)
                value_field = child._meta.get_field(parts[1])
                if isinstance(value_field, models.CharField):
                    many.append(ManyField(name, child, first.field.attname, parts[1]))
        if own or many:
            result[model] = Spec(model, tuple(own), tuple(many))
    return result


@cache
def _parents() -> dict[type[models.Model], list[tuple[type[PrimaryModel], str]]]:
    """Child model -> the indexed models whose entries hold its values, with the child's foreign key to them."""
    parents: dict[type[models.Model], list[tuple[type[PrimaryModel], str]]] = defaultdict(list)
    for spec in specs().values():
        for many in spec.many:
            parents[many.child].append((spec.model, many.fk_attname))
    return dict(parents)


def _confidential_readers(model: type[PrimaryModel], user: Actor | None) -> Q | None:
    """Rows of ``model`` whose confidential values ``user`` may read (None: every row)."""
    if not model.confidential_fields:
        return None
    if model._meta.label_lower == "investment.project":
        from parkos.investment.models import investor_visible_q

        readers = investor_visible_q(user)
        return readers if readers else None
    return Q(pk__in=[])  # a model with confidential fields and no rule: its confidential values are not searched


# --- keeping the index ----------------------------------------------------------------------------------------


def _entries(model: type[PrimaryModel], objects: Sequence[PrimaryModel]) -> list[SearchEntry]:
    spec = specs()[model]
    content_type = ContentType.objects.get_for_model(model)
    prefix = f"{content_type.pk}x"
    values: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
    for obj in objects:
        hidden = set(obj.changelog_redacted()) & set(model.confidential_fields)
        for name in spec.own:
            values[obj.pk].append((name, str(getattr(obj, name) or ""), name in hidden))
    pks = [obj.pk for obj in objects]
    for many in spec.many:
        rows = many.child._base_manager.filter(**{f"{many.fk_attname}__in": pks}).values_list(
            many.fk_attname, many.value_field
        )
        for pk, value in rows:
            values[pk].append((many.path, str(value or ""), False))
    entries = []
    for pk, fields in values.items():
        seen = set()
        for name, raw, confidential in fields:
            value = normalize(raw)
            if len(value) < 2 or (value, confidential) in seen:
                continue
            seen.add((value, confidential))
            entries.append(
                SearchEntry(
                    content_type=content_type,
                    object_id=pk,
                    field=name,
                    rank=_rank(name),
                    confidential=confidential,
                    value=value,
                    grams=" ".join(grams(value, prefix)),
                )
            )
    return entries


def index_objects(objects: Iterable[models.Model], *, new: bool = False) -> int:
    """(Re)index ``objects`` (any models: the unindexed are skipped, children reindex their parents), in bulk.

    ``new``: the objects were just created, so they have no entries to replace (their parents still do).
    """
    objects = list(objects)
    fresh = {(type(obj), obj.pk) for obj in objects} if new else set()
    by_model: dict[type[PrimaryModel], dict[int, PrimaryModel]] = defaultdict(dict)
    parent_ids: dict[type[PrimaryModel], set[int]] = defaultdict(set)
    indexed = specs()
    parents = _parents()
    for obj in objects:
        model = type(obj)
        if model in indexed and obj.pk is not None:
            by_model[model][obj.pk] = obj  # type: ignore[assignment]
        for parent, attname in parents.get(model, ()):
            if getattr(obj, attname, None) is not None:
                parent_ids[parent].add(getattr(obj, attname))
    for parent, ids in parent_ids.items():
        missing = ids - set(by_model[parent])
        for start in range(0, len(missing), BATCH):
            ids_chunk = sorted(missing)[start : start + BATCH]
            by_model[parent].update((o.pk, o) for o in parent._base_manager.filter(pk__in=ids_chunk))
    count = 0
    for model, rows in by_model.items():
        items = list(rows.values())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            _delete(model, [o.pk for o in chunk if (model, o.pk) not in fresh])
            entries = _entries(model, chunk)
            insert_rows(SearchEntry, entries)
            count += len(entries)
    return count


def _delete(model: type[models.Model], pks: Sequence[Any]) -> None:
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    SearchEntry.objects.filter(content_type=content_type, object_id__in=list(pks)).delete()


def unindex_objects(objects: Iterable[models.Model]) -> None:
    """Drop the entries of ``objects`` (about to be deleted); their parents are reindexed after the delete."""
    by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
    indexed = specs()
    for obj in objects:
        if type(obj) in indexed:
            by_model[type(obj)].append(obj.pk)
    for model, pks in by_model.items():
        for start in range(0, len(pks), BATCH):
            _delete(model, pks[start : start + BATCH])


def rebuild(
    models_to_index: Iterable[type[PrimaryModel]] | None = None, progress: Callable[[str, int], None] | None = None
) -> int:
    """Empty the index and fill it again from every searchable row. Returns the number of entries."""
    chosen = list(models_to_index) if models_to_index is not None else list(specs())
    total = 0
    for model in chosen:
        content_type = ContentType.objects.get_for_model(model)
        SearchEntry.objects.filter(content_type=content_type).delete()
        spec = specs()[model]
        only = ["pk", *spec.own, *(f for f in model.confidential_fields if f not in spec.own)]
        if model._meta.label_lower == "investment.project":
            only.append("is_confidential")
        queryset = model._base_manager.only(*only).order_by("pk")
        batch: list[PrimaryModel] = []
        count = 0
        for obj in queryset.iterator(chunk_size=BATCH):
            batch.append(obj)
            if len(batch) == BATCH:
                entries = _entries(model, batch)
                insert_rows(SearchEntry, entries)
                count += len(entries)
                batch = []
        if batch:
            entries = _entries(model, batch)
            insert_rows(SearchEntry, entries)
            count += len(entries)
        if progress:
            progress(model._meta.label, count)
        total += count
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            # bulk inserts wait in the GIN index's pending list, which every search would read through
            cursor.execute("SELECT gin_clean_pending_list('core_search_grams'::regclass)")
            cursor.execute("ANALYZE core_searchentry")
    return total


def _indexed_as(obj: models.Model) -> tuple[Any, ...] | None:
    """What ``obj``'s own entries are made of (None for a model indexed through others, or not at all)."""
    model = type(obj)
    spec = specs().get(model)  # type: ignore[arg-type]
    if spec is None or model in _parents():
        return None
    hidden = set(obj.changelog_redacted()) & set(model.confidential_fields)  # type: ignore[attr-defined]
    return (tuple(str(getattr(obj, name) or "") for name in spec.own), tuple(sorted(hidden)))


def remember_indexed(objects: Iterable[models.Model]) -> None:
    """Note what the entries of ``objects`` (just read, so indexed as they are) hold: saving them again
    without a change to a searched value then leaves the index alone (a bulk status change)."""
    for obj in objects:
        indexed = _indexed_as(obj)
        if indexed is not None:
            obj._search_indexed = indexed  # type: ignore[attr-defined]


def _after_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not (sender in specs() or sender in _parents()):
        return
    before = getattr(instance, "_search_indexed", None)
    if before is not None:
        now = _indexed_as(instance)
        if now == before:
            return  # no searched value changed
        instance._search_indexed = now  # type: ignore[attr-defined]
    if kwargs.get("created") and sender in specs() and sender not in _parents():
        # a new row has no entries to replace
        SearchEntry.objects.bulk_create(_entries(sender, [instance]))  # type: ignore[list-item]
        return
    index_objects([instance])


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender in specs():
        unindex_objects([instance])
    origin = kwargs.get("origin")
    origin_model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if sender in _parents() and origin_model not in {parent for parent, _a in _parents()[sender]}:
        index_objects([instance])  # its parents, without its value (unless the parent is what is deleted)


def connect() -> None:
    post_save.connect(_after_save, dispatch_uid="parkos_search_post_save")
    post_delete.connect(_after_delete, dispatch_uid="parkos_search_post_delete")


# --- searching ------------------------------------------------------------------------------------------------


def _matching(content_type_id: int, value: str) -> models.QuerySet[SearchEntry]:
    """Entries of one content type whose value holds ``value`` (normalised, at least two characters)."""
    pieces = grams(value, f"{content_type_id}x")
    entries = SearchEntry.objects.all()  # the pieces carry the content type
    if connection.vendor == "sqlite":
        phrase = '"' + " ".join(pieces) + '"'
        fts = RawSQL("SELECT rowid FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s", [phrase])
        return entries.filter(id__in=fts)
    if connection.vendor == "postgresql":
        return entries.filter(GramsContain(sorted(set(pieces))), value__contains=value)
    return entries.filter(content_type_id=content_type_id, value__contains=value)


class GramsContain(models.Expression):
    """PostgreSQL: ``string_to_array(grams, ' ') @> pieces``, which the GIN index of migration 0006 serves."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, pieces: list[str]) -> None:
        super().__init__()
        self.pieces = pieces
        self.column: Any = models.F("grams")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> GramsContain:
        clone = self.copy()
        clone.column = self.column.resolve_expression(*args, **kwargs)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.column)
        return f"string_to_array({sql}, ' ') @> %s::text[]", (*params, self.pieces)


def _types_matching(content_type_ids: list[int], value: str) -> set[int]:
    """The content types with at least one entry holding ``value``: one query, an index probe per type."""
    if connection.vendor not in ("sqlite", "postgresql") or not content_type_ids:
        return set(content_type_ids)
    parts, params = [], []
    for ct_id in content_type_ids:
        pieces = grams(value, f"{ct_id}x")
        if connection.vendor == "sqlite":
            parts.append(
                "SELECT %s WHERE EXISTS (SELECT 1 FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s)"
            )
            params += [ct_id, '"' + " ".join(pieces) + '"']
        else:
            parts.append(
                "SELECT %s WHERE EXISTS (SELECT 1 FROM core_searchentry "
                "WHERE string_to_array(grams, ' ') @> %s::text[] AND value LIKE %s)"
            )
            params += [ct_id, sorted(set(pieces)), f"%{value}%"]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)  # type: ignore[arg-type]
        return {row[0] for row in cursor.fetchall()}


def _visible_entries(
    model: type[PrimaryModel], user: Actor | None, entries: models.QuerySet[SearchEntry]
) -> models.QuerySet[SearchEntry]:
    readers = _confidential_readers(model, user)
    if readers is None:
        return entries
    return entries.filter(Q(confidential=False) | Q(object_id__in=model._base_manager.filter(readers).values("pk")))


def _candidates(
    model: type[PrimaryModel], user: Actor | None, content_type_id: int, value: str, offset: int, limit: int
) -> list[int]:
    """Object ids whose entries hold ``value``, in index order (no sorting: the index is read only this far)."""
    if connection.vendor == "sqlite" and _confidential_readers(model, user) is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.object_id FROM core_searchentry_fts JOIN core_searchentry e "
                "ON e.id = core_searchentry_fts.rowid WHERE core_searchentry_fts MATCH %s LIMIT %s OFFSET %s",
                ['"' + " ".join(grams(value, f"{content_type_id}x")) + '"', limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
    entries = _visible_entries(model, user, _matching(content_type_id, value))
    return list(entries.values_list("object_id", flat=True).order_by()[offset : offset + limit])


#: candidates read from the index per round, and rounds before asking the database the other way round
CHUNK, ROUNDS = 300, 3
#: fewer visible rows than this: their entries are read and compared, not the index's postings
FEW = 500


def _parts(
    model: type[PrimaryModel],
    user: Actor | None,
    content_type_id: int,
    value: str,
    visible: models.QuerySet[Any],
    related: list[str],
    found: list[PrimaryModel],
    wanted: int,
) -> list[PrimaryModel]:
    """Up to ``wanted`` visible rows holding ``value``, other than ``found``.

    The index is read a chunk at a time and the chunk's ids checked against what the user may see: a common
    query ("上海", in every name) stops after the first chunk. When the user sees few of many candidates (an
    enterprise user), the question is turned round after a few chunks: which visible rows have a matching entry.
    """
    seen = {row.pk for row in found}
    rows: list[PrimaryModel] = []
    for round_ in range(ROUNDS):
        ids = _candidates(model, user, content_type_id, value, round_ * CHUNK, CHUNK)
        fresh = list(dict.fromkeys(i for i in ids if i not in seen))
        if fresh:
            chunk_rows = list(visible.filter(pk__in=fresh).select_related(*related).order_by()[: wanted - len(rows)])
            rows += chunk_rows
            seen.update(row.pk for row in chunk_rows)
            seen.update(fresh)
        if len(rows) >= wanted or len(ids) < CHUNK:
            return rows
        if round_ == 0:
            # A user who sees few rows (an enterprise user): read their entries and compare here.
            few = list(visible.exclude(pk__in=list(seen)).values_list("pk", flat=True).order_by()[:FEW])
            if len(few) < FEW:
                own = SearchEntry.objects.filter(content_type_id=content_type_id, object_id__in=few)
                pairs = _visible_entries(model, user, own).values_list("object_id", "value")
                hits = list(dict.fromkeys(pk for pk, text in pairs if value in text))
                wanted_rows = visible.filter(pk__in=hits).select_related(*related).order_by()
                return rows + list(wanted_rows[: wanted - len(rows)])
    entries = _visible_entries(model, user, _matching(content_type_id, value))
    matching = entries.filter(content_type_id=content_type_id, object_id=models.OuterRef("pk"))
    rest = (
        visible.filter(models.Exists(matching))
        .exclude(pk__in=list(seen))
        .select_related(*related)
        .order_by()[: wanted - len(rows)]
    )
    return rows + list(rest)


def indexed_filter(model: type[PrimaryModel], text: str, user: Actor | None) -> Q | None:
    """Q for the rows of ``model`` whose indexed values hold ``text``, answered by the search index (a GIN
    index on PostgreSQL, FTS5 on SQLite) instead of an ``icontains`` scan of every row of the table.

    None when the index cannot answer: ``text`` has fewer than two letters or digits, or some of the model's
    ``search_fields`` are not indexed. The match is the global search's: case-folded, letters and digits only
    ("91310115-ma1k" finds "91310115MA1K"). A correlated EXISTS, so a list sorted by name walks its name index
    and stops after a page of hits (bench/RESULTS.md, "bigdata-1m").
    """
    value = normalize(text)
    spec = specs().get(model)
    if len(value) < 2 or spec is None:
        return None
    if set(model.search_fields) != {*spec.own, *(many.path for many in spec.many)}:
        return None
    content_type_id = ContentType.objects.get_for_model(model).pk
    entries = _visible_entries(model, user, _matching(content_type_id, value))
    return Q(models.Exists(entries.filter(content_type_id=content_type_id, object_id=models.OuterRef("pk"))))


def global_search(user: Actor | None, text: str, per_type: int = 5) -> list[SearchGroup]:
    """Groups of rows ``user`` may see whose code, name or alias is ``text`` or holds it, best groups first."""
    value = normalize(text)
    if len(value) < 2:
        return []
    indexed = specs()
    models_seen = [m for m in indexed if can(user, m, Action.VIEW)]
    if not models_seen:
        return []
    content_types = ContentType.objects.get_for_models(*models_seen)
    # Exact values, every type at once (a B-tree lookup): codes rank 0, names 1.
    exact: dict[int, dict[int, int]] = defaultdict(dict)
    exact_hidden: dict[int, dict[int, int]] = defaultdict(dict)
    for ct_id, object_id, rank, confidential in SearchEntry.objects.filter(
        value=value, content_type__in=list(content_types.values())
    ).values_list("content_type_id", "object_id", "rank", "confidential"):
        target = exact_hidden if confidential else exact
        target[ct_id][object_id] = min(rank, target[ct_id].get(object_id, rank))
    partial = _types_matching([content_types[m].pk for m in models_seen], value)
    groups = []
    for model in models_seen:
        content_type = content_types[model]
        if content_type.pk not in partial and not exact[content_type.pk] and not exact_hidden[content_type.pk]:
            continue
        visible = model.objects.restrict(user, Action.VIEW)
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        ranks = dict(exact[content_type.pk])
        rows: list[PrimaryModel] = []
        hidden = exact_hidden[content_type.pk]
        if ranks or hidden:
            found = Q(pk__in=list(ranks))
            if hidden:
                readers = _confidential_readers(model, user)
                found |= Q(pk__in=list(hidden)) & (readers if readers is not None else Q())
            rows = list(visible.filter(found).select_related(*related).order_by()[: per_type + 1])
            for row in rows:
                ranks.setdefault(row.pk, hidden.get(row.pk, 1))
            rows.sort(key=lambda row: (ranks[row.pk], str(row)))
        if len(rows) <= per_type and content_type.pk in partial:
            rows += _parts(model, user, content_type.pk, value, visible, related, rows, per_type + 1 - len(rows))
        if rows:
            best = min((ranks.get(row.pk, 2) for row in rows), default=2)
            groups.append(
                SearchGroup(
                    label=str(model._meta.verbose_name_plural).capitalize(),
                    results=rows[:per_type],
                    more_url=f"{reverse(model.url_name('list'))}?{urlencode({'q': text.strip()})}",
                    has_more=len(rows) > per_type,
                    best=best,
                    exact={row.pk for row in rows if row.pk in ranks},
                )
            )
    groups.sort(key=lambda group: group.best)  # stable: menu order within a tier
    return groups

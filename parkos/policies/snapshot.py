"""Stored matches: who qualifies for each policy and who nearly does, computed ahead of the readers.

Why stored. Matching reads every enterprise's attributes (``matching.attribute_table``: eight queries and a
Polars table of every enterprise) and tests every rule: 60-220 ms of CPU at demo scale 1 (16,000 enterprises),
growing with the enterprises. The outcomes page, a policy's page and its matches page, the matches API,
"Policies for you", the enterprise page's section and an organization's page all did it on every view. What
they need changes when a policy's rules change (then at once) or when an enterprise's attributes do (filings,
certificates, leases, grades: read as of the last computation, the page says when), so it is computed:

- for every policy (drafts too: their page previews who would qualify) by ``refresh()``, one attribute table
  for all of them, into ``PolicyMatch`` rows (qualifies, or misses exactly one rule: which, by how much, the
  values it read) and one ``MatchSnapshot`` per policy (when, on which day's attributes, against which rules);
- by the background worker when a policy is saved (``policy_matches_task``, queued on commit), nightly
  (``parkos policy_matches`` from the ``parkos-policy-matches`` timer) and by hand with the same command;
- by the reader itself for a policy whose snapshot is missing or was computed against other rules
  (``current``): a page never shows matches of rules the policy no longer has, even with no worker running.

Readers filter the stored rows by the reader's scope (``matching.visible_enterprises``) in the database and
read only the rows they show: the cost of a page no longer grows with the enterprises. The fresh computation
(``matching``) stays the reference: the tests check that the stored rows equal it.
"""

from __future__ import annotations

import datetime
import functools
import math
import threading
from collections.abc import Iterable, Sequence
from typing import Any, cast

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from parkos.directory.models import Organization
from parkos.policies import matching, rules
from parkos.policies.models import MatchSnapshot, Policy, PolicyMatch

#: rows written per INSERT
BATCH = 2000


# -- computing -----------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _rows_of(policy: Policy, table: pl.DataFrame) -> list[PolicyMatch]:
    found = matching.match_table(table, [policy], near=True)
    policy_rules = matching._rules_of(policy)
    rows = [
        PolicyMatch(policy_id=policy.pk, organization_id=org_id, failed=0)
        for org_id in found.filter(pl.col("failed") == 0)["organization_id"].to_list()
    ]
    misses = found.filter(pl.col("failed") > 0)
    if misses.height:
        ranked = misses.join(table, on="organization_id", how="left").with_columns(
            matching._gap_expression(policy_rules).alias("_gap")
        )
        for row in ranked.iter_rows(named=True):
            rule = policy_rules[row["missed"]]
            gap = row["_gap"]
            rows.append(
                PolicyMatch(
                    policy_id=policy.pk,
                    organization_id=row["organization_id"],
                    failed=row["failed"],
                    missed=row["missed"],
                    gap=gap if gap is not None and math.isfinite(gap) else None,
                    values={f: _json_value(row.get(f)) for f in rules.fields_of(rule)},
                )
            )
    return rows


def refresh(policies: Iterable[Policy] | None = None, *, day: datetime.date | None = None) -> dict[int, int]:
    """Match ``policies`` (every policy by default) against every enterprise on ``day`` (today) and store the
    result in place of the old one, in one transaction; {policy id: rows stored}."""
    chosen = list(Policy.objects.order_by("pk") if policies is None else policies)
    if not chosen:
        return {}
    day = day or timezone.localdate()
    table = matching.attribute_table(day=day)
    computed = {policy.pk: (_rows_of(policy, table) if table.height else []) for policy in chosen}
    now = timezone.now()
    ids = [policy.pk for policy in chosen]
    with transaction.atomic():
        for policy in chosen:
            try:
                with transaction.atomic():
                    MatchSnapshot.objects.get_or_create(
                        policy_id=policy.pk,
                        defaults={"computed_at": now, "day": day, "eligibility": policy.eligibility},
                    )
            except IntegrityError:
                pass  # another refresh created it meanwhile: locked below
        # one refresh of a policy at a time (the worker and a reader): the second waits, then replaces
        list(MatchSnapshot.objects.select_for_update().filter(policy_id__in=ids).order_by("policy_id"))
        PolicyMatch.objects.filter(policy_id__in=ids).delete()
        PolicyMatch.objects.bulk_create([row for rows in computed.values() for row in rows], batch_size=BATCH)
        for policy in chosen:
            rows = computed[policy.pk]
            qualifying = sum(1 for row in rows if row.failed == 0)
            MatchSnapshot.objects.filter(policy_id=policy.pk).update(
                computed_at=now,
                day=day,
                eligibility=policy.eligibility,
                qualifying=qualifying,
                near=len(rows) - qualifying,
            )
    return {pk: len(rows) for pk, rows in computed.items()}


def stale(policies: Sequence[Policy]) -> list[Policy]:
    """The policies never matched, or matched against rules they no longer have (one query)."""
    known = dict(
        MatchSnapshot.objects.filter(policy__in=[p.pk for p in policies]).values_list("policy_id", "eligibility")
    )
    return [p for p in policies if p.pk not in known or known[p.pk] != p.eligibility]


def current(policies: Sequence[Policy]) -> dict[int, MatchSnapshot]:
    """The snapshot of each policy, matching first those never matched or matched against other rules (one
    query when all are current)."""
    found = {s.policy_id: s for s in MatchSnapshot.objects.filter(policy__in=[p.pk for p in policies])}
    outdated = [p for p in policies if p.pk not in found or found[p.pk].eligibility != p.eligibility]
    if outdated:
        refresh(outdated)
        found.update({s.policy_id: s for s in MatchSnapshot.objects.filter(policy__in=[p.pk for p in outdated])})
    return found


def as_of(snapshots: Iterable[MatchSnapshot]) -> datetime.datetime | None:
    """When the oldest of ``snapshots`` was computed (what a page of several policies is "as of")."""
    return min((s.computed_at for s in snapshots), default=None)


# -- reading -------------------------------------------------------------------------------------


def visible(rows: QuerySet[PolicyMatch], user: Any | None) -> QuerySet[PolicyMatch]:
    """The stored rows of the enterprises ``user`` may see (``matching.visible_enterprises``)."""
    condition = matching.in_scope(user, "organization")  # every stored row is an enterprise's
    return rows if condition is None else rows.filter(condition)


def _said(policy: Policy) -> list[tuple[dict[str, Any], tuple[str, str]]]:
    return [(rule, (rules.describe(rule), rules.needed(rule))) for rule in matching._rules_of(policy)]


def _match(policy: Policy, said: list[tuple[dict[str, Any], tuple[str, str]]], row: tuple[Any, ...]) -> matching.Match:
    organization_id, failed, missed, values = row
    if failed == 0:
        return matching.Match(policy, organization_id, True, [])
    rule, sentence = said[missed]
    return matching.Match(policy, organization_id, False, [matching.miss_of(rule, values, said=sentence)])


_FIELDS = ("organization_id", "failed", "missed", "values")
_NEAR_ORDER = (F("gap").asc(nulls_last=True), "organization_id")


class StoredRows(Sequence[matching.Match]):
    """Stored matches of one policy as a sequence a Paginator pages through: a count, then only the rows read."""

    def __init__(self, policy: Policy, rows: QuerySet[PolicyMatch], count: Any = None) -> None:
        self.policy, self.rows = policy, rows
        self._count = count  # a callable giving the length (both lists' counts in one query), else count()
        self._len: int | None = None
        self._said: list[tuple[dict[str, Any], tuple[str, str]]] | None = None

    def __len__(self) -> int:
        if self._len is None:
            self._len = self._count() if self._count is not None else self.rows.count()
        return self._len

    def __getitem__(self, index):  # type: ignore[no-untyped-def]  # an int or a slice, as a list
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if self._said is None:
                self._said = _said(self.policy)
            said = self._said
            return [_match(self.policy, said, row) for row in self.rows.values_list(*_FIELDS)[start:stop]][::step]
        return self[index : index + 1][0] if index >= 0 else self[len(self) + index]


class StoredMatches:
    """A policy's qualifying and near-miss enterprises in ``user``'s scope, as stored (``as_of``: when)."""

    def __init__(self, policy: Policy, *, user: Any | None = None, near: bool = True) -> None:
        self.policy = policy
        self.snapshot = current([policy])[policy.pk]
        self.as_of = self.snapshot.computed_at
        self._rows = rows = visible(PolicyMatch.objects.filter(policy=policy), user)
        self._near = near
        self._counts: dict[str, int] | None = None
        self.qualifying = StoredRows(
            policy, rows.filter(failed=0).order_by("organization_id"), lambda: self._counted("qualifying")
        )
        self.near = StoredRows(
            policy,
            rows.filter(failed__gt=0).order_by(*_NEAR_ORDER) if near else rows.none(),
            lambda: self._counted("near"),
        )

    def _counted(self, kind: str) -> int:
        if self._counts is None:
            self._counts = self._rows.aggregate(
                qualifying=Count("pk", filter=Q(failed=0)), near=Count("pk", filter=Q(failed__gt=0))
            )
            if not self._near:
                self._counts["near"] = 0
        return self._counts[kind] or 0


def enterprises_for_policy(
    policy: Policy, *, user: Any | None = None, near: bool = True
) -> tuple[list[matching.Match], list[matching.Match]]:
    """``matching.enterprises_for_policy`` as stored: (qualifying, near misses closest first)."""
    found = StoredMatches(policy, user=user, near=near)
    return list(found.qualifying[:]), list(found.near[:])


def policies_for_enterprise(
    organization: Organization, *, day: datetime.date | None = None
) -> tuple[list[matching.Match], datetime.datetime | None]:
    """``matching.policies_for_enterprise`` as stored: the open policies it qualifies for, then those it nearly
    does (closest first); and when they were computed."""
    chosen = list(matching.open_policies(day).select_related("issuer").order_by("-opens_on", "name", "pk"))
    if not chosen:
        return [], None
    snapshots = current(chosen)
    by_id = {p.pk: p for p in chosen}
    order = {p.pk: i for i, p in enumerate(chosen)}
    rows = PolicyMatch.objects.filter(organization=organization, policy__in=list(by_id)).values_list(
        "policy_id", "gap", *_FIELDS
    )
    qualifying, near = [], []
    for policy_id, gap, *row in rows:
        policy = by_id[policy_id]
        match = _match(policy, _said(policy) if row[1] else [], tuple(row))
        if match.qualifies:
            qualifying.append((order[policy_id], match))
        else:
            near.append(((gap is None, gap or 0.0, policy_id), match))
    qualifying.sort(key=lambda pair: pair[0])
    near.sort(key=lambda pair: pair[0])
    return [m for _, m in qualifying] + [m for _, m in near], as_of(snapshots.values())


def qualifying_for_enterprise(
    organization: Organization, *, limit: int, day: datetime.date | None = None
) -> tuple[list[Policy], int, int, datetime.datetime | None]:
    """The open policies ``organization`` qualifies for as stored, the first ``limit`` in ``policies_for_enterprise``'s
    order (with their issuers, and only the columns a list shows); how many it qualifies for and how many it nearly
    does; and as of when.

    For a summary such as the enterprise page's: ``policies_for_enterprise`` reads every open policy whole, then
    builds every near miss's sentences for a page that lists them (about 14,000 Python calls and three queries for
    a section that shows five names and two counts, issue 16). One query here when every snapshot is current: each
    open policy with its snapshot's rules and time and the enterprise's stored row.
    """
    chosen = (
        matching.open_policies(day)
        .select_related("issuer")
        .only("name", "eligibility", "issuer__name")
        .annotate(
            snapshot_rules=F("match_snapshot__eligibility"),
            snapshot_at=F("match_snapshot__computed_at"),
            failed=Subquery(
                PolicyMatch.objects.filter(policy=OuterRef("pk"), organization=organization).values("failed")[:1]
            ),
        )
        .order_by("-opens_on", "name", "pk")
    )
    policies = list(chosen)
    outdated = [p for p in policies if p.snapshot_at is None or p.snapshot_rules != p.eligibility]  # type: ignore[attr-defined]
    if outdated:  # as ``current``: match them now, then read them again
        current(outdated)
        policies = list(chosen.all())
    qualifying = [p for p in policies if p.failed == 0]  # type: ignore[attr-defined]
    near = sum(1 for p in policies if p.failed)  # type: ignore[attr-defined]
    as_of = min((p.snapshot_at for p in policies), default=None)  # type: ignore[attr-defined]
    return qualifying[:limit], len(qualifying), near, as_of


def qualified(policies: Sequence[Policy], user: Any | None) -> tuple[dict[int, set[int]], datetime.datetime | None]:
    """{policy id: the enterprises in ``user``'s scope that qualify for it} as stored, and as of when."""
    snapshots = current(policies)
    found: dict[int, set[int]] = {p.pk: set() for p in policies}
    rows = visible(PolicyMatch.objects.filter(policy__in=list(found), failed=0), user)
    for policy_id, organization_id in rows.values_list("policy_id", "organization_id"):
        found[policy_id].add(organization_id)
    return found, as_of(snapshots.values())


def qualified_rows(policies: Sequence[Policy], user: Any | None) -> QuerySet[PolicyMatch]:
    """The stored qualifying rows of ``policies`` in ``user``'s scope (for a subquery)."""
    return visible(PolicyMatch.objects.filter(policy__in=[p.pk for p in policies], failed=0), user)


def refresh_organizations(organization_ids: Iterable[int], *, day: datetime.date | None = None) -> int:
    """Match ``organization_ids`` again against every policy already stored (a certificate of theirs changed):
    their rows replaced, the other enterprises' kept; how many rows are stored for them now."""
    ids = sorted(set(organization_ids))
    policies = list(Policy.objects.filter(match_snapshot__isnull=False).order_by("pk"))
    if not ids or not policies:
        return 0
    table = matching.attribute_table(Organization.objects.filter(pk__in=ids), day=day or timezone.localdate())
    rows = [row for policy in policies for row in (_rows_of(policy, table) if table.height else [])]
    with transaction.atomic():
        list(MatchSnapshot.objects.select_for_update().filter(policy__in=policies).order_by("policy_id"))
        PolicyMatch.objects.filter(organization_id__in=ids).delete()
        PolicyMatch.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# -- keeping it current --------------------------------------------------------------------------

_pending = threading.local()


def _queue(kind: str, pk: int) -> None:
    """Queue ``pk`` for the worker once the transaction commits: one task per transaction and kind, whatever the
    rows saved in it (an import of a thousand certificates queues one). A rolled-back transaction drops its
    callback; its ids go with the next one (matching them again is harmless)."""
    pending: dict[str, set[int]] = getattr(_pending, "ids", None) or {}
    _pending.ids = pending
    pending.setdefault(kind, set()).add(pk)
    callback = _SENDERS[kind]
    if not connection.in_atomic_block:
        callback()
        return
    here = set(connection.savepoint_ids)  # once per savepoint: a savepoint rolled back drops its callbacks
    registered = cast(list[tuple[set[str], Any, bool]], connection.run_on_commit)
    if not any(func is callback and sids == here for sids, func, _robust in registered):
        transaction.on_commit(callback)


def _send(kind: str) -> None:
    from parkos.policies import tasks

    ids = sorted(getattr(_pending, "ids", {}).pop(kind, set()))
    if not ids:
        return
    senders: dict[str, Any] = {
        "policy": tasks.policy_matches_task,
        "organization": tasks.organization_matches_task,
        "outcome": tasks.outcomes_task,
    }
    senders[kind].enqueue(ids)


_SENDERS = {kind: functools.partial(_send, kind) for kind in ("policy", "organization", "outcome")}


def _policy_saved(sender: Any, instance: Policy, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        from parkos.policies.outcomes import mark_stale

        mark_stale(instance.pk)  # its year or status may have changed
        _queue("policy", instance.pk)


def _certificate_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _queue("organization", instance.organization_id)


def _application_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        from parkos.policies.outcomes import mark_stale

        mark_stale(instance.policy_id)
        _queue("outcome", instance.policy_id)


def connect() -> None:
    """A policy saved (its rules may have changed), a certificate saved or deleted, an application saved or
    deleted: what is stored of them is stale, and the worker computes it again once the change commits."""
    from django.db.models.signals import post_delete, post_save

    from parkos.policies.models import Application, Certification

    post_save.connect(_policy_saved, sender=Policy, dispatch_uid="policies_snapshot_policy_saved")
    post_save.connect(_certificate_changed, sender=Certification, dispatch_uid="policies_snapshot_certificate_saved")
    post_delete.connect(
        _certificate_changed, sender=Certification, dispatch_uid="policies_snapshot_certificate_deleted"
    )
    post_save.connect(_application_changed, sender=Application, dispatch_uid="policies_snapshot_application_saved")
    post_delete.connect(_application_changed, sender=Application, dispatch_uid="policies_snapshot_application_deleted")

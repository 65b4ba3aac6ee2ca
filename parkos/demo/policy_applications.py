"""The demo's policy applications, decisions and payments, so the workflow, figures and outcomes pages have content.

``load_policy_applications`` runs inside ``load_demo`` right after ``load_policies`` (it reads the policies that made
and the evaluation demo's filings and runs), drawing from the same ``random.Random``:

- on each demo policy, applications from enterprises that qualify (matching, one pass over all policies) and a few
  that nearly do, at every status: draft, submitted, under review, approved (an amount within the cap and the
  budget left, paid in one or two payments or not yet), rejected (with the reasons), withdrawn; a closed policy
  has only decided or withdrawn ones. Each application past the draft carries every document its policy asks for;
- one past edition of the first policy, opened two years ago and closed, decided that year, whose cohort the
  evaluation demo's filings and run of the next year measure: the outcomes page compares something.

Document files: one small PDF per distinct document title, stored once and shared by the rows (a demo of thousands
of applications stores a handful of files). Rows go in with ``bulk_create`` and are recorded with
``log_bulk_create``; the load costs a fixed number of queries per policy.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from parkos.core.changelog import log_bulk_create
from parkos.evaluation.models import IndicatorFiling
from parkos.policies.models import Application, ApplicationDocument, Disbursement, Policy
from parkos.users.models import User

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
S = Application.Status

#: applications per open policy at scale 1 (qualifying enterprises first, then near misses), and their statuses
PER_POLICY = 24
OPEN_MIX = (
    (S.DRAFT, 0.08),
    (S.SUBMITTED, 0.14),
    (S.UNDER_REVIEW, 0.14),
    (S.APPROVED, 0.42),
    (S.REJECTED, 0.16),
    (S.WITHDRAWN, 0.06),
)
CLOSED_MIX = ((S.APPROVED, 0.6), (S.REJECTED, 0.3), (S.WITHDRAWN, 0.1))
REJECTIONS = (
    "研发费用占比未达到政策要求，请补充专项审计报告后于下一批次申报。",
    "申报材料中的营业收入与税务数据不一致，本批次不予支持。",
    "企业在园区经营未满规定年限。",
    "本年度预算已按评审排序分配完毕。",
)
APPROVALS = ("材料齐全，经评审符合政策条件。", "经专家评审通过，按核定金额拨付。", "符合条件，按政策上限核定。")
PAST_EDITION_COHORT = 40

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pick(rng: random.Random, mix: Sequence[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for status, share in mix:
        total += share
        if roll < total:
            return status
    return mix[-1][0]


def _stored_files(titles: set[str]) -> dict[str, str]:
    """One small PDF per document title, saved once: title -> stored name."""
    names = {}
    for index, title in enumerate(sorted(titles)):
        names[title] = default_storage.save(f"policies/demo/document-{index + 1}.pdf", ContentFile(_PDF))
    return names


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load_policy_applications(
    rng: random.Random,
    *,
    policies: Sequence[Policy],
    today: date,
    counts: dict[str, int],
    progress: Progressbar,
    scale: float = 1,
) -> list[Application]:
    """Create the demo's applications, documents and payments on ``policies`` (and a past edition of the first)."""
    from parkos.policies import matching

    rng = random.Random(rng.getrandbits(64))
    policies = list(policies)
    if not policies:
        return []
    reviewers = list(User.objects.filter(groups__name="service_staff", is_active=True).order_by("pk")[:5])
    park_of = dict(
        IndicatorFiling.objects.order_by("organization_id", "year").values_list("organization_id", "park_id")
    )  # the latest filing's park wins

    past = _past_edition(policies[0], today)
    table = matching.attribute_table(day=today)
    found = matching.match_table(table, policies, near=True) if table.height else None
    qualifying, near = matching.matches_from(found, table, policies) if found is not None else ([], [])
    candidates: dict[int, list[tuple[int, bool]]] = {p.pk: [] for p in policies}
    for match in qualifying + near:
        candidates[match.policy.pk].append((match.organization_id, match.qualifies))

    rows: list[tuple[Application, Policy]] = []
    for policy in policies:
        chosen = [c for c in candidates[policy.pk] if c[1]]
        rng.shuffle(chosen)
        misses = [c for c in candidates[policy.pk] if not c[1]][:4]
        wanted = max(4, round(PER_POLICY * scale))
        people = chosen[: wanted - len(misses)] + misses
        mix = CLOSED_MIX if policy.status == Policy.Status.CLOSED else OPEN_MIX
        rows += _applications(rng, policy, people, mix, today, reviewers, park_of)

    cohort = list(
        IndicatorFiling.objects.filter(year=(past.opens_on or today).year + 1)
        .order_by("organization_id")
        .values_list("organization_id", flat=True)
    )
    rng.shuffle(cohort)
    people = [(o, True) for o in cohort[: max(12, round(PAST_EDITION_COHORT * scale))]]
    rows += _applications(rng, past, people, CLOSED_MIX, past.closes_on or today, reviewers, park_of)

    applications = [a for a, _p in rows]
    Application.objects.bulk_create(applications)
    log_bulk_create(applications)
    counts["policy_applications"] = counts.get("policy_applications", 0) + len(applications)

    files = _stored_files({t for _a, p in rows for t in p.required_documents})
    documents = [
        ApplicationDocument(application=a, title=title, file=files[title])
        for a, p in rows
        if a.status != S.DRAFT
        for title in p.required_documents
    ]
    payments = []
    for application, _policy in rows:
        if application.status != S.APPROVED or application.amount_approved is None or rng.random() < 0.25:
            continue
        decided = (application.decided_at or _at(today)).date()
        first = application.amount_approved if rng.random() < 0.5 else (application.amount_approved * Decimal("0.6"))
        for n, amount in enumerate((first, application.amount_approved - first)):
            paid_on = min(today, decided + timedelta(days=rng.randint(10, 60) + 90 * n))
            if amount > 0:
                payments.append(
                    Disbursement(
                        application=application,
                        paid_on=paid_on,
                        amount=amount.quantize(Decimal("0.01")),
                        reference=f"ZF{paid_on:%Y%m%d}{application.pk:06d}{n}",
                    )
                )
    with progress("Policy documents and payments", len(documents) + len(payments)) as advance:
        batches: tuple[list[Any], ...] = (documents, payments)
        for batch in batches:
            for start in range(0, len(batch), 2000):
                chunk = batch[start : start + 2000]
                type(chunk[0])._default_manager.bulk_create(chunk)
                log_bulk_create(chunk)
                advance(len(chunk))
    counts["policy_documents"] = counts.get("policy_documents", 0) + len(documents)
    counts["disbursements"] = counts.get("disbursements", 0) + len(payments)
    return applications


def _past_edition(policy: Policy, today: date) -> Policy:
    """Last-but-one year's edition of ``policy``: opened in March, closed in September, every application decided."""
    year = today.year - 2
    past = Policy(
        issuer=policy.issuer,
        name=f"{policy.name}（{year}年度）",
        document_number=policy.document_number.replace(str(today.year), str(year)),
        aspect=policy.aspect,
        summary=policy.summary,
        status=Policy.Status.CLOSED,
        opens_on=date(year, 3, 1),
        closes_on=date(year, 9, 30),
        budget_amount=policy.budget_amount,
        budget_currency=policy.budget_currency,
        amount_rule=policy.amount_rule,
        amount_cap=policy.amount_cap,
        documents_required=policy.documents_required,
        eligibility=policy.eligibility,
    )
    past.save()
    return past


def _applications(
    rng: random.Random,
    policy: Policy,
    people: Sequence[tuple[int, bool]],
    mix: Sequence[tuple[str, float]],
    until: date,
    reviewers: Sequence[User],
    park_of: dict[int, Any],
) -> list[tuple[Application, Policy]]:
    """Applications of ``people`` on ``policy``; an approved amount stays within the cap and the budget left."""
    start = policy.opens_on or until - timedelta(days=90)
    span = max(1, (min(until, policy.closes_on or until) - start).days)
    left = policy.budget_amount if policy.budget_amount is not None else Decimal("1e12")
    cap = policy.amount_cap or Decimal(500_000)
    out = []
    for organization_id, qualifies in people:
        status = _pick(rng, mix) if qualifies else rng.choice((S.REJECTED, S.SUBMITTED))
        submitted = start + timedelta(days=rng.randint(0, span))
        requested = (cap * Decimal(rng.uniform(0.5, 1.0))).quantize(Decimal(1000))
        application = Application(
            policy=policy,
            applicant_id=organization_id,
            park_id=park_of.get(organization_id),
            status=status,
            amount_requested=requested,
            statement="申请享受本政策支持，相关材料见附件。",
            submitted_at=None if status == S.DRAFT else _at(submitted),
        )
        if status in (S.UNDER_REVIEW, S.APPROVED, S.REJECTED) and reviewers:
            application.reviewer = rng.choice(reviewers)
        if status in (S.APPROVED, S.REJECTED):
            decided = min(until, submitted + timedelta(days=rng.randint(15, 60)))
            application.decided_at = _at(decided)
            amount = min(requested, cap, left).quantize(Decimal(1000))
            if status == S.APPROVED and amount > 0:
                application.amount_approved = amount
                application.decision_note = rng.choice(APPROVALS)
                left -= amount
            else:
                application.status = S.REJECTED
                application.decision_note = rng.choice(REJECTIONS)
        out.append((application, policy))
    return out

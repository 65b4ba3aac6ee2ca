"""The demo's inefficient land: a flag on every inefficient parcel, a disposal case on every parcel under disposal.

``load_disposal`` runs inside ``load_demo`` after the evaluation demo, drawing from the same
``random.Random``. The parks generator already gives parcels their statuses; this module gives
those statuses their history in the shape the services keep it (parkos.land.services):
an inefficient parcel has an open flag (from the latest evaluation run, when there is one, or
by hand); a parcel under disposal has a flag and an open or in-progress case with dated
milestones, some done, some overdue (the first cases also hold the minutes of their first talks);
a few idle and redeveloped parcels have a closed case whose outcome left them so (re-leasing
returned the land, a redevelopment redeveloped it) and cleared flags. Rows go in with
``bulk_create`` and are recorded with ``log_bulk_create``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from parkos.core.changelog import log_bulk_create
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

Reason = ParcelFlag.Reason
Path = DisposalCase.Path
#: closed cases per unit of scale, on idle (land returned) and redeveloped parcels
CLOSED_PER_SCALE = 12
#: cases that get the minutes of their first talks as a document (small text files in the media folder)
CASES_WITH_MINUTES = 10
BATCH = 2000
#: each path's steps, in order, with the days from opening to each step's due date
STEPS = {
    Path.UPGRADE: (
        ("约谈企业，告知评价结果", 20),
        ("企业提交提质增效方案", 60),
        ("方案审查", 90),
        ("技改项目开工", 180),
    ),
    Path.BUY_BACK: (
        ("约谈企业", 20),
        ("委托土地及地上物估价", 60),
        ("签订收回协议", 120),
        ("支付补偿款", 150),
        ("土地移交", 180),
    ),
    Path.TRANSFER: (("约谈企业", 20), ("寻找受让企业", 120), ("签订转让协议", 180), ("办理不动产转移登记", 240)),
    Path.LAND_RESERVE: (("约谈企业", 20), ("土地估价", 60), ("报批收储方案", 120), ("纳入土地储备", 200)),
    Path.REDEVELOPMENT: (("编制更新规划", 60), ("规划审批", 150), ("拆除与场地整理", 240), ("新项目开工", 360)),
    Path.RE_LEASING: (("约谈企业", 20), ("腾退原承租企业", 90), ("招商推介", 150), ("新企业入驻", 210)),
}
FLAG_DETAILS = {
    Reason.BOTTOM_GRADE: "{year} 年度亩均效益综合评价为 D 类",
    Reason.LOW_TAX: "{year} 年度亩均税收 {value} 万元，低于 5 万元下限",
    Reason.IDLE: "土地闲置已满两年，未按约定开工",
    Reason.LOW_INTENSITY: "容积率 {ratio}，低于工业用地 0.6 的控制下限",
    Reason.MANUAL: "现场核查：厂房大部分空置，设备已搬离",
}


def load_disposal(
    rng: random.Random,
    *,
    scale: float,
    today: date,
    counts: dict[str, int],
    progress: Progressbar,
) -> None:
    from parkos.evaluation.models import EvaluationRun

    officer = get_user_model().objects.filter(username="evaluation").first()
    run = EvaluationRun.objects.filter(status=EvaluationRun.Status.DONE).order_by("-year", "-pk").first()
    year = run.year if run else today.year - 1
    parcels = list(LandParcel.objects.order_by("pk"))
    by_status: dict[str, list[LandParcel]] = {}
    for parcel in parcels:
        by_status.setdefault(parcel.status, []).append(parcel)

    flags: list[ParcelFlag] = []

    def flag(parcel: LandParcel, flagged_on: date, cleared_on: date | None = None) -> None:
        reason = rng.choices(list(FLAG_DETAILS), weights=[35, 30, 10, 10, 15])[0]
        if reason == Reason.IDLE and parcel.status == LandParcel.Status.IN_USE:
            reason = Reason.MANUAL
        detail = FLAG_DETAILS[reason].format(
            year=year, value=f"{rng.uniform(0.8, 4.9):.1f}", ratio=f"{rng.uniform(0.2, 0.55):.2f}"
        )
        from_run = reason in (Reason.BOTTOM_GRADE, Reason.LOW_TAX)
        flags.append(
            ParcelFlag(
                parcel=parcel,
                reason=reason,
                detail=detail,
                run=run if from_run else None,
                flagged_on=flagged_on,
                flagged_by=officer,
                cleared_on=cleared_on,
            )
        )

    for parcel in by_status.get(LandParcel.Status.INEFFICIENT, []):
        flag(parcel, today - timedelta(days=rng.randint(10, 300)))

    cases: list[DisposalCase] = []
    milestones: list[DisposalMilestone] = []
    plans: list[tuple[DisposalCase, int]] = []  # a case and how many of its steps are done
    for parcel in by_status.get(LandParcel.Status.UNDER_DISPOSAL, []):
        opened = today - timedelta(days=rng.randint(15, 420))
        flag(parcel, opened - timedelta(days=rng.randint(20, 120)))
        path = rng.choices(list(STEPS), weights=[30, 20, 15, 15, 10, 10])[0]
        steps = STEPS[path]
        done = sum(1 for _title, days in steps if opened + timedelta(days=days) < today and rng.random() < 0.75)
        status = DisposalCase.Status.IN_PROGRESS if done else DisposalCase.Status.OPEN
        case = DisposalCase(parcel=parcel, path=path, status=status, owner=officer, opened_on=opened)
        cases.append(case)
        plans.append((case, done))

    closing = [(p, Path.RE_LEASING, DisposalCase.Outcome.RETURNED) for p in by_status.get(LandParcel.Status.IDLE, [])][
        : max(1, round(CLOSED_PER_SCALE * scale * 2 / 3))
    ] + [
        (p, Path.REDEVELOPMENT, DisposalCase.Outcome.REDEVELOPED)
        for p in by_status.get(LandParcel.Status.REDEVELOPED, [])
    ][: max(1, round(CLOSED_PER_SCALE * scale / 3))]
    for parcel, path, outcome in closing:
        steps = STEPS[path]
        closed = today - timedelta(days=rng.randint(20, 400))
        opened = closed - timedelta(days=steps[-1][1] + rng.randint(0, 60))
        flag(parcel, opened - timedelta(days=rng.randint(20, 120)), cleared_on=closed)
        case = DisposalCase(
            parcel=parcel,
            path=path,
            status=DisposalCase.Status.CLOSED,
            owner=officer,
            opened_on=opened,
            closed_on=closed,
            outcome=outcome,
            notes="处置完成，地块已重新推介招商。" if outcome == DisposalCase.Outcome.RETURNED else "更新改造完成。",
        )
        cases.append(case)
        plans.append((case, len(steps)))

    _save(ParcelFlag, flags, counts, "parcel_flags", progress, "Parcel flags")
    _save(DisposalCase, cases, counts, "disposal_cases", progress, "Disposal cases")
    for case, done in plans:
        for i, (title, days) in enumerate(STEPS[case.path]):
            due = case.opened_on + timedelta(days=days)
            finished = None
            if i < done:
                finished = min(due + timedelta(days=rng.randint(-10, 25)), case.closed_on or today, today)
                finished = max(finished, case.opened_on)
            milestones.append(DisposalMilestone(case=case, title=title, due_date=due, done_on=finished, owner=officer))
    _save(DisposalMilestone, milestones, counts, "disposal_milestones", progress, "Disposal milestones")
    documents = []
    for case in cases[:CASES_WITH_MINUTES]:
        text = (
            f"约谈会议纪要\n\n地块：{case.parcel}\n日期：{case.opened_on:%Y-%m-%d}\n处置方式：{case.get_path_display()}\n\n"
            "园区告知企业亩均效益评价结果及低效用地认定依据，双方就处置方式和时间安排达成初步意见。\n"
        )
        name = f"minutes-{case.parcel.park.code}-{case.parcel.code}.txt"
        documents.append(DisposalDocument(case=case, title="约谈会议纪要", file=ContentFile(text.encode(), name=name)))
    _save(DisposalDocument, documents, counts, "disposal_documents", progress, "Disposal documents")


def _save(model, objects: list, counts: dict[str, int], key: str, progress: Progressbar, label: str) -> None:
    with progress(label, len(objects)) as advance:
        for start in range(0, len(objects), BATCH):
            batch = objects[start : start + BATCH]
            model.objects.bulk_create(batch)
            counts["change_records"] += log_bulk_create(batch)
            advance(len(batch))
    counts[key] += len(objects)

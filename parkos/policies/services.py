"""The application workflow of support policies: writes with rules (STYLE.md rule 13).

An application goes draft → submitted → under review → approved or rejected; the enterprise may withdraw it
until it is decided. Who may do what:

- an enterprise user applies for its own enterprise, to a policy open for applications on the day, attaches
  the documents the policy asks for, submits and withdraws;
- the policy office (service staff of the applicant's park, who may change the application; the operator
  admin) files for an enterprise, starts the review, decides with reasons, records disbursements;
- the issuing district's government partner reads the applications for its policies (``organization_path``).

Each service raises ValidationError keyed by field, PermissionDenied, or NotFound for an application outside
the user's scope. The workflow fields (status, reviewer, amount approved, decision, times) are guarded in
every channel (``writes.register`` below): the enterprise never sets them, not in a form, the API or an import.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, Scope, can, scope_of
from parkos.core.units import format_money
from parkos.directory.models import Organization
from parkos.notifications.models import EventKind
from parkos.notifications.services import notify
from parkos.policies.models import Application, ApplicationDocument, Disbursement, Policy
from parkos.users.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from parkos.parks.models import Park

Status = Application.Status

#: statuses the enterprise may still withdraw from
WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)
#: statuses in which the policy office decides
DECIDABLE = (Status.SUBMITTED, Status.UNDER_REVIEW)
#: statuses in which documents may still be attached (reviewers may ask for one more)
OPEN_FOR_DOCUMENTS = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)


# -- who -------------------------------------------------------------------------------------------


def is_organization_side(*, user: Actor) -> bool:
    """Enterprise users and government partners: they act for an organization, not for the operator."""
    return scope_of(user) == Scope.ORGANIZATION


def acts_for(*, user: Actor, organization_id: int | None) -> bool:
    """Is ``user`` an organization-side user of ``organization_id``?"""
    return (
        is_organization_side(user=user)
        and isinstance(user, User)
        and organization_id is not None
        and bool(
            writes.remembered(
                ("acts_for", user.pk, organization_id),
                lambda: user.scope_organization_ids().filter(pk=organization_id).exists(),
            )
        )
    )


def is_office_for(*, user: Actor, application: Application) -> bool:
    """The policy office for ``application``: operator-side users who may change it (its park's service staff)."""
    if is_organization_side(user=user):
        return False
    if writes.in_batch(application, user, Action.CHANGE):
        return True
    return Application.objects.restrict(user, Action.CHANGE).filter(pk=application.pk).exists()


def _locked(application: Application, user: Actor) -> Application:
    """The application, locked for update, if ``user`` may see it (NotFound otherwise)."""
    if writes.in_batch(application, user):
        return application
    current: Application | None = (
        Application.objects.restrict(user, Action.VIEW)
        .select_for_update(of=("self",))
        .select_related("policy")
        .filter(pk=application.pk)
        .first()
    )
    if current is None:
        raise NotFound(_("No such policy application."))
    return current


def _money(amount: Decimal, currency: str = "CNY") -> str:
    return format_money(amount, currency)


def _status_error(application: Application, action: StrOrPromise) -> ValidationError:
    return ValidationError(
        {
            "status": _("An application that is “%(status)s” cannot be %(action)s.")
            % {"status": application.get_status_display(), "action": action}
        }
    )


# -- reads the rules need ---------------------------------------------------------------------------


def policy_open_error(policy: Policy, today: datetime.date) -> str | None:
    """Why ``policy`` takes no application on ``today``, or None when it does."""
    if policy.status != Policy.Status.OPEN:
        return _("“%(policy)s” is not open for applications (it is “%(status)s”).") % {
            "policy": policy,
            "status": policy.get_status_display(),
        }
    if policy.opens_on and today < policy.opens_on:
        return _("“%(policy)s” opens for applications on %(date)s.") % {
            "policy": policy,
            "date": policy.opens_on.isoformat(),
        }
    if policy.closes_on and today > policy.closes_on:
        return _("“%(policy)s” closed for applications on %(date)s.") % {
            "policy": policy,
            "date": policy.closes_on.isoformat(),
        }
    return None


def missing_documents(application: Application) -> list[str]:
    """The policy's required documents that no attached document's title names (case and spaces ignored)."""
    attached = {" ".join(t.split()).casefold() for t in application.documents.values_list("title", flat=True)}
    return [name for name in application.policy.required_documents if " ".join(name.split()).casefold() not in attached]


def approved_total(policy: Policy, *, exclude: int | None = None) -> Decimal:
    """The amounts approved on ``policy`` so far (leaving out application ``exclude``)."""
    rows = Application.objects.filter(policy=policy, status=Status.APPROVED)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("amount_approved"))["total"] or Decimal(0)


def budget_left(policy: Policy, *, exclude: int | None = None) -> Decimal | None:
    """The policy's budget less what it has approved; None for a policy without a budget."""
    if policy.budget_amount is None:
        return None
    return policy.budget_amount - approved_total(policy, exclude=exclude)


def paid_total(application: Application, *, exclude: int | None = None) -> Decimal:
    rows = Disbursement.objects.filter(application=application)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _applicant_park(organization: Organization) -> Park | None:
    """Where an applicant is: the park of a parcel it holds, else of its latest running lease."""
    from parkos.leasing.models import Lease
    from parkos.parks.models import LandParcel

    parcel = LandParcel.objects.filter(holder=organization).select_related("park").order_by("pk").first()
    if parcel is not None:
        return parcel.park
    lease = (
        Lease.objects.filter(tenant=organization, status__in=Lease.ACTIVE)
        .select_related("park")
        .order_by("-start_date", "-pk")
        .first()
    )
    return lease.park if lease is not None else None


def amount_errors(policy: Policy, amount: Decimal | None, *, application_id: int | None = None) -> list[str]:
    """Why ``amount`` cannot be approved on ``policy``: not above zero, above the cap, above the budget left."""
    if amount is None or amount <= 0:
        return [_("An approved amount is greater than zero.")]
    errors = []
    if policy.amount_cap is not None and amount > policy.amount_cap:
        errors.append(
            _("%(amount)s is above the policy's most per enterprise (%(cap)s) by %(over)s.")
            % {
                "amount": _money(amount, policy.budget_currency or "CNY"),
                "cap": _money(policy.amount_cap, policy.budget_currency or "CNY"),
                "over": _money(amount - policy.amount_cap, policy.budget_currency or "CNY"),
            }
        )
    left = budget_left(policy, exclude=application_id)
    if left is not None and amount > left:
        errors.append(
            _("%(amount)s is above the budget left (%(left)s) by %(over)s.")
            % {
                "amount": _money(amount, policy.budget_currency or "CNY"),
                "left": _money(left, policy.budget_currency or "CNY"),
                "over": _money(amount - left, policy.budget_currency or "CNY"),
            }
        )
    return errors


# -- the workflow ----------------------------------------------------------------------------------


def application_create(
    *,
    policy: Policy,
    applicant: Organization,
    user: Actor,
    statement: str = "",
    amount_requested: Decimal | None = None,
    park: Park | None = None,
) -> Application:
    """Start an application (a draft) for ``applicant``: an enterprise user for its own enterprise, or the policy
    office for any enterprise in its parks. The policy must be open today; one live application per policy."""
    if not can(user, Application, Action.ADD):
        raise PermissionDenied(_("You may not apply for policies."))
    application = Application(
        policy=policy,
        applicant=applicant,
        park=park,
        statement=(statement or "").strip(),
        amount_requested=amount_requested,
    )
    return writes.save(application, user=user, created=True)


def application_attach(*, application: Application, user: Actor, title: str, file: File[Any]) -> ApplicationDocument:
    """Attach a document (one the policy asks for, named by ``title``, or another) to an application."""
    if not can(user, ApplicationDocument, Action.ADD):
        raise PermissionDenied(_("You may not attach documents to applications."))
    current = _locked(application, user)
    document = ApplicationDocument(application=current, title=(title or "").strip(), file=file)
    return writes.save(document, user=user, created=True)


def application_submit(*, application: Application, user: Actor, today: datetime.date | None = None) -> Application:
    """Send a draft to the policy office: the policy still open, every required document attached."""
    with transaction.atomic():
        current = _locked(application, user)
        if not (
            acts_for(user=user, organization_id=current.applicant_id) or is_office_for(user=user, application=current)
        ):
            raise PermissionDenied(_("Only the applicant or the policy office submits an application."))
        if current.status != Status.DRAFT:
            raise _status_error(current, pgettext_lazy("application action", "submitted"))
        closed = policy_open_error(current.policy, today or timezone.localdate())
        if closed:
            raise ValidationError({"policy": closed})
        missing = missing_documents(current)
        if missing:
            raise ValidationError(
                {
                    "documents": _("Attach the documents the policy asks for: %(missing)s.")
                    % {"missing": "、".join(missing)}
                }
            )
        current.status = Status.SUBMITTED
        current.submitted_at = timezone.now()
        current.save(update_fields=["status", "submitted_at", "last_updated"])
        notify(EventKind.APPLICATION_SUBMITTED, current, actor=user)
        return current


def application_start_review(*, application: Application, user: Actor) -> Application:
    """The policy office takes a submitted application on: the acting officer becomes its reviewer."""
    with transaction.atomic():
        current = _locked(application, user)
        if not is_office_for(user=user, application=current):
            raise PermissionDenied(_("Only the policy office reviews applications."))
        if current.status != Status.SUBMITTED:
            raise _status_error(current, pgettext_lazy("application action", "taken into review"))
        current.status = Status.UNDER_REVIEW
        current.reviewer = user if isinstance(user, User) else None
        current.save(update_fields=["status", "reviewer", "last_updated"])
        return current


def application_decide(
    *,
    application: Application,
    user: Actor,
    approve: bool,
    amount: Decimal | None = None,
    reasons: str,
) -> Application:
    """Approve (with an amount within the cap and the budget left) or reject, with the reasons the enterprise
    reads. A submitted application may be decided without an explicit review step."""
    reasons = (reasons or "").strip()
    with transaction.atomic():
        current = _locked(application, user)
        if not is_office_for(user=user, application=current):
            raise PermissionDenied(_("Only the policy office decides applications."))
        if current.status not in DECIDABLE:
            raise _status_error(current, pgettext_lazy("application action", "decided"))
        errors: dict[str, Any] = {}
        if not reasons:
            errors["reasons"] = _("Give the reasons for the decision; the enterprise reads them.")
        if approve:
            # the policy row locked: two approvals at once cannot both take the last of the budget
            Policy.objects.select_for_update().filter(pk=current.policy_id).first()
            problems = amount_errors(current.policy, amount, application_id=current.pk)
            if problems:
                errors["amount"] = problems
        if errors:
            raise ValidationError(errors)
        current.status = Status.APPROVED if approve else Status.REJECTED
        current.amount_approved = amount if approve else None
        current.decision_note = reasons
        current.decided_at = timezone.now()
        if current.reviewer_id is None and isinstance(user, User):
            current.reviewer = user
        current.save(
            update_fields=["status", "amount_approved", "decision_note", "decided_at", "reviewer", "last_updated"]
        )
        notify(EventKind.APPLICATION_DECIDED, current, actor=user)
        return current


def application_withdraw(*, application: Application, user: Actor) -> Application:
    """The applicant (or the policy office for it) withdraws an application that is not decided yet."""
    with transaction.atomic():
        current = _locked(application, user)
        if not (
            acts_for(user=user, organization_id=current.applicant_id) or is_office_for(user=user, application=current)
        ):
            raise PermissionDenied(_("Only the applicant or the policy office withdraws an application."))
        if current.status not in WITHDRAWABLE:
            raise _status_error(current, pgettext_lazy("application action", "withdrawn"))
        current.status = Status.WITHDRAWN
        current.save(update_fields=["status", "last_updated"])
        return current


def disbursement_record(
    *,
    application: Application,
    user: Actor,
    paid_on: datetime.date,
    amount: Decimal,
    reference: str = "",
    note: str = "",
) -> Disbursement:
    """Record a payment on an approved application (never more, in total, than the amount approved)."""
    if not can(user, Disbursement, Action.ADD):
        raise PermissionDenied(_("Only the policy office records disbursements."))
    current = _locked(application, user)
    disbursement = Disbursement(
        application=current, paid_on=paid_on, amount=amount, reference=(reference or "").strip(), note=note or ""
    )
    return writes.save(disbursement, user=user, created=True)


# -- the write rules (core.writes): every channel ----------------------------------------------------


def _operator_side(user: Actor, obj: Any) -> bool:
    return not is_organization_side(user=user)


def _on_create_only(user: Actor, obj: Any) -> bool:
    return obj.pk is None


def _old_status(application: Application) -> str | None:
    if application.pk is None:
        return None
    status: str | None = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
    return status


def _validate_application(application: Application, *, user: Actor, created: bool) -> None:
    errors: dict[str, StrOrPromise] = {}
    organization_side = is_organization_side(user=user)
    if organization_side and not acts_for(user=user, organization_id=application.applicant_id):
        errors["applicant"] = _("You may apply only for your own enterprise.")
    if created:
        if application.policy_id is not None:
            closed = policy_open_error(application.policy, timezone.localdate())
            if closed:
                errors["policy"] = closed
        if organization_side and application.status != Status.DRAFT:
            errors["status"] = _("A new application starts as a draft; submit it when its documents are attached.")
    elif organization_side and _old_status(application) != Status.DRAFT:
        errors["statement"] = _("A submitted application is no longer edited; withdraw it and apply again.")
    if application.status == Status.APPROVED:
        problems = amount_errors(application.policy, application.amount_approved, application_id=application.pk)
        if problems:
            errors["amount_approved"] = " ".join(problems)
    if errors:
        raise ValidationError(errors)


def _application_before_save(application: Application, *, user: Actor, created: bool) -> None:
    if application.park_id is None and application.applicant_id is not None:
        application.park = _applicant_park(application.applicant)


_WORKFLOW = writes.FieldGuard(
    _operator_side,
    gettext_lazy(
        "The status, reviewer, approved amount and decision follow the workflow: the policy office sets them."
    ),
)
writes.register(
    Application,
    guards={
        "policy": writes.FieldGuard(_on_create_only, gettext_lazy("An application stays with its policy.")),
        "applicant": writes.FieldGuard(_on_create_only, gettext_lazy("An application stays with its applicant.")),
        **{
            name: _WORKFLOW
            for name in ("status", "reviewer", "amount_approved", "decided_at", "decision_note", "submitted_at")
        },
    },
    validate=_validate_application,
    before_save=_application_before_save,
)


def _validate_document(document: ApplicationDocument, *, user: Actor, created: bool) -> None:
    if not document.title:
        raise ValidationError({"title": _("Name the document (one of the documents the policy asks for).")})
    status = document.application.status
    if is_organization_side(user=user) and status not in OPEN_FOR_DOCUMENTS:
        raise ValidationError(
            {
                "application": _("The application is “%(status)s”: it takes no more documents.")
                % {"status": document.application.get_status_display()}
            }
        )


writes.register(
    ApplicationDocument,
    guards={"application": writes.FieldGuard(_on_create_only, gettext_lazy("A document stays with its application."))},
    validate=_validate_document,
)


def _validate_disbursement(disbursement: Disbursement, *, user: Actor, created: bool) -> None:
    application = disbursement.application
    if application.status != Status.APPROVED:
        raise ValidationError(
            {
                "application": _("Payments are made only on approved applications; this one is “%(status)s”.")
                % {"status": application.get_status_display()}
            }
        )
    if disbursement.amount is None:
        return
    paid = paid_total(application, exclude=disbursement.pk)
    approved = application.amount_approved or Decimal(0)
    if paid + disbursement.amount > approved:
        raise ValidationError(
            {
                "amount": _("With this payment %(total)s would be paid, above the %(approved)s approved by %(over)s.")
                % {
                    "total": _money(paid + disbursement.amount, application.currency),
                    "approved": _money(approved, application.currency),
                    "over": _money(paid + disbursement.amount - approved, application.currency),
                }
            }
        )


writes.register(
    Disbursement,
    guards={"application": writes.FieldGuard(_on_create_only, gettext_lazy("A payment stays with its application."))},
    validate=_validate_disbursement,
)


# the enterprise page's "Policies for you" section: registered here, since core imports every app's services
from parkos.policies import portal as _portal  # noqa: E402, F401

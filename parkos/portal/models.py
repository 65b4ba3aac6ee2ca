"""Profile change requests: an enterprise proposes changes to its own directory entry, staff approve or reject them."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from parkos.core.models import PrimaryModel
from parkos.directory.models import Organization

#: the fields of an organization's profile an enterprise may propose changes to, in the order forms show them;
#: its legal identity (credit code), kind and the flags staff verify (listed, high-tech, ...) are not among them
PROFILE_FIELDS = (
    "name",
    "name_en",
    "industry",
    "ownership",
    "address",
    "website",
    "established",
    "description",
)


def profile_field(name: str) -> models.Field:
    return Organization._meta.get_field(name)


def json_value(name: str, value) -> object:
    """A profile field's value as it is kept in a proposal: text, a date as ISO text, a related record by its ID."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None and not profile_field(name).null:
        return ""
    return value


def profile_errors(organization: Organization | None, changes) -> dict[str, list[str]]:
    """What is wrong with proposing ``changes`` to ``organization``, per profile field ({} if nothing).

    Each value goes through the Organization model's own field and model validation on a copy of the
    organization, so a proposal is refused for exactly what an edit of the organization would be.
    """
    if not isinstance(changes, dict):
        return {"__all__": [str(_("The proposed changes must map profile fields to their new values."))]}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        errors["__all__"] = [
            str(_("These fields cannot be changed by a proposal: %(fields)s. Allowed: %(allowed)s."))
            % {"fields": ", ".join(unknown), "allowed": ", ".join(PROFILE_FIELDS)}
        ]
    candidate = copy.copy(organization) if organization is not None else Organization()
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            continue
        field = profile_field(name)
        try:
            if field.is_relation:
                if value in (None, ""):
                    setattr(candidate, field.attname, None)
                else:
                    setattr(candidate, field.attname, field.target_field.to_python(value))
            else:
                setattr(candidate, name, field.to_python(value) if value is not None or field.null else "")
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    checked = [n for n in changes if n in PROFILE_FIELDS and n not in errors]
    others = [f.name for f in Organization._meta.fields if f.name not in checked]
    try:
        candidate.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name if name in checked else "__all__", []).extend(messages)
    return errors


class ProfileChangeRequest(PrimaryModel):
    """Changes an enterprise proposes to its own profile; staff approve (which applies them) or reject them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="profile_change_requests",
    )
    changes = models.JSONField(
        _("proposed changes"),
        default=dict,
        help_text=_('Profile field and its new value, e.g. {"website": "https://example.cn"}.'),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Why the profile should change."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("review note"), blank=True, editable=False)

    organization_path = "organization"
    # Park staff review the proposals of their parks' tenants (any lease of the enterprise in the park).
    park_path = "organization__leases__park"
    search_fields = ("note", "organization__name", "review_note")
    in_global_search = False  # no name or code of its own: found through its enterprise and its list

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("profile change proposal")
        verbose_name_plural = _("profile change proposals")
        indexes = [models.Index(fields=["organization", "status"], name="profilechange_org_status")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.created:%Y-%m-%d}" if self.created else str(self.organization)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    #: what the enterprise writes; frozen once the proposal is decided
    PROPOSED_FIELDS = ("organization", "changes", "note")

    def decided_edits(self) -> list[str]:
        """The proposed fields this unsaved state would change on a stored, already decided proposal."""
        if self.pk is None:
            return []
        stored = type(self)._base_manager.filter(pk=self.pk).values("status", "organization_id", "changes", "note")
        stored = stored.first()
        if stored is None or stored["status"] == self.Status.PENDING:
            return []
        now = {"organization_id": self.organization_id, "changes": self.changes, "note": self.note}
        return [name.removesuffix("_id") for name, value in now.items() if stored[name] != value]

    def clean(self) -> None:
        # A decided proposal is the record of what was decided: no channel (form, API, import, admin, all of
        # which run this) takes a new note or change for it; a new change is a new proposal.
        edited = self.decided_edits()
        if edited:
            message = _("This proposal has been decided and can no longer be changed.")
            raise ValidationError(dict.fromkeys(edited, message))
        if not self.changes:
            raise ValidationError({"changes": _("Propose at least one change to the profile.")})
        organization = self.organization if self.organization_id else None
        errors = profile_errors(organization, self.changes)
        if errors:
            # The proposal is one field here: name each profile field in its message.
            messages = []
            for name, field_messages in errors.items():
                label = "" if name == "__all__" else f"{profile_field(name).verbose_name}: "
                messages += [f"{label}{message}" for message in field_messages]
            raise ValidationError({"changes": messages})

    def rows(self) -> list[dict]:
        """Each proposed change as label, current value and proposed value, for reading (industry by name)."""
        from parkos.directory.models import Industry

        industry_ids = [v for k, v in self.changes.items() if k == "industry" and v not in (None, "")]
        industries = {i.pk: str(i) for i in Industry.objects.filter(pk__in=industry_ids)} if industry_ids else {}
        rows = []
        for name in PROFILE_FIELDS:
            if name not in self.changes:
                continue
            field = profile_field(name)
            proposed = self.changes[name]
            current = getattr(self.organization, name)
            if name == "industry":
                proposed = industries.get(proposed, proposed)
            elif field.choices:
                choices = dict(field.flatchoices)
                proposed, current = choices.get(proposed, proposed), choices.get(current, current)
            if isinstance(current, datetime.date):
                current = current.isoformat()
            rows.append({"name": name, "label": field.verbose_name, "current": current, "proposed": proposed})
        return rows

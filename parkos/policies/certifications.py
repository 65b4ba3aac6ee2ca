"""Certifications keep the organization's flags: ``Organization.is_high_tech`` and ``is_srdi`` are derived from
the certificates valid on the day a certificate is saved or deleted (a little giant counts as SRDI).

Only the flag of the kind saved or deleted is recomputed: an organization whose certificates of a kind were
never touched keeps its flag as entered (data from before certificates were recorded); deleting its last
certificate of a kind clears the flag. Matching reads the certificates
themselves on the day it runs (``matching.attribute_table``), so a certificate expiring later is seen there
even before the flag is next recomputed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from parkos.directory.models import Organization
from parkos.policies.models import Certification

#: flag -> the certificate kinds that set it
FLAGS = {"is_high_tech": ("high_tech",), "is_srdi": ("srdi", "little_giant")}


def sync_flags(organization_id: int, kind: str, *, day: datetime.date | None = None) -> None:
    """Set the flag a certificate of ``kind`` bears on from the organization's certificates valid on ``day``
    (saved only when it changes)."""
    day = day or timezone.localdate()
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    certificates = Certification.objects.filter(organization_id=organization_id)
    valid = set(
        certificates.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day).values_list(
            "kind", flat=True
        )
    )
    changed = []
    for flag, kinds in FLAGS.items():
        if kind not in kinds:
            continue
        value = bool(valid & set(kinds))
        if getattr(organization, flag) != value:
            setattr(organization, flag, value)
            changed.append(flag)
    if changed:
        organization.save(update_fields=[*changed, "last_updated"])


def _changed(sender: Any, instance: Certification, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    sync_flags(instance.organization_id, instance.kind)


def connect() -> None:
    post_save.connect(_changed, sender=Certification, dispatch_uid="policies_certification_saved")
    post_delete.connect(_changed, sender=Certification, dispatch_uid="policies_certification_deleted")

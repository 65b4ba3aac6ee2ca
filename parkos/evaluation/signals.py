"""An enterprise renamed: its filings' copy of its name (the filings list's order) follows."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save


def _name_before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """The organization's name as stored before this save (the change log's pre_save read the row already)."""
    if raw or instance.pk is None:
        return
    before = getattr(instance, "_changelog_before", None)
    if before is not None and "name" in before:
        instance._filing_name_before = before["name"]
    else:
        instance._filing_name_before = (
            sender._base_manager.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


def _renamed(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or created or getattr(instance, "_filing_name_before", None) == instance.name:
        return  # a new organization has no filings; a save that kept the name changes none
    from parkos.evaluation.models import IndicatorFiling

    IndicatorFiling.objects.filter(organization_id=instance.pk).exclude(organization_name=instance.name).update(
        organization_name=instance.name
    )


def connect() -> None:
    """Connected once by the evaluation app (``EvaluationConfig.ready``), after the change log's pre_save."""
    from parkos.directory.models import Organization

    pre_save.connect(_name_before, sender=Organization, dispatch_uid="evaluation.filing_name_before")
    post_save.connect(_renamed, sender=Organization, dispatch_uid="evaluation.filing_name_saved")

"""Writes from the maps: an outline drawn or edited on a map, and a GeoJSON file of outlines, saved through core.writes.

Both only set ``geometry`` of parcels and buildings the user may change (``restrict(user, CHANGE)``);
the model's validator and write rules apply as in every other channel. An import is all or nothing,
and each error names the feature's index and the field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.permissions import Action
from parkos.maps import coords
from parkos.parks.models import Building, LandParcel, Park

#: what a map may draw outlines of
KINDS: dict[str, type[LandParcel] | type[Building]] = {"parcel": LandParcel, "building": Building}


def outline_save(
    *, user: Actor, kind: str, pk: int, geometry: Any, system: str = coords.WGS84
) -> LandParcel | Building:
    """Set the outline of one parcel or building, drawn on a map in ``system``; saved in WGS-84.

    NotFound when the user may not see it, PermissionDenied when they may see but not change it,
    ValidationError (``geometry``) when the outline is not a valid polygon.
    """
    model = KINDS.get(kind)
    if model is None:
        raise NotFound(_("Outlines are drawn for parcels and buildings only."))
    obj = model.objects.restrict(user, Action.VIEW).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("No such %(model)s, or none you may see.") % {"model": model._meta.verbose_name})
    if not model.objects.restrict(user, Action.CHANGE).filter(pk=pk).exists():
        raise PermissionDenied(_("You may not change this %(model)s.") % {"model": model._meta.verbose_name})
    obj.geometry = coords.from_map(geometry, system) if geometry else None
    return writes.save(obj, user=user, channel="map")


def outlines_import(*, user: Actor, park: Park, collection: Any) -> dict[str, int]:
    """Set the outlines of a park's parcels and buildings from a GeoJSON FeatureCollection (WGS-84).

    Features match by ``properties``: ``code`` (the parcel's number) or, for ``kind`` "building",
    ``parcel`` (its parcel's number) and ``code``. All or nothing: one bad feature saves none, and the
    ValidationError names every bad feature as ``features[<index>].<field>``.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValidationError({"file": [_('Give a GeoJSON object of type "FeatureCollection".')]})
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError({"file": [_("The FeatureCollection has no features.")]})
    parcels = {p.code: p for p in LandParcel.objects.restrict(user, Action.VIEW).filter(park=park)}
    changeable_parcels = set(
        LandParcel.objects.restrict(user, Action.CHANGE).filter(park=park).values_list("pk", flat=True)
    )
    buildings = {
        (b.parcel.code, b.code): b
        for b in Building.objects.restrict(user, Action.VIEW).filter(parcel__park=park).select_related("parcel")
    }
    changeable_buildings = set(
        Building.objects.restrict(user, Action.CHANGE).filter(parcel__park=park).values_list("pk", flat=True)
    )
    errors: dict[str, list[str]] = {}
    counts = {"parcels": 0, "buildings": 0}

    def fail(index: int, field: str, message: Any) -> None:
        errors.setdefault(f"features[{index}].{field}", []).append(str(message))

    with transaction.atomic():
        for index, feature in enumerate(features):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                fail(index, "type", _('Each feature is a GeoJSON object of type "Feature".'))
                continue
            props = feature.get("properties") or {}
            if not isinstance(props, dict):
                fail(index, "properties", _("A feature's properties are an object."))
                continue
            kind = str(props.get("kind") or "parcel")
            code = str(props.get("code") or "").strip()
            if kind not in KINDS:
                fail(index, "properties.kind", _('Give "parcel" or "building".'))
                continue
            if not code:
                fail(index, "properties.code", _("Give the parcel or building number as “code”."))
                continue
            target: LandParcel | Building | None
            if kind == "parcel":
                target = parcels.get(code)
                allowed = target is not None and target.pk in changeable_parcels
                missing = _("No parcel “%(code)s” in this park that you may see.") % {"code": code}
            else:
                parcel_code = str(props.get("parcel") or "").strip()
                target = buildings.get((parcel_code, code))
                allowed = target is not None and target.pk in changeable_buildings
                missing = _("No building “%(code)s” on parcel “%(parcel)s” in this park that you may see.") % {
                    "code": code,
                    "parcel": parcel_code,
                }
            if target is None:
                fail(index, "properties.code", missing)
                continue
            if not allowed:
                fail(index, "properties.code", _("You may not change “%(code)s”.") % {"code": code})
                continue
            target.geometry = feature.get("geometry")
            try:
                writes.save(target, user=user, channel="import")
            except ValidationError as exc:
                for field, messages in writes.error_messages(exc).items():
                    for message in messages:
                        fail(index, "geometry" if field == "__all__" else field, message)
                continue
            counts["parcels" if kind == "parcel" else "buildings"] += 1
        if errors:
            raise ValidationError(errors)
    return counts

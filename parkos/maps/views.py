"""Map pages: one template for a brand, a district, a park or every park; the data comes from the maps API.

The page hands the map its settings in one json_script block (the API URL of its data, the base map, link
patterns, the words it shows): no inline script (core.csp), and the browser sets every name as text.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from parkos.core import writes
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, can
from parkos.maps import selectors, services
from parkos.parks.models import Building, LandParcel, Park, ParkBrand


def map_words() -> dict[str, str]:
    """Every word the map's script shows (translated here: the script sets them as text)."""
    return {
        "park": _("Park"),
        "parcel": _("Parcel"),
        "building": _("Building"),
        "district": _("District"),
        "holder": _("Land holder"),
        "area": _("Area"),
        "landArea": _("Land area"),
        "floorArea": _("Floor area"),
        "floors": _("Floors above ground"),
        "parcels": _("Parcels"),
        "occupancy": _("Occupancy"),
        "open": _("Open its page"),
        "openHolder": _("Open the holder"),
        "parkMap": _("Map of this park"),
        "edit": _("Edit the outline"),
        "draw": _("Draw an outline"),
        "drawFor": _("Draw an outline for"),
        "save": _("Save the outline"),
        "cancel": _("Cancel"),
        "saved": _("Outline saved."),
        "saving": _("Saving…"),
        "failed": _("Could not save the outline:"),
        "loading": _("Loading the map…"),
        "zoomForBuildings": _("Zoom in to see the buildings."),
        "loadFailed": _("The map could not be loaded."),
        "noBaseMap": _("No base map is set: outlines are drawn on a plain background (see docs/operations.md)."),
        "noOutline": _("%(n)s parcels have no outline yet."),
        "nothing": _("Nothing to draw: no outline recorded here yet."),
        "choose": _("Click a park, parcel or building to see its figures."),
        "none": "—",
    }


def map_context(user: Any, scope: selectors.MapScope, *, layer: str = "status") -> dict[str, Any]:
    """What a page needs to draw the map of ``scope`` (templates/maps/_map.html)."""
    may_edit = can(user, LandParcel, Action.CHANGE) or can(user, Building, Action.CHANGE)
    partner = selectors.partner_districts(user) is not None
    shown = {key for key, _label in selectors.layers_for(user)}
    layer = layer if layer in shown else "status"
    # a government partner's map opens no operator page: only the map of one of its district's parks
    urls = {"parkMap": selectors.object_urls()["parkMap"]} if partner else selectors.object_urls()
    query = scope.query() if scope.kind != "all" else "all=1"
    config = {
        "data": f"{reverse('maps-api:features')}?{query}",
        "buildings": f"{reverse('maps-api:buildings')}?{query}",
        "object": reverse("maps-api:object", kwargs={"kind": "KIND", "pk": 0}),
        "outline": reverse("maps-api:outline", kwargs={"kind": "KIND", "pk": 0}),
        "tiles": selectors.base_map(),
        "urls": urls,
        "layer": layer,
        # every layer, in the order of each feature's classes; "shown": the ones the user may pick
        "layers": [{"key": key, "label": str(label), "shown": key in shown} for key, label in selectors.LAYERS],
        "partner": partner,
        "canEdit": may_edit,
        "words": map_words(),
    }
    return {
        "map_scope": scope,
        "map_config": config,
        "map_export_url": f"{reverse('maps-api:export')}?{query}",
        "map_import_url": reverse("maps:import", kwargs={"pk": scope.obj.pk})
        if scope.kind == "park" and may_edit and scope.obj is not None
        else "",
    }


class MapView(View):
    """The map of a brand (``brand``), a district, a park, or every park the user sees (no argument)."""

    kind = "all"
    template_name = "maps/map.html"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not selectors.may_see_maps(request.user):
            raise PermissionDenied
        try:
            scope = selectors.map_scope(
                request.user,
                park=kwargs.get("pk") if self.kind == "park" else None,
                brand=kwargs.get("pk") if self.kind == "brand" else None,
                district=kwargs.get("name") if self.kind == "district" else None,
                everything=self.kind == "all",
            )
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        visible_parks = selectors.visible_parks(request.user)
        context = {
            **map_context(request.user, scope, layer=request.GET.get("layer", "status")),
            "brands": ParkBrand.objects.restrict(request.user, Action.VIEW).filter(parks__in=visible_parks).distinct(),
            "districts": visible_parks.order_by("district").values_list("district", flat=True).distinct(),
            "parks": visible_parks.order_by("name").only("pk", "name"),
            # "All parks" for the operator's staff only: a partner or an enterprise is offered what it sees
            "all_choice": selectors.all_scope_choice(request.user),
        }
        return render(request, self.template_name, context)


class OutlineImportView(View):
    """Upload a park's outlines as a GeoJSON FeatureCollection (all or nothing; errors by feature and field)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        park = Park.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
        if park is None:
            raise Http404
        if not (can(request.user, LandParcel, Action.CHANGE) or can(request.user, Building, Action.CHANGE)):
            raise PermissionDenied
        target = reverse("maps:park", kwargs={"pk": park.pk})
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a GeoJSON file to import."))
            return redirect(target)
        try:
            collection = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            messages.error(request, _("This file is not GeoJSON (%(error)s).") % {"error": exc})
            return redirect(target)
        try:
            counts = services.outlines_import(user=request.user, park=park, collection=collection)
        except ValidationError as exc:
            for field, problems in writes.error_messages(exc).items():
                for problem in problems:
                    messages.error(request, f"{field}: {problem}")
            messages.error(request, _("Nothing was imported: correct the features named above and try again."))
            return redirect(target)
        messages.success(
            request,
            _("Outlines imported: %(parcels)s parcels, %(buildings)s buildings.")
            % {"parcels": counts["parcels"], "buildings": counts["buildings"]},
        )
        return redirect(target)


def menu_links(user: Any) -> list[tuple[str, str]]:
    """The map of every park the user may see: for the operator's staff and partners, and a government
    partner's map of its district(s) (an enterprise's account sees its own parcels on its pages, not a map of
    parks)."""
    from parkos.core.navigation import sees_operator_pages

    if sees_operator_pages(user) and can(user, LandParcel, Action.VIEW):
        return [(_("Map"), reverse("maps:all"))]
    if selectors.partner_districts(user):
        return [(_("Map of my district"), reverse("maps:all"))]
    return []


def park_page_map(park: Park, user: Any) -> dict[str, Any]:
    """The park's map on its page (parks.views.park_page_extras), for those who may see its parcels."""
    if not can(user, LandParcel, Action.VIEW):
        return {}
    scope = selectors.MapScope("park", str(park.pk), park.name, [park], park)
    return {**map_context(user, scope), "park_page_panels": [MAP_TEMPLATES]}


MAP_TEMPLATES = ("maps/_map_head.html", "maps/_map.html", "maps/_map_scripts.html")


def available_land_map(user: Any) -> dict[str, Any]:
    """The map of every park the user sees, coloured by land available for investment (land.views hook)."""
    try:
        scope = selectors.map_scope(user, everything=True)
    except NotFound:
        return {}
    return {**map_context(user, scope, layer="available"), "page_panels": [MAP_TEMPLATES]}

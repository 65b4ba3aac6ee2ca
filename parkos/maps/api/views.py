"""Maps API: a map's GeoJSON (every layer in one answer), its download, an outline's save and a GeoJSON import."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.api.schema import ErrorSerializer, ValidationErrorSerializer
from parkos.core.errors import NotFound
from parkos.core.permissions import Action
from parkos.maps import coords, selectors, services
from parkos.parks.models import Park

SCOPE_PARAMETERS = [
    OpenApiParameter("park", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False, description="Park ID."),
    OpenApiParameter("brand", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False, description="Brand ID."),
    OpenApiParameter("district", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description="District."),
    OpenApiParameter("all", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description='"1": every park.'),
]
ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="Not allowed to see or change land parcels."),
    404: OpenApiResponse(ErrorSerializer, description="No such park, brand or district the user may see."),
}


class MapAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not selectors.may_see_maps(request.user):
            raise PermissionDenied

    def scope(self, request: Request) -> selectors.MapScope:
        params = request.query_params
        return selectors.map_scope(
            request.user,
            park=params.get("park"),
            brand=params.get("brand"),
            district=params.get("district"),
            everything=params.get("all") == "1",
        )


class MapFeaturesAPIView(MapAPIView):
    @extend_schema(
        operation_id="maps_features",
        summary="A map's parks, parcels and buildings",
        description=(
            "Compact GeoJSON of a park, brand or district: parks, parcels and buildings the user may see, "
            "coordinates in the base map's system (crs) rounded to 1e-6, each feature's class in every layer "
            "(L, in the order of legend), the legend with its counts and areas."
        ),
        parameters=SCOPE_PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The map's data."), **ERRORS},
    )
    def get(self, request: Request) -> HttpResponse:
        # written by coords.dumps: the outlines are already JSON text (one answer of thousands of them)
        body = coords.dumps(selectors.map_data(request.user, self.scope(request)))
        response = HttpResponse(body, content_type="application/json")
        # a brand's outlines shrink about twelve times gzipped (2.3 MB to 0.2 MB at 10,000 parcels); the
        # answer holds no secret a compression attack could read out (BREACH needs one reflected beside it)
        return gzip_compress(request, response)


class MapBuildingsAPIView(MapAPIView):
    @extend_schema(
        operation_id="maps_buildings",
        summary="A map's buildings in a viewport",
        description=(
            "The buildings of a park, brand or district the user may see whose outline starts in the viewport "
            "bbox=west,south,east,north (WGS-84 degrees, at most 0.5 degree each way): a FeatureCollection "
            "with id and each layer's class (L), coordinates in the base map's system (crs). A map whose "
            "first answer has no buildings (buildings_zoom) asks for them here when zoomed in."
        ),
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter(
                "bbox", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="west,south,east,north"
            ),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The viewport's buildings."),
            400: OpenApiResponse(ValidationErrorSerializer, description="No bbox, or not a valid one."),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        bbox = selectors.parse_bbox(request.query_params.get("bbox"))
        body = coords.dumps(selectors.map_buildings(request.user, self.scope(request), bbox))
        return gzip_compress(request, HttpResponse(body, content_type="application/json"))


class MapObjectAPIView(MapAPIView):
    @extend_schema(
        operation_id="maps_object",
        summary="The figures of a parcel or building on a map",
        description="What the map's side panel shows on a click: holder, area, occupancy, floors, each layer's "
        "class (L), whether the user may edit the outline (e), and the outline in the base map's system.",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A GeoJSON Feature."), **ERRORS},
    )
    def get(self, request: Request, kind: str, pk: int) -> HttpResponse:
        body = coords.dumps(selectors.map_object(request.user, kind, pk))
        return HttpResponse(body, content_type="application/json")


class MapExportAPIView(MapAPIView):
    @extend_schema(
        operation_id="maps_export",
        summary="Download a map's outlines as GeoJSON",
        description="A FeatureCollection in WGS-84: kind, park, parcel and code (what an import matches by) "
        "and each layer's class, per parcel and building.",
        parameters=SCOPE_PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A GeoJSON FeatureCollection."), **ERRORS},
    )
    def get(self, request: Request) -> HttpResponse:
        scope = self.scope(request)
        # sent piece by piece as it is written: the first bytes leave at once, memory stays at one piece
        response = StreamingHttpResponse(
            selectors.export_collection(request.user, scope), content_type="application/geo+json"
        )
        response["Content-Disposition"] = f'attachment; filename="parkos-map-{scope.kind}-{scope.slug}.geojson"'
        return response


class OutlineAPIView(MapAPIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="maps_outline_save",
        summary="Save the outline of a parcel or building drawn on a map",
        description='Send {"geometry": GeoJSON Polygon or MultiPolygon} in the base map\'s system (crs of the '
        "map's data); it is stored in WGS-84. A null geometry removes the outline.",
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The saved outline, in the map's system."),
            400: OpenApiResponse(ValidationErrorSerializer, description="Not a valid polygon (the geometry field)."),
            **ERRORS,
        },
    )
    def put(self, request: Request, kind: str, pk: int) -> Response:
        if not isinstance(request.data, dict) or "geometry" not in request.data:
            raise ApiValidationError({"geometry": [_("Send the outline as “geometry”.")]})
        system = selectors.map_system()
        saved = services.outline_save(
            user=request.user, kind=kind, pk=pk, geometry=request.data["geometry"], system=system
        )
        return Response({"id": saved.pk, "kind": kind, "geometry": coords.to_map(saved.geometry, system)})


class OutlineImportAPIView(MapAPIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="maps_outlines_import",
        summary="Import a park's outlines from GeoJSON",
        description='A FeatureCollection (WGS-84), as the JSON body or a multipart "file": features match the '
        'park\'s parcels by properties.code, buildings by kind "building", parcel and code. All or nothing; '
        "errors name features[<index>].<field>.",
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="How many parcels and buildings were set."),
            400: OpenApiResponse(ValidationErrorSerializer, description="Each bad feature by index and field."),
            **ERRORS,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        park = Park.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
        if park is None:
            raise NotFound()
        return Response(services.outlines_import(user=request.user, park=park, collection=read_collection(request)))


def gzip_compress(request: Request, response: HttpResponse) -> HttpResponse:
    """The answer gzipped when the client accepts it (Django's GZipMiddleware, for this answer only)."""
    return GZipMiddleware(lambda _request: response).process_response(request, response)


def read_collection(request: Request) -> Any:
    """The GeoJSON of an import: the JSON body, or an uploaded file's JSON (400 naming the file if unreadable)."""
    upload = request.FILES.get("file") if hasattr(request, "FILES") else None
    if upload is None:
        return request.data
    try:
        return json.loads(upload.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiValidationError({"file": [_("This file is not GeoJSON (%(error)s).") % {"error": exc}]}) from exc

"""The API's front door: links to each domain's endpoints, the schema and the docs."""

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.search import searchable_models


class APIRootView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        endpoints: dict[str, str] = {}
        for model in searchable_models():
            try:
                url = reverse(f"{model._meta.app_label}-api:{model._meta.model_name}-list")
            except NoReverseMatch:
                continue
            endpoints[f"{model._meta.app_label}.{model._meta.model_name}"] = request.build_absolute_uri(url)
        endpoints["schema"] = request.build_absolute_uri(reverse("api-schema"))
        endpoints["docs"] = request.build_absolute_uri(reverse("api-docs"))
        return Response(endpoints)

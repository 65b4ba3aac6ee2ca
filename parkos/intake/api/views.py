"""Press intake API: the articles, and extraction on its own (text or file in, drafts out, nothing stored)."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.api.schema import ErrorSerializer, ValidationErrorSerializer
from parkos.core.api.views import PrimaryModelViewSet
from parkos.core.permissions import Action, can
from parkos.intake import filtersets, services
from parkos.intake.api import serializers
from parkos.intake.models import Article


class ArticleViewSet(PrimaryModelViewSet):
    queryset = Article.objects.select_related("park")
    serializer_class = serializers.ArticleSerializer
    filterset_class = filtersets.ArticleFilterSet


class ExtractAPIView(APIView):
    """Draft records from an article without storing it: the extraction JSON exactly as the extractor gives it."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="intake_extract",
        summary="Extract drafts from an article",
        description=(
            'Send JSON {"text": ..., "source": ...} or a multipart form with a "file" (.txt, .html/.htm, '
            ".docx). The answer is the extractor's JSON (language, event, organizations, people, bylines, "
            "agreements, figures, industries; spans are offsets into the text read). Nothing is stored."
        ),
        request={
            "application/json": serializers.ExtractRequestSerializer,
            "multipart/form-data": serializers.ExtractRequestSerializer,
        },
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The extraction."),
            400: OpenApiResponse(ValidationErrorSerializer, description="No text, or an unreadable file."),
            403: OpenApiResponse(ErrorSerializer, description="Not allowed to take in articles."),
        },
    )
    def post(self, request):
        if not can(request.user, Article, Action.ADD):
            raise PermissionDenied
        body = serializers.ExtractRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data.get("file")
        text = body.validated_data.get("text") or ""
        source = body.validated_data.get("source") or (upload.name if upload else "")
        if upload is not None and text.strip():
            return Response({"detail": "Send the text or a file, not both."}, status=400)
        try:
            text = (
                services.read_upload(data=upload.read(), filename=upload.name)
                if upload
                else services.read_pasted(text=text)
            )
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=400)
        if not text.strip():
            return Response({"detail": 'There is no text to read: send "text" or a "file".'}, status=400)
        return Response(services.extract(text=text, source=source))

"""Press intake API serializers. The fingerprint, the extraction and the acceptance are read-only."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.intake.models import Article, content_hash

STAMPS = ("created", "last_updated")


class ArticleSerializer(PrimaryModelSerializer):
    web_address = serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)
    review_url = serializers.SerializerMethodField()
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Article.Language.choices, required=False)

    class Meta:
        model = Article
        fields = (
            "id",
            "url",
            "display",
            "review_url",
            "title",
            "park",
            "source_name",
            "web_address",
            "language",
            "text",
            "content_hash",
            "extraction",
            "status",
            "accepted_at",
            "accepted_by",
            *STAMPS,
        )
        read_only_fields = ("content_hash", "extraction", "status", "accepted_at", "accepted_by", *STAMPS)

    def get_review_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_review_url()
        return request.build_absolute_uri(path) if request else path

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the article's text."))
        others = Article.objects.filter(content_hash=content_hash(value))
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(_("An article with the same text was already taken in."))
        return value

    def validate(self, attrs):
        if self.instance is None and attrs.get("text"):
            # A new article is read by the extractor, as on the take-in page: language and headline come from it.
            from parkos.intake import services

            extraction = services.extract(
                text=attrs["text"], source=attrs.get("source_name") or attrs.get("title") or ""
            )
            attrs["extraction"] = extraction
            if extraction.get("language") in Article.Language.values:
                attrs.setdefault("language", extraction["language"])
            if not attrs.get("title"):
                event = extraction.get("event") if isinstance(extraction.get("event"), dict) else {}
                first_line = next((line.strip() for line in attrs["text"].splitlines() if line.strip()), "")
                attrs["title"] = str(event.get("title") or first_line)[:300]
        return super().validate(attrs)


class ExtractRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, help_text="The article text (or send a file).")
    source = serializers.CharField(required=False, allow_blank=True, help_text="File name or publication.")
    file = serializers.FileField(required=False, help_text="A .txt, .html/.htm or .docx file (multipart).")

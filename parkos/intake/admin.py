"""Press intake models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.intake.models import Article, ArticleRecord


class ArticleRecordInline(admin.TabularInline):
    model = ArticleRecord
    extra = 0
    fields = ("key", "content_type", "object_id", "created_new")
    readonly_fields = fields


@admin.register(Article)
class ArticleAdmin(PrimaryAdmin):
    list_display = ("title", "park", "language", "status", "source_name", "created")
    list_filter = ("status", "language", "park")
    search_fields = ("title", "source_name", "url")
    readonly_fields = ("content_hash", "accepted_at", "accepted_by")
    inlines = (ArticleRecordInline,)

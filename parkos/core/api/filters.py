"""API filter backends (in their own module: DRF reads its settings while importing views)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.views import APIView


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=`` on any field the user may read: never on a confidential one (it would leak its order)."""

    def get_valid_fields(
        self, queryset: QuerySet[Any], view: APIView, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        valid = super().get_valid_fields(queryset, view, context or {})
        model = queryset.model
        if getattr(model, "may_sort_by_confidential", lambda user: True)(view.request.user):
            return valid
        hidden = set(model.confidential_fields)
        return [(name, label) for name, label in valid if name.split("__")[0] not in hidden]

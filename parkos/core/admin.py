"""Admin bases: the change log read-only (history is never edited), and every model saved through the write path."""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from parkos.core import writes
from parkos.core.models import ObjectChange, PrimaryModel

# ModelAdmin takes its model as a type parameter for mypy only (Django's class is not subscriptable).
if TYPE_CHECKING:
    _ObjectChangeAdminBase = admin.ModelAdmin[ObjectChange]
    _PrimaryAdminBase = admin.ModelAdmin[PrimaryModel]
else:
    _ObjectChangeAdminBase = _PrimaryAdminBase = admin.ModelAdmin


@admin.register(ObjectChange)
class ObjectChangeAdmin(_ObjectChangeAdminBase):
    list_display = ("time", "user_name", "action", "changed_object_type", "object_repr", "source")
    list_filter = ("action", "changed_object_type", "source")
    search_fields = ("object_repr", "user_name")
    date_hierarchy = "time"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ObjectChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ObjectChange | None = None) -> bool:
        return False


class PrimaryAdmin(_PrimaryAdminBase):
    """Base of every model's admin: saves and deletes go through the one write path (core.writes)."""

    def save_model(self, request: HttpRequest, obj: PrimaryModel, form: ModelForm[PrimaryModel], change: bool) -> None:
        writes.save(obj, user=request.user, created=not change, validated=True)

    def delete_model(self, request: HttpRequest, obj: PrimaryModel) -> None:
        writes.delete(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PrimaryModel]) -> None:
        for obj in queryset:
            writes.delete(obj, user=request.user)

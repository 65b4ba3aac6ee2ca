"""Serializer base: related records are IDs, checked against what the requesting user may see."""

import copy
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.models import PrimaryModel
from parkos.core.permissions import Action

_P = TypeVar("_P", bound=PrimaryModel)

#: DRF's error body: messages per field, the rest under non_field_errors
FieldErrors = dict[str, list[str]]


class PrimaryModelSerializer(serializers.ModelSerializer[_P]):
    """Adds ``url`` (the page) and ``display`` (the name people read) to every model's fields."""

    display = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_display(self, obj: _P) -> str:
        return str(obj)

    def get_url(self, obj: _P) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return str(request.build_absolute_uri(path)) if request else path

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            target: Any = getattr(field, "child_relation", field)  # a related field, or a to-many field's child
            queryset = getattr(target, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                target.queryset = queryset.restrict(user, Action.VIEW)
        return fields

    def to_representation(self, instance: _P) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        hidden = instance.hidden_fields_for(getattr(request, "user", None)) if request else frozenset()
        for name in hidden:
            if name in data:
                data[name] = None
        return data

    def _user(self) -> "Actor | None":
        user: Actor | None = getattr(self.context.get("request"), "user", None)
        return user

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Refuse fields the user may not set, then run the model's own validation as the forms do."""
        attrs = super().validate(attrs)
        model: type[_P] = self.Meta.model
        many = {f.name for f in model._meta.many_to_many}
        try:
            writes.check_fields(self.instance if self.instance is not None else model(), self._user(), attrs)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(field_errors(exc)) from exc
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=list(many))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(field_errors(exc)) from exc
        return attrs

    def create(self, validated_data: dict[str, Any]) -> _P:
        """Through the one write path (core.writes): the model's hooks, scope check, one transaction."""
        many = self._pop_many(validated_data)
        model: type[_P] = self.Meta.model
        instance = model(**validated_data)
        return writes.save(instance, user=self._user(), created=True, many=many, validated=True)

    def update(self, instance: _P, validated_data: dict[str, Any]) -> _P:
        many = self._pop_many(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        version = self.context.get("version")
        return writes.save(instance, user=self._user(), created=False, many=many, validated=True, version=version)

    def _pop_many(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        model: type[_P] = self.Meta.model
        names = {f.name for f in model._meta.many_to_many}
        return {name: validated_data.pop(name) for name in list(validated_data) if name in names}


def field_errors(exc: DjangoValidationError) -> FieldErrors:
    """A model's ValidationError as DRF's error body: messages per field, the rest under non_field_errors."""
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}

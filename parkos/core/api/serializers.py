"""Serializer base: related records are IDs, checked against what the requesting user may see."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from parkos.core import writes
from parkos.core.permissions import Action


class PrimaryModelSerializer(serializers.ModelSerializer):
    """Adds ``url`` (the page) and ``display`` (the name people read) to every model's fields."""

    display = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_display(self, obj) -> str:
        return str(obj)

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                target.queryset = queryset.restrict(user, Action.VIEW)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        hidden = instance.hidden_fields_for(getattr(request, "user", None)) if request else frozenset()
        for name in hidden:
            if name in data:
                data[name] = None
        return data

    def _user(self):
        return getattr(self.context.get("request"), "user", None)

    def validate(self, attrs):
        """Refuse fields the user may not set, then run the model's own validation as the forms do."""
        attrs = super().validate(attrs)
        model = self.Meta.model
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

    def create(self, validated_data):
        """Through the one write path (core.writes): the model's hooks, scope check, one transaction."""
        many = self._pop_many(validated_data)
        instance = self.Meta.model(**validated_data)
        return writes.save(instance, user=self._user(), created=True, many=many, validated=True)

    def update(self, instance, validated_data):
        many = self._pop_many(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        version = self.context.get("version")
        return writes.save(instance, user=self._user(), created=False, many=many, validated=True, version=version)

    def _pop_many(self, validated_data) -> dict:
        names = {f.name for f in self.Meta.model._meta.many_to_many}
        return {name: validated_data.pop(name) for name in list(validated_data) if name in names}


def field_errors(exc: DjangoValidationError) -> dict:
    """A model's ValidationError as DRF's error body: messages per field, the rest under non_field_errors."""
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}

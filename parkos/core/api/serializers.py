"""Serializer base: related records are IDs, checked against what the requesting user may see."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

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

    def validate(self, attrs):
        """Run the model's own validation (clean(), field validators, constraints) as the forms do."""
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {f.name for f in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=list(many))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(field_errors(exc)) from exc
        return attrs


def field_errors(exc: DjangoValidationError) -> dict:
    """A model's ValidationError as DRF's error body: messages per field, the rest under non_field_errors."""
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}

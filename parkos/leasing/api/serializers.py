"""Leasing API serializers. The park is derived from the units; the overlap rule runs in validate()."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer, field_errors
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.leasing.services import validate_lease_units, validate_sale_units

STAMPS = ("created", "last_updated")


class UnitsRuleMixin:
    """Run the overlap rule with the posted units (or the stored ones on a partial update)."""

    unit_rule = None

    def validate(self, attrs):
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        if "units" in attrs:
            units = list(attrs["units"])
        else:
            units = list(self.instance.units.all()) if self.instance is not None else []
        try:
            type(self).unit_rule(instance, units)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(field_errors(exc)) from exc
        attrs["park"] = instance.park
        for name in self.derived:
            if attrs.get(name) is None:
                attrs[name] = getattr(instance, name)
        return super().validate(attrs)


class LeaseSerializer(UnitsRuleMixin, PrimaryModelSerializer):
    unit_rule = staticmethod(lambda instance, units: validate_lease_units(lease=instance, units=units))
    derived = ("leased_area",)

    class Meta:
        model = Lease
        fields = (
            "id",
            "url",
            "display",
            "reference",
            "tenant",
            "units",
            "park",
            "leased_area",
            "start_date",
            "end_date",
            "rent_amount",
            "rent_basis",
            "currency",
            "deposit_amount",
            "status",
            "terminated_on",
            "termination_reason",
            "renewal_of",
            "effective_end",
            "notes",
            *STAMPS,
        )
        read_only_fields = ("park", "effective_end")
        extra_kwargs = {"units": {"allow_empty": False}}


class RentTermSerializer(PrimaryModelSerializer):
    class Meta:
        model = RentTerm
        fields = ("id", "url", "display", "lease", "start_date", "end_date", "rent_amount", "note", *STAMPS)


class SaleSerializer(UnitsRuleMixin, PrimaryModelSerializer):
    unit_rule = staticmethod(lambda instance, units: validate_sale_units(sale=instance, units=units))
    derived = ("area",)

    class Meta:
        model = Sale
        fields = (
            "id",
            "url",
            "display",
            "reference",
            "buyer",
            "units",
            "building",
            "park",
            "area",
            "price_amount",
            "price_currency",
            "contract_date",
            "transfer_date",
            "status",
            "notes",
            *STAMPS,
        )
        read_only_fields = ("park",)


class LeaseRenewSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)
    rent_amount = serializers.DecimalField(max_digits=20, decimal_places=2, required=False, allow_null=True)
    rent_basis = serializers.ChoiceField(choices=Lease._meta.get_field("rent_basis").choices, required=False)
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class LeaseTerminateSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField()

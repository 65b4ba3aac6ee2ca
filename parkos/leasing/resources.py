"""Leasing import/export columns. Tenants and buyers by name, units as park/building/unit codes, leases by ID.

Every row goes through the same overlap rule as the form and the API (services.validate_lease_units):
a file with one clashing row writes nothing, and the error names the row, the column and the contract.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from parkos.core.changelog import current_user
from parkos.core.permissions import Action
from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.resources import OrganizationWidget
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.leasing.services import validate_lease_units, validate_sale_units
from parkos.parks.models import SpaceUnit
from parkos.parks.resources import BuildingWidget


class SpaceUnitsWidget(widgets.ManyToManyWidget):
    """Units as 'park/building/unit' codes separated by ';' (e.g. 'lg-ic/B1/301; lg-ic/B1/302')."""

    #: the keys an export reads in one query (core.spreadsheets), joined by '/'
    export_lookups = ("building__parcel__park__code", "building__code", "code")

    def __init__(self):
        super().__init__(SpaceUnit, separator=";", field="code")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return SpaceUnit.objects.none()
        visible = SpaceUnit.objects.restrict(current_user(), Action.VIEW)
        found = []
        for key in (part.strip() for part in str(value).split(self.separator)):
            if not key:
                continue
            parts = [p.strip() for p in key.split("/")]
            if len(parts) != 3:
                raise ValueError(
                    _("Write each unit as park/building/unit, e.g. lg-ic/B1/301; '%(key)s' is not.") % {"key": key}
                )
            park, building, code = parts
            matches = list(visible.filter(building__parcel__park__code=park, building__code=building, code=code)[:2])
            if not matches:
                raise ValueError(_("No space unit '%(key)s' that you can see.") % {"key": key})
            if len(matches) > 1:
                raise ValueError(_("Several space units are '%(key)s'.") % {"key": key})
            found.append(matches[0].pk)
        return SpaceUnit.objects.filter(pk__in=found)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # the resource's queryset prefetches units with their building, parcel and park
        return "; ".join(f"{u.building.parcel.park.code}/{u.building.code}/{u.code}" for u in value.all())


class UnitsResourceMixin:
    """Check the row's units with the overlap rule before the row is saved."""

    validate_units = None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            if self.fields["units"].column_name in row:
                units = list(self.fields["units"].clean(row))
            else:  # a file without the units column leaves them as they are
                units = list(instance.units.all()) if instance.pk else []
        except ValueError as exc:
            errors["units"] = [str(exc)]
        else:
            if not errors:
                try:
                    type(self).validate_units(instance, units)
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


@register
class LeaseResource(UnitsResourceMixin, PrimaryResource):
    validate_units = staticmethod(lambda instance, units: validate_lease_units(lease=instance, units=units))
    tenant = fields.Field("tenant", "tenant", OrganizationWidget())
    units = fields.Field("units", "units", SpaceUnitsWidget())
    renewal_of = fields.Field("renewal_of", "renewal_of", VisibleForeignKeyWidget(Lease, "pk"))
    alternate_keys = ("reference",)  # the contract number finds the lease when the id is left empty

    class Meta(PrimaryResource.Meta):
        model = Lease
        fields = (
            "id",
            "reference",
            "tenant",
            "units",
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
            "notes",
        )
        import_id_fields = ("id",)

    def get_queryset(self):
        return super().get_queryset().select_related("tenant").prefetch_related("units__building__parcel__park")


@register
class RentTermResource(PrimaryResource):
    lease = fields.Field("lease", "lease", VisibleForeignKeyWidget(Lease, "pk"))

    class Meta(PrimaryResource.Meta):
        model = RentTerm
        fields = ("id", "lease", "start_date", "end_date", "rent_amount", "note")
        import_id_fields = ("id",)


@register
class SaleResource(UnitsResourceMixin, PrimaryResource):
    validate_units = staticmethod(lambda instance, units: validate_sale_units(sale=instance, units=units))
    buyer = fields.Field("buyer", "buyer", OrganizationWidget())
    units = fields.Field("units", "units", SpaceUnitsWidget())
    building = fields.Field("building", "building", BuildingWidget())
    alternate_keys = ("reference",)

    class Meta(PrimaryResource.Meta):
        model = Sale
        fields = (
            "id",
            "reference",
            "buyer",
            "units",
            "building",
            "area",
            "price_amount",
            "price_currency",
            "contract_date",
            "transfer_date",
            "status",
            "notes",
        )
        import_id_fields = ("id",)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("buyer", "building__parcel__park")
            .prefetch_related("units__building__parcel__park")
        )

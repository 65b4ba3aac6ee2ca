"""The park registry: brand > park > land parcel > building > space unit."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from parkos.core.fields import AreaField
from parkos.core.geometry import validate_polygon
from parkos.core.models import PrimaryModel
from parkos.core.units import format_area


def area_with_siblings(obj, parent: str) -> Decimal:
    """obj's area plus the areas of the other rows under the same parent (parcels of a park, units of a building)."""
    siblings = type(obj).objects.filter(**{f"{parent}_id": getattr(obj, f"{parent}_id")}).exclude(pk=obj.pk)
    return (siblings.aggregate(total=Sum("area"))["total"] or Decimal(0)) + obj.area


class ParkBrand(PrimaryModel):
    """A brand under which an operator runs several parks."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    operator = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="park_brands",
    )
    description = models.TextField(_("description"), blank=True)

    park_path = "parks"
    few_rows = True
    search_fields = ("code", "name", "name_en")

    class Meta:
        ordering = ["name"]
        verbose_name = _("park brand")
        verbose_name_plural = _("park brands")

    def __str__(self) -> str:
        return self.name


class Park(PrimaryModel):
    """A park: a district, an operator, a boundary and a land area."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    brand = models.ForeignKey(
        ParkBrand,
        verbose_name=_("brand"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parks",
    )
    district = models.CharField(_("district"), max_length=50, db_index=True)
    operator = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_parks",
    )
    land_area = AreaField(_("land area"), null=True, blank=True)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        validators=[validate_polygon],
        help_text=_("GeoJSON Polygon or MultiPolygon, [longitude, latitude] in WGS 84."),
    )
    established = models.DateField(_("established"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    park_path = ""
    few_rows = True
    search_fields = ("code", "name", "name_en", "district")

    class Meta:
        ordering = ["name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self) -> str:
        return self.name


class LandParcel(PrimaryModel):
    """A parcel of land in a park: area, land use, holder and status."""

    class LandUse(models.TextChoices):
        INDUSTRIAL = "industrial", _("Industrial")
        RESEARCH = "research", _("Research and development")
        LOGISTICS = "logistics", _("Warehousing and logistics")
        COMMERCIAL = "commercial", _("Commercial and office")
        RESIDENTIAL = "residential", _("Residential")
        PUBLIC = "public", _("Public facilities")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        IDLE = "idle", _("Idle")
        INEFFICIENT = "inefficient", _("Inefficient")
        UNDER_DISPOSAL = "under_disposal", _("Under disposal")
        REDEVELOPED = "redeveloped", _("Redeveloped")

    park = models.ForeignKey(Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="parcels")
    code = models.CharField(_("parcel number"), max_length=40)
    area = AreaField(_("area"))
    land_use = models.CharField(_("land use"), max_length=20, choices=LandUse.choices, default=LandUse.INDUSTRIAL)
    holder = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("land holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="land_parcels",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_USE, db_index=True)
    granted = models.DateField(_("land granted"), null=True, blank=True)
    plot_ratio_cap = models.DecimalField(
        _("maximum plot ratio"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Planned maximum floor area ratio."),
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True, validators=[validate_polygon])

    park_path = "park"
    organization_path = "holder"
    search_fields = ("code", "park__name", "holder__name")

    class Meta:
        ordering = ["park", "code"]
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        constraints = [
            models.UniqueConstraint(
                "park",
                "code",
                name="landparcel_unique_code_per_park",
                violation_error_message=_("This park already has a parcel with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.park.name if self.park_id else ''} {self.code}".strip()

    def clean(self) -> None:
        if self.park_id and self.area is not None and self.park.land_area:
            total = area_with_siblings(self, "park")
            if total > self.park.land_area:
                message = _("The park's parcels would cover %(total)s, more than its land area of %(land)s.")
                raise ValidationError(
                    {"area": message % {"total": format_area(total), "land": format_area(self.park.land_area)}}
                )


class Building(PrimaryModel):
    """A building on a parcel."""

    class Use(models.TextChoices):
        PLANT = "plant", _("Industrial plant")
        OFFICE = "office", _("Office")
        RESEARCH = "research", _("R&D")
        WAREHOUSE = "warehouse", _("Warehouse")
        MIXED = "mixed", _("Mixed use")
        SUPPORT = "support", _("Support facilities")

    parcel = models.ForeignKey(LandParcel, verbose_name=_("parcel"), on_delete=models.PROTECT, related_name="buildings")
    code = models.CharField(_("building number"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    use = models.CharField(_("use"), max_length=20, choices=Use.choices, default=Use.PLANT)
    floor_area = AreaField(_("floor area"))
    floors = models.PositiveSmallIntegerField(_("floors above ground"), default=1)
    completed = models.PositiveSmallIntegerField(_("year completed"), null=True, blank=True)
    #: the footprint, drawn on the maps over its parcel (parkos.maps)
    geometry = models.JSONField(
        _("geometry"),
        null=True,
        blank=True,
        validators=[validate_polygon],
        help_text=_("GeoJSON Polygon or MultiPolygon, [longitude, latitude] in WGS 84."),
    )

    park_path = "parcel__park"
    organization_path = "parcel__holder"
    search_fields = ("code", "name", "parcel__code", "parcel__park__name")

    class Meta:
        ordering = ["parcel", "code"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(
                "parcel",
                "code",
                name="building_unique_code_per_parcel",
                violation_error_message=_("This parcel already has a building with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def clean(self) -> None:
        if self.floors == 0:
            raise ValidationError({"floors": _("A building has at least one floor.")})


class SpaceUnit(PrimaryModel):
    """What is leased or sold: a floor, a suite, a plant, a warehouse bay."""

    class Kind(models.TextChoices):
        FLOOR = "floor", _("Whole floor")
        SUITE = "suite", _("Suite")
        PLANT = "plant", _("Plant")
        WAREHOUSE = "warehouse", _("Warehouse")
        LAB = "lab", _("Laboratory")
        OTHER = "other", _("Other")

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="space_units"
    )
    code = models.CharField(_("unit number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUITE)
    floor = models.SmallIntegerField(_("floor"), default=1)
    area = AreaField(_("area"))

    park_path = "building__parcel__park"
    organization_path = "building__parcel__holder"
    search_fields = ("code", "building__code", "building__name")

    class Meta:
        ordering = ["building", "floor", "code"]
        verbose_name = _("space unit")
        verbose_name_plural = _("space units")
        constraints = [
            models.UniqueConstraint(
                "building",
                "code",
                name="spaceunit_unique_code_per_building",
                violation_error_message=_("This building already has a unit with this number."),
            )
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.building_id and self.area is not None:
            total = area_with_siblings(self, "building")
            if total > self.building.floor_area:
                message = _("The building's units would cover %(total)s, more than its floor area of %(floor)s.")
                raise ValidationError(
                    {"area": message % {"total": format_area(total), "floor": format_area(self.building.floor_area)}}
                )

"""Leases and sales of space units, occupancy and vacancy."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeasingConfig(AppConfig):
    name = "parkos.leasing"
    label = "leasing"
    #: the models this app lists in the navigation menu, in order
    menu_models = ("lease", "rentterm", "sale")
    verbose_name = _("Leasing")

    def menu_links(self, user) -> list[tuple[str, str]]:
        """The report pages, for everyone who may see leases."""
        from django.urls import reverse

        from parkos.core.navigation import sees_operator_pages
        from parkos.core.permissions import can
        from parkos.leasing.models import Lease

        if not can(user, Lease, "view"):
            return []
        if not sees_operator_pages(user):  # a tenant: its own leases' expiry, not the park-wide reports
            return [(_("Expiry alerts"), reverse("leasing:expiry_alerts"))]
        return [
            (_("Occupancy"), reverse("leasing:occupancy")),
            (_("Vacancy board"), reverse("leasing:vacancy_board")),
            (_("Rent roll"), reverse("leasing:rent_roll")),
            (_("Expiry alerts"), reverse("leasing:expiry_alerts")),
            (_("Leasing figures"), reverse("leasing:figures")),
        ]

    def home_panels(self, user) -> list:
        """The queues of this app's work on the user's home page (parkos.core.home)."""
        from parkos.leasing.home import home_panels

        return home_panels(user)

    def ready(self) -> None:
        from parkos.core.kept import watch
        from parkos.core.pagination import stored_counts
        from parkos.core.views.generic import Related, add_related
        from parkos.directory.models import Organization
        from parkos.leasing import (
            resources,  # noqa: F401  (registers the import/export resources)
            stored,
        )
        from parkos.leasing.models import Lease, Sale
        from parkos.leasing.selectors import FIGURES_READ
        from parkos.leasing.tables import LeaseTable, SaleTable
        from parkos.parks.models import Building, SpaceUnit

        stored.connect()  # the stored occupancy per park follows every lease, sale and unit write
        watch("leasing_figures", FIGURES_READ)  # the kept leasing figures too (parkos.core.kept)
        stored_counts[SpaceUnit] = stored.unit_count  # the units list counted from the stored units per park
        add_related(SpaceUnit, Related(Lease, LeaseTable, "units", _("Leases"), filter_param="unit"))
        add_related(SpaceUnit, Related(Sale, SaleTable, "units", _("Sales"), filter_param="unit"))
        add_related(
            Building,
            Related(Lease, LeaseTable, "units__building", _("Leases"), filter_param="building", distinct=True),
        )
        add_related(Organization, Related(Lease, LeaseTable, "tenant", _("Leases as tenant"), queryset=tenant_leases))
        add_related(Organization, Related(Sale, SaleTable, "buyer", _("Purchases of space"), queryset=buyer_sales))


# An organization page's panels read only the columns they show (issue 16: each row brought its organization's
# forty columns, and a lease its units, which the half-width panel leaves to the list).


def tenant_leases(user):  # type: ignore[no-untyped-def]
    """The leases panel: reference, area, end, rent at its basis and currency, status."""
    from parkos.leasing.models import Lease

    return Lease.objects.restrict(user).only(
        "reference", "leased_area", "end_date", "rent_amount", "rent_basis", "currency", "status"
    )


def buyer_sales(user):  # type: ignore[no-untyped-def]
    """The purchases panel: every SaleTable column but the buyer (the page's organization)."""
    from parkos.leasing.models import Sale
    from parkos.leasing.views import UNITS

    return (
        Sale.objects.restrict(user)
        .select_related("park", "building")
        .prefetch_related(UNITS)
        .only(
            "reference",
            "area",
            "price_amount",
            "price_currency",
            "contract_date",
            "transfer_date",
            "status",
            "park__name",
            "building__code",
            "building__name",
        )
    )

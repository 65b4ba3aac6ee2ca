"""Leasing list tables."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import AreaColumn, MoneyColumn, PrimaryTable
from parkos.core.units import format_rent
from parkos.leasing.models import Lease, RentTerm, Sale

STATUS_COLOURS = {
    Lease.Status.INTENT: "secondary",
    Lease.Status.SIGNED: "blue",
    Lease.Status.IN_FORCE: "green",
    Lease.Status.EXPIRED: "secondary",
    Lease.Status.TERMINATED: "red",
    Lease.Status.RENEWED: "azure",
    Sale.Status.COMPLETED: "green",
    Sale.Status.CANCELLED: "red",
}


#: (model, status, language) -> its badge: the same few badges on every row of a list (issue 16)
_badges: dict[tuple[type, str, str | None], str] = {}


def status_badge(record) -> str:
    key = (type(record), record.status, get_language())
    badge = _badges.get(key)
    if badge is None:
        colour = STATUS_COLOURS.get(record.status, "secondary")
        badge = format_html(
            '<span class="badge bg-{}-lt" data-status="{}">{}</span>',
            colour,
            record.status,
            record.get_status_display(),
        )
        _badges[key] = badge
    return badge


def unit_links(units) -> str:
    return format_html_join(", ", '<a href="{}">{}</a>', ((u.get_absolute_url(), u.code) for u in units))


class LeaseTable(PrimaryTable):
    reference = tables.Column(linkify=True, verbose_name=_("lease"), order_by=("reference", "pk"))
    tenant = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    units = tables.Column(verbose_name=_("space units"), orderable=False, empty_values=())
    leased_area = AreaColumn()
    rent_amount = MoneyColumn(kind="rent", verbose_name=_("rent"))

    low_priority = ("park", "units", "start_date", "rent_basis")

    class Meta(PrimaryTable.Meta):
        model = Lease
        fields = (
            "reference",
            "tenant",
            "park",
            "units",
            "leased_area",
            "start_date",
            "end_date",
            "rent_amount",
            "rent_basis",
            "status",
        )

    def render_reference(self, record):
        return str(record)

    def render_units(self, record):
        return unit_links(record.units.all())

    def render_status(self, record):
        return status_badge(record)


class RentTermTable(PrimaryTable):
    lease = tables.Column(linkify=True)
    start_date = tables.Column(linkify=True)
    rent_amount = tables.Column(verbose_name=_("rent"))

    class Meta(PrimaryTable.Meta):
        model = RentTerm
        fields = ("start_date", "end_date", "lease", "rent_amount", "note")

    def render_rent_amount(self, record):
        if record.rent_amount == 0:
            return format_html('<span class="badge bg-green-lt">{}</span>', _("Free rent"))
        return format_rent(record.rent_amount, record.lease.rent_basis, record.lease.currency)


class SaleTable(PrimaryTable):
    reference = tables.Column(linkify=True, verbose_name=_("sale"), order_by=("reference", "pk"))
    buyer = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    units = tables.Column(verbose_name=_("space units"), orderable=False, empty_values=())
    building = tables.Column(linkify=True)
    area = AreaColumn()
    price_amount = MoneyColumn(verbose_name=_("price"))

    class Meta(PrimaryTable.Meta):
        model = Sale
        fields = (
            "reference",
            "buyer",
            "park",
            "units",
            "building",
            "area",
            "price_amount",
            "contract_date",
            "transfer_date",
            "status",
        )

    def render_reference(self, record):
        return str(record)

    def render_units(self, record):
        return unit_links(record.units.all())

    def render_status(self, record):
        return status_badge(record)

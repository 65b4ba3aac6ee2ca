"""Leasing forms. The overlap rule runs in clean() through services.validate_lease_units / validate_sale_units."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import PrimaryModelForm, date_input, style_widget
from parkos.leasing.models import Lease, RentBasis, RentTerm, Sale
from parkos.leasing.services import validate_lease_units, validate_sale_units


class LeaseForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Lease
        fields = (
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
        widgets = {"termination_reason": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        units = cleaned.get("units")
        if units is not None and not self.errors:
            for name in ("leased_area", "start_date", "end_date", "status", "terminated_on", "renewal_of"):
                setattr(self.instance, name, cleaned.get(name))
            try:
                validate_lease_units(lease=self.instance, units=units)
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                cleaned["leased_area"] = self.instance.leased_area
        return cleaned


class RentTermForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = RentTerm
        fields = ("lease", "start_date", "end_date", "rent_amount", "note")


class SaleForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Sale
        fields = (
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
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for name in ("building", "area", "contract_date", "status"):
                setattr(self.instance, name, cleaned.get(name))
            try:
                validate_sale_units(sale=self.instance, units=cleaned.get("units") or [])
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                cleaned["area"] = self.instance.area
        return cleaned


class LeaseRenewForm(forms.Form):
    start = forms.DateField(label=_("Starts on"), widget=date_input())
    end = forms.DateField(label=_("Ends on"), required=False, widget=date_input(), help_text=_("Empty: open-ended."))
    rent_amount = forms.DecimalField(
        label=_("Rent"),
        required=False,
        min_value=0,
        max_digits=20,
        decimal_places=2,
        help_text=_("Empty: the same rent as now."),
    )
    rent_basis = forms.ChoiceField(label=_("Rent basis"), choices=RentBasis.choices)
    reference = forms.CharField(label=_("Contract number"), required=False, max_length=60)

    def __init__(self, *args, lease: Lease, **kwargs):
        super().__init__(*args, **kwargs)
        self.lease = lease
        self.fields["rent_basis"].initial = lease.rent_basis
        if lease.end_date:
            import datetime

            self.fields["start"].initial = lease.end_date + datetime.timedelta(days=1)
        for field in self.fields.values():
            style_widget(field)


class LeaseTerminateForm(forms.Form):
    on = forms.DateField(label=_("Last day of the lease"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)

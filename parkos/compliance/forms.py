"""Forms of default handling: a case and its documents, and one form per step of a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parkos.compliance import services
from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.forms import PrimaryModelForm, style_widget
from parkos.core.units import CURRENCY_CHOICES, DEFAULT_CURRENCY


class DefaultCaseForm(PrimaryModelForm):
    """Open a case by hand or edit its owner and notes; the stage moves only by the steps of the case."""

    class Meta(PrimaryModelForm.Meta):
        model = DefaultCase
        fields = ("commitment", "year", "reference", "target", "actual", "gap", "source", "owner", "opened_on", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # which commitment and year a case is about stays as opened
            self.fields["commitment"].disabled = True
            self.fields["year"].disabled = True


class DefaultCaseDocumentForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = DefaultCaseDocument
        fields = ("case", "title", "file")


class _StepForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, help_text=_("Empty: today."))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, case: DefaultCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        for field in self.fields.values():
            style_widget(field)


class WarnForm(_StepForm):
    pass


class RectificationForm(_StepForm):
    deadline = forms.DateField(label=_("Rectification deadline"), help_text=_("After today."))

    field_order = ("deadline", "on", "note")


def _offer_parcels(form: forms.Form, case: DefaultCase) -> None:
    parcels = services.parcels_for(case).select_related("park")
    field = form.fields["parcel"]
    field.queryset = parcels  # type: ignore[attr-defined]
    if not parcels.exists():
        field.disabled = True
        field.help_text = _(
            "The party holds no parcel in the agreement's park: no disposal case can be opened from this case."
        )


class SettleForm(_StepForm):
    kind = forms.ChoiceField(label=_("Settlement"), choices=DefaultCase.SettlementKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, max_digits=20, decimal_places=2, help_text=_("Repayment or penalty only.")
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial=DEFAULT_CURRENCY)
    parcel = forms.ModelChoiceField(
        label=_("Open a disposal case on the parcel"),
        queryset=DefaultCase.objects.none(),
        required=False,
        help_text=_("Land buy-back or transfer only."),
    )

    field_order = ("kind", "amount", "currency", "parcel", "on", "note")

    def __init__(self, *args: Any, case: DefaultCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        _offer_parcels(self, case)


class DisposalForm(forms.Form):
    parcel = forms.ModelChoiceField(label=_("Parcel"), queryset=DefaultCase.objects.none())

    def __init__(self, *args: Any, case: DefaultCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        _offer_parcels(self, case)
        style_widget(self.fields["parcel"])


class CloseForm(_StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DefaultCase.Outcome.choices)

    field_order = ("outcome", "on", "note")


#: the step forms by the name of the step (the page's URL and the API action)
STEP_FORMS: dict[str, type[forms.Form]] = {
    "warn": WarnForm,
    "rectify": RectificationForm,
    "settle": SettleForm,
    "close": CloseForm,
    "disposal": DisposalForm,
}

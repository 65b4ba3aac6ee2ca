"""Evaluation forms: filings, schemes, the run form and the filings import form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import ImportForm, PrimaryModelForm, style_widget
from parkos.core.permissions import Scope, scope_of
from parkos.evaluation.models import Appeal, EvaluationScheme, IndicatorFiling


class IndicatorFilingForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = IndicatorFiling
        fields = (
            "organization",
            "year",
            "park",
            "parcel",
            *IndicatorFiling.VALUE_FIELDS,
            "above_size_threshold",
            "major_incident",
            "is_tenant",
            "land_rule",
            "production_start",
            "note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_enterprise = scope_of(self.user) == Scope.ORGANIZATION
        if self.by_enterprise:
            for name in IndicatorFiling.STAFF_ONLY:
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization")
        if self.by_enterprise and organization is not None and not self.instance.park_id:
            from parkos.evaluation.services import home_of

            park_id, parcel_id = home_of({organization.pk}).get(organization.pk, (None, None))
            if park_id is None:
                raise forms.ValidationError(
                    _("Your enterprise holds no parcel and leases no space in a park; ask the park office to file.")
                )
            self.instance.park_id, self.instance.parcel_id = park_id, parcel_id
        return cleaned


class EvaluationSchemeForm(PrimaryModelForm):
    """A scheme is its JSON definition; name and version are read from it."""

    class Meta(PrimaryModelForm.Meta):
        model = EvaluationScheme
        fields = ("definition", "title", "description")
        widgets = {"definition": forms.Textarea(attrs={"rows": 20, "class": "font-monospace"})}


class RunEvaluationForm(forms.Form):
    scheme = forms.ModelChoiceField(EvaluationScheme.objects.all(), label=_("Scheme"))
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = EvaluationScheme.objects.restrict(user)
        for field in self.fields.values():
            style_widget(field)


class FilingsImportForm(ImportForm):
    layout = forms.ChoiceField(label=_("Source layout"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from parkos.evaluation.layouts import LAYOUTS

        self.fields["layout"].choices = [(key, layout.label) for key, layout in LAYOUTS.items()]
        style_widget(self.fields["layout"])
        self.order_fields(["layout", "file"])


class SchemeFileForm(forms.Form):
    file = forms.FileField(label=_("Scheme file (.json)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widget(self.fields["file"])


class AppealForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Appeal
        fields = ("result", "reason", "evidence")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.evidence:
            self.initial.pop("evidence", None)  # no file yet: nothing to show or post back


class AppealDecisionForm(forms.Form):
    """The decision on an appeal: the page and the API (``POST .../appeals/<id>/decide/``) call appeal_decide."""

    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    decision = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    rerun = forms.BooleanField(
        label=_("Re-run the evaluation"),
        required=False,
        help_text=_("Correct the filing first; the new run applies the same scheme to the same year."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)

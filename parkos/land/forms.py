"""Forms for inefficient land and disposal cases: flags, cases, milestones, documents, and closing a case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import PrimaryModelForm, model_formfield, style_widget
from parkos.core.permissions import Action
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag


def _parcels_the_user_may_change(form) -> None:
    """Flagging a parcel or opening a case changes its status: offer only parcels the user may change."""
    field = form.fields.get("parcel")
    if field is not None and form.user is not None:
        field.queryset = field.queryset.model.objects.restrict(form.user, Action.CHANGE)
        field.widget.choices = field.choices


class ParcelFlagForm(PrimaryModelForm):
    """Flag a parcel by hand (a run's flags are written by the run); the parcel becomes inefficient."""

    class Meta(PrimaryModelForm.Meta):
        model = ParcelFlag
        fields = ("parcel", "reason", "detail", "flagged_on", "cleared_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _parcels_the_user_may_change(self)
        if self.instance.pk is None:
            self.fields.pop("cleared_on")
            self.fields["detail"].required = True
        else:
            # Which parcel and why stay as flagged; a mistaken flag is cleared, or deleted.
            self.fields["parcel"].disabled = True


class DisposalCaseForm(PrimaryModelForm):
    """Open or edit a case. Closing goes through the close form, which records the outcome and frees the land."""

    class Meta(PrimaryModelForm.Meta):
        model = DisposalCase
        fields = ("parcel", "path", "status", "owner", "opened_on", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _parcels_the_user_may_change(self)
        self.fields["status"].choices = [c for c in DisposalCase.Status.choices if c[0] != DisposalCase.Status.CLOSED]
        self.fields["status"].help_text = _("Close the case with its Close button, which records the outcome.")
        if self.instance.pk is not None:
            self.fields["parcel"].disabled = True
            if self.instance.is_closed:
                self.fields["status"].disabled = True
                self.fields["status"].choices = DisposalCase.Status.choices

    def clean_parcel(self):
        parcel = self.cleaned_data["parcel"]
        if self.instance.pk is None and parcel is not None and parcel.status == parcel.Status.REDEVELOPED:
            raise forms.ValidationError(_("This parcel is already redeveloped; flag it again before a new case."))
        return parcel


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DisposalCase.Outcome.choices)
    closed_on = model_formfield(DisposalCase._meta.get_field("closed_on"), required=True)
    notes = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].help_text = _(
            "“Land returned” makes the parcel idle: available for investment promotion. After a buy-back or a "
            "take-over into the land reserve its holder is cleared."
        )
        for field in self.fields.values():
            style_widget(field)


class BulkCaseStatusForm(forms.Form):
    """Bulk "change status" of disposal cases: start them, or close them with one outcome (empty: each
    case's usual outcome for its path)."""

    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (DisposalCase.Status.IN_PROGRESS, DisposalCase.Status.IN_PROGRESS.label),
            (DisposalCase.Status.CLOSED, DisposalCase.Status.CLOSED.label),
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"),
        choices=[("", _("The usual outcome of each case's path")), *DisposalCase.Outcome.choices],
        required=False,
    )
    closed_on = model_formfield(DisposalCase._meta.get_field("closed_on"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)


class DisposalMilestoneForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = DisposalMilestone
        fields = ("case", "title", "due_date", "done_on", "owner")


class DisposalDocumentForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = DisposalDocument
        fields = ("case", "title", "file")

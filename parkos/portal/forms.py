"""Portal forms: the generic proposal form, the enterprise's "propose a change" form and the review form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import PrimaryModelForm, model_formfield, restrict_choices, style_widget
from parkos.directory.models import Industry, Organization
from parkos.portal.models import PROFILE_FIELDS, ProfileChangeRequest


class ProfileChangeRequestForm(PrimaryModelForm):
    """The proposal as one JSON field (staff, imports); enterprises use ProfileProposalForm on their page."""

    class Meta(PrimaryModelForm.Meta):
        model = ProfileChangeRequest
        fields = ("organization", "changes", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_pending:
            # A decided proposal is a record of what was decided; a new change is a new proposal.
            for field in self.fields.values():
                field.disabled = True
                field.help_text = _("This proposal has been decided and can no longer be changed.")


class ProfileProposalForm(forms.ModelForm):
    """The organization's profile fields, filled with their current values; the changed ones become the proposal."""

    note = forms.CharField(
        label=_("Note to the reviewer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the profile should change (optional)."),
    )

    class Meta:
        model = Organization
        fields = PROFILE_FIELDS
        formfield_callback = model_formfield

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_choices(self, user)
        # The industry taxonomy is a public classification: an enterprise picks from all of it, though its
        # role does not browse the directory's industry pages.
        self.fields["industry"].queryset = Industry.objects.all()
        for field in self.fields.values():
            style_widget(field)

    def _post_clean(self):
        # The values are validated by the proposal service (on a copy), not by saving this organization.
        pass

    def proposed_changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS if name in self.changed_data}


class ReviewForm(forms.Form):
    review_note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting: say what to correct."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)

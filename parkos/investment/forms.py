"""Investment forms. Related-record choices are limited to what the user may see (PrimaryModelForm)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.bounds import is_stored_id
from parkos.core.forms import PrimaryModelForm, date_input, style_widget
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
    Stage,
)


class ProjectForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Project
        fields = (
            "name",
            "is_confidential",
            "codename",
            "investor",
            "industry",
            "park",
            "parcel",
            "building",
            "planned_investment_amount",
            "planned_investment_currency",
            "planned_floor_area",
            "planned_jobs",
            "owner",
            "team",
            "source",
            "stage",
            "lost_reason",
            "description",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["stage"].choices = [c for c in Stage.choices if c[0] != Stage.LOST]
        if self.instance.pk and not self.instance.investor_visible_to(self.user):
            # Outside the team the confidential fields are neither shown nor editable.
            for name in self.instance.confidential_fields:
                self.fields.pop(name, None)


class EventForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Event
        fields = ("kind", "title", "date", "place", "park", "attendees", "organizations", "description")


class AgreementForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Agreement
        fields = (
            "kind",
            "title",
            "reference",
            "status",
            "park",
            "project",
            "event",
            "signed_on",
            "start_date",
            "end_date",
            "fields_of_cooperation",
            "contact_cadence",
            "summary",
        )
        widgets = {"fields_of_cooperation": forms.Textarea(attrs={"rows": 3}), "summary": forms.Textarea()}


class PartyForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Party
        fields = ("agreement", "organization", "role")


class SignatoryForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Signatory
        fields = ("agreement", "party", "person", "title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement_id = self.initial.get("agreement") or self.instance.agreement_id or self.data.get("agreement")
        if agreement_id and is_stored_id(Agreement, agreement_id):  # ?agreement=<20 digits> or a word: all parties
            # Offer only this agreement's parties; the model still checks the pair.
            self.fields["party"].queryset = self.fields["party"].queryset.filter(agreement_id=agreement_id)
            self.fields["party"].widget = forms.Select(choices=self.fields["party"].choices)
            style_widget(self.fields["party"])
        self.fields["title"].help_text = _("Left empty, the person's current title at that organization is used.")

    def clean(self):
        cleaned = super().clean()
        person, party = cleaned.get("person"), cleaned.get("party")
        if person and party and not cleaned.get("title"):
            position = person.positions.filter(organization=party.organization).order_by("-start_date").first()
            if position is not None:
                cleaned["title"] = position.title
                self.instance.title = position.title
        return cleaned


class CommitmentForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Commitment
        fields = (
            "agreement",
            "party",
            "kind",
            "basis",
            "description",
            "target_value",
            "unit",
            "start_date",
            "due_date",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement_id = self.initial.get("agreement") or self.instance.agreement_id or self.data.get("agreement")
        if agreement_id and is_stored_id(Agreement, agreement_id):  # ?agreement=<20 digits> or a word: all parties
            self.fields["party"].queryset = self.fields["party"].queryset.filter(agreement_id=agreement_id)
            self.fields["party"].widget = forms.Select(choices=self.fields["party"].choices)
            style_widget(self.fields["party"])


class ProgressForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Progress
        fields = ("commitment", "date", "value", "source", "note")


class BulkContactedForm(forms.Form):
    """Bulk "mark contacted" on agreements: one contact recorded on each, on the same day."""

    date = forms.DateField(label=_("Contacted on"), initial=timezone.localdate, widget=date_input())
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices, initial=Contact.Kind.VISIT)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].help_text = _("Empty: “Regular contact on the agreement”.")
        for field in self.fields.values():
            style_widget(field)


class ContactForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Contact
        fields = (
            "kind",
            "date",
            "subject",
            "project",
            "agreement",
            "park",
            "people",
            "organizations",
            "notes",
            "next_steps",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].required = False


class FollowUpTaskForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = FollowUpTask
        fields = ("contact", "description", "owner", "due_date", "done_on")


class AgreementDocumentForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = AgreementDocument
        fields = ("agreement", "title", "file")


class ExchangeRateForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = ExchangeRate
        fields = ("currency", "rate", "valid_from", "source")

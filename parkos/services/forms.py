"""Services forms. Enterprise users get narrower forms: their own enterprise and parks, and no workflow fields."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import PrimaryModelForm, style_widget
from parkos.core.permissions import Scope, scope_of
from parkos.services.models import RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status
from parkos.services.selectors import enterprise_parks
from parkos.services.services import is_enterprise_side


class ServiceForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Service
        fields = (
            "name",
            "aspect",
            "provider",
            "eligibility",
            "deliverables",
            "response_target_hours",
            "resolution_target_days",
            "is_active",
        )


class ScenarioForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Scenario
        fields = ("name", "aspect", "provider", "description", "start_date", "end_date", "participants")


def service_staff_users():
    """Users who may be given requests: service staff and desk members."""
    User = get_user_model()
    return User.objects.filter(
        Q(groups__name="service_staff") | Q(service_desks__isnull=False), is_active=True
    ).distinct()


class ServiceDeskForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = ServiceDesk
        fields = ("aspect", "members")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = service_staff_users().order_by("username")


class ServiceRequestForm(PrimaryModelForm):
    """Staff record or correct a request; status moves go through the request's page (the workflow)."""

    class Meta(PrimaryModelForm.Meta):
        model = ServiceRequest
        fields = ("enterprise", "park", "service", "title", "description", "assigned_to", "requested_at")

    #: what an enterprise user may fill in: on filing, and later only what it wrote while the request is new
    ENTERPRISE_ADD = ("enterprise", "park", "service", "title", "description")
    ENTERPRISE_EDIT = ("title", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = self.fields["service"].queryset.filter(
            Q(is_active=True) | Q(pk=self.instance.service_id or 0)
        )
        if is_enterprise_side(user=self.user):
            keep = self.ENTERPRISE_EDIT if self.instance.pk else self.ENTERPRISE_ADD
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]
            if not self.instance.pk:
                organizations = self.user.scope_organization_ids()
                # enterprise users do not browse parks: they choose among the parks their enterprise is in
                park = self.fields["park"]
                park.queryset = enterprise_parks(organizations)
                park.widget = forms.Select(choices=park.choices)
                style_widget(park)
                for name, queryset in (("enterprise", self.fields["enterprise"].queryset), ("park", park.queryset)):
                    if not self.initial.get(name) and queryset.count() == 1:
                        self.initial[name] = queryset.first().pk
        else:
            assignee = self.fields["assigned_to"]
            assignee.queryset = service_staff_users().order_by("username")
            assignee.help_text = _("Left empty, a new request goes to the aspect's service desk.")
            if not self.fields["requested_at"].disabled:
                self.fields["requested_at"].help_text = _(
                    "When the enterprise asked, e.g. 2025-06-01 09:30; empty: now."
                )
            self.fields["requested_at"].required = False

    def clean_requested_at(self):
        return self.cleaned_data.get("requested_at") or self.instance.requested_at or timezone.now()


class RequestMessageForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = RequestMessage
        fields = ("request", "body", "attachment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["request"].disabled = True
        elif self.user is not None and self.user.is_authenticated:
            self.instance.author = self.user
        self.fields["request"].queryset = self.fields["request"].queryset.filter(
            Q(status__in=[s for s in Status.values if s not in (Status.DONE, Status.DECLINED)])
            | Q(pk=self.instance.request_id or 0)
        )


class ConversationForm(forms.Form):
    """The message box under a request's conversation."""

    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)


class BulkAssignForm(forms.Form):
    """Bulk "assign": the staff member the selected requests go to (each row's park is checked on saving)."""

    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = service_staff_users()
        if scope_of(user) == Scope.PARKS:  # staff who share a park with the acting user
            staff = staff.filter(parks__in=user.scope_park_ids()).distinct()
        self.fields["assignee"].queryset = staff.order_by("username")
        style_widget(self.fields["assignee"])


class BulkStatusForm(forms.Form):
    """Bulk "change status": one workflow step for every selected request (declining asks a reason)."""

    transition = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason (when declining)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        from parkos.services.services import TRANSITION_LABELS

        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = list(TRANSITION_LABELS.items())
        for field in self.fields.values():
            style_widget(field)

    def clean(self):
        data = super().clean()
        if data.get("transition") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the requests are declined; the enterprises read it."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widget(self.fields["reason"])


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, f"{n} ★") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widget(self.fields["comment"])

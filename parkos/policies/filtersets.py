"""Filter sets of the policy models (the list pages and the API share them)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Organization
from parkos.parks.models import Park
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy
from parkos.services.filtersets import park_names
from parkos.services.models import Aspect


class PolicyFilterSet(PrimaryFilterSet):
    issuer = RelatedFilter(Organization, label=_("Issuer"))
    aspect = django_filters.ChoiceFilter(choices=Aspect.choices, label=_("Aspect"))
    status = django_filters.ChoiceFilter(choices=Policy.Status.choices, label=_("Status"))

    class Meta:
        model = Policy
        fields = ("q", "issuer", "aspect", "status")


class CertificationFilterSet(PrimaryFilterSet):
    organization = RelatedFilter(Organization, label=_("Enterprise"))
    kind = django_filters.ChoiceFilter(choices=Certification.Kind.choices, label=_("Kind"))

    class Meta:
        model = Certification
        fields = ("q", "organization", "kind")


class ApplicationFilterSet(PrimaryFilterSet):
    policy = RelatedFilter(Policy, label=_("Policy"))
    applicant = RelatedFilter(Organization, label=_("Applicant"))
    park = RelatedFilter(Park, queryset=park_names, label=_("Park"))
    status = django_filters.ChoiceFilter(choices=Application.Status.choices, label=_("Status"))

    class Meta:
        model = Application
        fields = ("q", "policy", "applicant", "park", "status")


class ApplicationDocumentFilterSet(PrimaryFilterSet):
    application = RelatedFilter(Application, label=_("Application"))

    class Meta:
        model = ApplicationDocument
        fields = ("q", "application")


class DisbursementFilterSet(PrimaryFilterSet):
    application = RelatedFilter(Application, label=_("Application"))

    class Meta:
        model = Disbursement
        fields = ("q", "application")

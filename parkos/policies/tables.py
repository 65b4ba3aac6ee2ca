"""List tables of the policy models (money in the viewer's unit, 万元 for zh-Hans; dates local)."""

import django_tables2 as tables

from parkos.core.tables import PrimaryTable
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy


class PolicyTable(PrimaryTable):
    name = tables.Column(linkify=True)
    issuer = tables.Column(linkify=True)

    low_priority = ("document_number", "opens_on", "budget_amount")

    class Meta(PrimaryTable.Meta):
        model = Policy
        fields = ("name", "issuer", "aspect", "status", "opens_on", "closes_on", "budget_amount", "document_number")


class CertificationTable(PrimaryTable):
    kind = tables.Column(linkify=True)
    organization = tables.Column(linkify=True)

    low_priority = ("number", "issued_by")

    class Meta(PrimaryTable.Meta):
        model = Certification
        fields = ("kind", "organization", "title", "valid_from", "valid_until", "number", "issued_by")


class ApplicationTable(PrimaryTable):
    id = tables.Column(linkify=True, verbose_name="#")
    policy = tables.Column(linkify=True)
    applicant = tables.Column(linkify=True)

    low_priority = ("park", "submitted_at")

    class Meta(PrimaryTable.Meta):
        model = Application
        fields = ("id", "policy", "applicant", "status", "amount_requested", "amount_approved", "park", "submitted_at")


class ApplicationDocumentTable(PrimaryTable):
    title = tables.Column(linkify=True)
    application = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = ApplicationDocument
        fields = ("title", "application")


class DisbursementTable(PrimaryTable):
    paid_on = tables.Column(linkify=True)
    application = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Disbursement
        fields = ("paid_on", "application", "amount", "reference")

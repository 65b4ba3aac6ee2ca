"""Forms of the policy models. A policy's eligibility is a JSON condition tree; the form lists the attributes a
rule may read and shows an example (``rules.ATTRIBUTES``, ``rules.EXAMPLE``)."""

import json

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import PrimaryModelForm
from parkos.policies import rules
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy


def eligibility_help() -> str:
    """The attributes a rule may read and an example, under the eligibility field."""
    items = format_html_join(
        "",
        "<li><code>{}</code> {} <span class='text-secondary'>{}</span></li>",
        ((a.key, a.label, a.help) for a in rules.ATTRIBUTES),
    )
    return format_html(
        "{}<br>{} <code>{}</code><details><summary>{}</summary><ul class='small mb-0'>{}</ul></details>",
        _(
            'Rules: {"all": [rule, ...]}; a rule is {"field": attribute, test: value} with the tests at_least, below,'
            " equals, one_of, prefix or is (true / false), or an any / not of rules. Money in yuan, ratios in %."
        ),
        _("Example:"),
        json.dumps(rules.EXAMPLE, ensure_ascii=False),
        _("Attributes a rule may read"),
        items,
    )


class PolicyForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Policy
        fields = (
            "name",
            "document_number",
            "issuer",
            "aspect",
            "summary",
            "status",
            "opens_on",
            "closes_on",
            "budget_amount",
            "budget_currency",
            "amount_rule",
            "amount_cap",
            "documents_required",
            "eligibility",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["eligibility"]
        field.help_text = eligibility_help()
        field.widget.attrs.setdefault("rows", 8)
        field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} font-monospace".strip()


class CertificationForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Certification
        fields = ("organization", "kind", "title", "number", "issued_by", "valid_from", "valid_until")


class ApplicationForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Application
        fields = (
            "policy",
            "applicant",
            "park",
            "status",
            "amount_requested",
            "amount_approved",
            "currency",
            "statement",
            "decision_note",
        )


class ApplicationDocumentForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = ApplicationDocument
        fields = ("application", "title", "file")


class DisbursementForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Disbursement
        fields = ("application", "paid_on", "amount", "reference", "note")

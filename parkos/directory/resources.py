"""Directory import/export columns. Related records are named by their natural keys.

An organization is named by its unified social credit code in files (``OrganizationWidget``), or by its
name when it has none; every resource that names one uses that widget.
"""

from django.utils.translation import gettext as _
from import_export import fields

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position
from parkos.directory.validators import CREDIT_CODE_ALPHABET


class OrganizationWidget(VisibleForeignKeyWidget):
    """An organization by its credit code (统一社会信用代码), or by its name when it has none."""

    #: exported as the credit code, else the name (core.spreadsheets reads both in the one query)
    export_lookups = ("credit_code", "name")
    export_first = True

    def __init__(self):
        super().__init__(Organization, "name")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = str(value).strip()
        visible = self.get_queryset(value, row)
        code = text.upper()
        found = []
        if len(code) == 18 and all(ch in CREDIT_CODE_ALPHABET for ch in code):
            found = list(visible.filter(credit_code=code)[:2])
        if not found:
            found = list(visible.filter(name=text)[:2])
        if not found:
            raise ValueError(
                _("No organization with credit code or name '%(value)s' that you can see.") % {"value": text}
            )
        if len(found) > 1:
            raise ValueError(_("Several organizations are named '%(value)s': use the credit code.") % {"value": text})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else (value.credit_code or value.name)


@register
class IndustryResource(PrimaryResource):
    parent = fields.Field("parent", "parent", VisibleForeignKeyWidget(Industry, "code"))

    class Meta(PrimaryResource.Meta):
        model = Industry
        fields = ("code", "name", "name_en", "parent", "national_code")
        import_id_fields = ("code",)


@register
class OrganizationResource(PrimaryResource):
    industry = fields.Field("industry", "industry", VisibleForeignKeyWidget(Industry, "code"))
    alternate_keys = ("credit_code",)

    class Meta(PrimaryResource.Meta):
        model = Organization
        fields = (
            "id",
            "name",
            "name_en",
            "kind",
            "credit_code",
            "industry",
            "ownership",
            "district",
            "address",
            "website",
            "established",
            "registered_capital_amount",
            "registered_capital_currency",
            "is_listed",
            "is_fortune_global_500",
            "is_unicorn",
            "is_high_tech",
            "is_srdi",
            "description",
        )
        import_id_fields = ("id",)


@register
class OrganizationAliasResource(PrimaryResource):
    organization = fields.Field("organization", "organization", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = OrganizationAlias
        fields = ("id", "organization", "name")
        import_id_fields = ("id",)


@register
class PersonResource(PrimaryResource):
    class Meta(PrimaryResource.Meta):
        model = Person
        fields = ("id", "name", "name_en", "email", "phone", "notes")
        import_id_fields = ("id",)


@register
class PositionResource(PrimaryResource):
    person = fields.Field("person", "person", VisibleForeignKeyWidget(Person, "pk"))
    organization = fields.Field("organization", "organization", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = Position
        fields = ("id", "person", "organization", "title", "title_en", "start_date", "end_date")
        import_id_fields = ("id",)

"""Portal filter sets (list pages and API)."""

from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Organization
from parkos.portal.models import ProfileChangeRequest


class ProfileChangeRequestFilterSet(PrimaryFilterSet):
    organization = RelatedFilter(Organization, label=_("Organization"))

    class Meta:
        model = ProfileChangeRequest
        fields = ("q", "status", "organization")

"""The enterprise page's "Policies for you" section (registered with ``parkos.portal.sections``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from parkos.core.permissions import Action, can
from parkos.directory.models import Organization
from parkos.policies.models import Application, Policy
from parkos.portal.sections import Section, register_section

#: qualifying policies and applications the section lists before "View all"
ROWS = 5


def policies_section(organization: Organization, user: Any) -> Section | None:
    """The open policies the enterprise qualifies for (the first few) and its latest applications."""
    if not can(user, Policy, Action.VIEW) or not can(user, Application, Action.VIEW):
        return None
    from parkos.policies.snapshot import policies_for_enterprise

    matches, as_of = policies_for_enterprise(organization)
    qualifying = [m for m in matches if m.qualifies]
    applications = (
        Application.objects.restrict(user)
        .filter(applicant=organization)
        .select_related("policy")
        .order_by("-created", "-pk")
    )
    query = urlencode({"organization": organization.pk})
    return Section(
        "policies",
        qualifying[:ROWS],
        len(qualifying),
        list_url=f"{reverse('policies:for_you')}?{query}",
        extra={
            "near": len(matches) - len(qualifying),
            "applications": list(applications[:ROWS]),
            "applications_url": f"{reverse('policies:my_applications')}?{query}",
            "may_apply": can(user, Application, Action.ADD),
            "as_of": as_of,
        },
        template="policies/workflow/portal_section.html",
    )


register_section("policies", policies_section)

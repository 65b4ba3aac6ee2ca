"""The enterprise page's "Policies for you" section (registered with ``parkos.portal.sections``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from parkos.core.permissions import Action, can
from parkos.core.reversing import reverse_pk
from parkos.directory.models import Organization
from parkos.policies.models import Application, Policy
from parkos.portal.sections import Section, choice_labels, register_section

#: qualifying policies and applications the section lists before "View all"
ROWS = 5


def policies_section(organization: Organization, user: Any) -> Section | None:
    """The open policies the enterprise qualifies for (the first few) and its latest applications."""
    if not can(user, Policy, Action.VIEW) or not can(user, Application, Action.VIEW):
        return None
    from parkos.policies.snapshot import qualifying_for_enterprise

    qualifying, total, near, as_of = qualifying_for_enterprise(organization, limit=ROWS)
    query = urlencode({"organization": organization.pk})
    may_apply = can(user, Application, Action.ADD)
    for policy in qualifying:
        policy.apply_url = f"{reverse_pk('policies:apply', policy.pk)}?{query}" if may_apply else None
    applications = list(
        Application.objects.restrict(user)
        .filter(applicant=organization)
        .select_related("policy")
        .only("status", "policy", "policy__name")
        .order_by("-created", "-pk")[:ROWS]
    )
    statuses = choice_labels(Application, "status")
    for application in applications:
        application.url = reverse_pk("policies:application_workflow", application.pk)
        application.status_label = statuses.get(application.status, application.status)
    return Section(
        "policies",
        qualifying,
        total,
        list_url=f"{reverse('policies:for_you')}?{query}",
        extra={
            "near": near,
            "applications": applications,
            "applications_url": f"{reverse('policies:my_applications')}?{query}",
            "may_apply": may_apply,
            "as_of": as_of,
        },
        template="policies/workflow/portal_section.html",
    )


register_section("policies", policies_section)

"""Support policies: what districts and the operator offer enterprises, who qualifies, who applied, what came of it.

A policy's eligibility is a condition tree in the evaluation schemes' language (``evaluation.scheme``),
read against each enterprise's attributes, certifications, latest filing and latest evaluation result.
Policies import directory, evaluation and services (for the six aspects); nothing imports policies: what
policies adds to an organization's page (its certifications, the policies it qualifies for) it plugs in
from ``ready``.
"""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "parkos.policies"
    label = "policies"
    verbose_name = _("Support policies")
    #: the models this app lists in the navigation menu, in order
    menu_models: tuple[str, ...] = ("policy", "application", "certification", "disbursement", "applicationdocument")
    #: support policies are part of the six-aspect empowerment: listed in the services group
    menu_group = "services"

    def ready(self) -> None:
        from parkos.policies import certifications, resources, snapshot  # noqa: F401  (import resources, flag hooks)
        from parkos.policies.views import register_panels

        certifications.connect()
        snapshot.connect()
        register_panels()

    def menu_links(self, user: Any) -> list[tuple[Any, str]]:
        """Pages that are not a model's list: the enterprise's policies and applications; the policy office's
        queue, figures and outcomes."""
        from django.urls import reverse

        from parkos.core.permissions import Action, can
        from parkos.policies.models import Application, Policy
        from parkos.portal.selectors import is_enterprise_user

        if is_enterprise_user(user):
            return [
                (_("Policies for you"), reverse("policies:for_you")),
                (_("My applications"), reverse("policies:my_applications")),
            ]
        links: list[tuple[Any, str]] = []
        if can(user, Application, Action.CHANGE):
            links.append((_("Applications to decide"), reverse("policies:review_queue")))
        if can(user, Policy, Action.VIEW):
            links += [
                (_("Policy figures"), reverse("policies:figures")),
                (_("Policy outcomes"), reverse("policies:outcomes")),
            ]
        return links

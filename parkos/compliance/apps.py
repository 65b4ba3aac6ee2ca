"""Agreement compliance: what happens when a commitment is missed (default handling).

The yearly reconciliation in ``parkos.investment`` finds the commitments that were missed and sends
``investment.signals.commitment_missed``; this app opens a default-handling case for each and takes it
through warning, rectification with a deadline and settlement (repayment of incentives, a penalty, land
bought back or transferred, which can open a disposal case in ``parkos.land``). Compliance imports
investment and land; neither imports compliance: what compliance adds to their pages it plugs in from
``ready``.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "parkos.compliance"
    label = "compliance"
    verbose_name = _("Agreement compliance")
    #: the models this app lists in the navigation menu, in order
    menu_models: tuple[str, ...] = ("defaultcase", "defaultcasedocument")
    #: default cases are part of following up investment agreements: listed in the investment group
    menu_group = "investment"

    def ready(self) -> None:
        from parkos.compliance import receivers, resources, services  # noqa: F401  (import resources, hooks)
        from parkos.compliance.views import register_panels

        receivers.connect()
        register_panels()

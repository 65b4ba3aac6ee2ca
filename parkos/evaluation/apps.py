"""Land-efficiency evaluation: indicator filings, schemes, runs, results and appeals.

Inefficient land and disposal cases, which build on a run's results, are the land app's (parkos.land).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "parkos.evaluation"
    label = "evaluation"
    #: the models this app lists in the navigation menu, in order
    menu_models = (
        "indicatorfiling",
        "evaluationscheme",
        "appeal",
    )
    verbose_name = _("Evaluation")

    def menu_links(self, user) -> list[tuple[str, str]]:
        """Filings import, runs and results, for those who may use them."""
        from django.urls import reverse

        from parkos.core.navigation import sees_operator_pages
        from parkos.core.permissions import can
        from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling

        links = []
        if can(user, IndicatorFiling, "add") and sees_operator_pages(user):
            links.append((_("Import filings"), reverse("evaluation:filings_import")))
        if can(user, EvaluationScheme, "add"):
            links.append((_("Load a scheme file"), reverse("evaluation:evaluationscheme_import_file")))
        if can(user, EvaluationRun, "view"):
            links.append((_("Evaluation runs"), reverse("evaluation:evaluationrun_list")))
        if can(user, EvaluationResult, "view"):
            links.append((_("Evaluation results"), reverse("evaluation:evaluationresult_list")))
        return links

    def home_panels(self, user) -> list:
        """The queues of this app's work on the user's home page (parkos.core.home)."""
        from parkos.evaluation.home import home_panels

        return home_panels(user)

    def ready(self) -> None:
        from parkos.evaluation import (
            resources,  # noqa: F401  (registers the import/export resources)
            signals,
        )

        signals.connect()

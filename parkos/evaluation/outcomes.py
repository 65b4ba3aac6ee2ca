"""An enterprise's outcome in an evaluation run: one vocabulary for the engine's output and the stored results."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultStatus(models.TextChoices):
    """Whether an enterprise got a grade; ``reason`` says why not (or why not by rank)."""

    GRADED = "graded", _("graded")
    NOT_GRADED = "not_graded", _("not graded")
    VETOED = "vetoed", _("vetoed")
    #: in a category the scheme does not evaluate: no score, no rank, no grade; reason is the category
    NOT_EVALUATED = "not_evaluated", _("not evaluated")


#: the reason of an enterprise whose cohort is below the scheme's min_cohort_size (graded by
#: small_cohort_grade, or not graded when that is null); a veto or not-graded category gives its key
SMALL_COHORT = "small_cohort"

"""Labels for the codes an evaluation result carries (cohort, reason), in the user's language.

A result stores its cohort and its reason as the scheme's keys (``above_threshold``, ``new_land``,
``major_incident``); a person sees the scheme's label for them, its ``label_zh`` under zh-Hans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from parkos.evaluation.outcomes import SMALL_COHORT

if TYPE_CHECKING:
    from parkos.evaluation.models import EvaluationScheme

#: (scheme pk, last update, language) -> key -> label; a scheme's definition is parsed once per language
_CACHE: dict[tuple[int, str, str], dict[str, str]] = {}


def scheme_labels(scheme: EvaluationScheme) -> dict[str, str]:
    """Every key of the scheme a person may meet -> its label in the active language (with the engine's own codes)."""
    from parkos.evaluation.scheme import SchemeError

    key = (scheme.pk, str(getattr(scheme, "last_updated", "")), get_language() or "")
    if key not in _CACHE:
        try:
            labels = scheme.scheme().labels()
        except (SchemeError, TypeError, ValueError):
            labels = {}
        labels[SMALL_COHORT] = _("cohort too small to rank")
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = labels
    return _CACHE[key]


def code_label(scheme: EvaluationScheme, code: str | None) -> str:
    """The label of one code of the scheme (the code itself when the scheme does not name it)."""
    if not code:
        return ""
    return scheme_labels(scheme).get(code, code)


def scheme_title(scheme: EvaluationScheme, *, version: bool = True) -> str:
    """The scheme's title in the active language: its ``name_zh`` under zh-Hans unless staff gave it a title of
    their own; with `` v<version>`` unless version is False."""
    definition = scheme.definition if isinstance(scheme.definition, dict) else {}
    title = scheme.title or str(definition.get("name", "")) or scheme.name
    if title == definition.get("name") and (get_language() or "").lower().startswith("zh"):
        title = str(definition.get("name_zh") or title)
    return f"{title} v{scheme.version}" if version else title


#: the scheme's own vocabularies (scheme.BenchmarkKind, BenchmarkBasis, MissingPolicy) as people read them
BENCHMARK_KINDS = {
    "fixed": gettext_lazy("fixed value"),
    "mean": gettext_lazy("cohort mean"),
    "median": gettext_lazy("cohort median"),
    "percentile": gettext_lazy("cohort percentile"),
    "min": gettext_lazy("cohort minimum"),
    "max": gettext_lazy("cohort maximum"),
}
BENCHMARK_BASES = {
    "current_year": gettext_lazy("this year's filings"),
    "previous_year_filings": gettext_lazy("last year's filings"),
    "previous_year_run": gettext_lazy("last year's published run"),
}
MISSING_POLICIES = {
    "zero": gettext_lazy("scores zero"),
    "cohort_mean": gettext_lazy("the cohort's mean score"),
    "drop": gettext_lazy("left out, other weights rescaled"),
}


def vocabulary_label(vocabulary: dict[str, Any], code: object) -> str:
    """A code of one of the vocabularies above as people read it (the code itself when unknown)."""
    return str(vocabulary.get(str(code), code))

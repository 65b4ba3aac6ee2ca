"""Evaluation filter sets, shared by the list pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import BoundedFilterSet, PrimaryFilterSet, RelatedFilter, visible
from parkos.directory.models import Organization
from parkos.evaluation.models import Appeal, EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling
from parkos.parks.models import Park

#: what a run's name (EvaluationRun.__str__) reads: a select of runs need not bring each scheme's definition
RUN_NAME_FIELDS = ("pk", "year", "scheme__name", "scheme__title", "scheme__version")
#: the runs the results list's Run select offers: the latest ones (and the chosen one); every run is kept, so a
#: select of all of them grew with the years (442 runs: 99 KB of HTML, issue 16). Any run filters by URL.
RUN_CHOICES = 20


def run_choices(runs, chosen):
    """The newest ``RUN_CHOICES`` of ``runs``, and the ``chosen`` one (a run's id from the URL) when it is older."""
    from parkos.core.bounds import is_stored_id

    latest = runs.order_by("-created", "-pk").values("pk")[:RUN_CHOICES]
    offered = Q(pk__in=latest)
    if chosen not in (None, "") and is_stored_id(EvaluationRun, chosen):
        offered |= Q(pk=int(chosen))
    return runs.filter(offered)


def park_choices(request):
    """The parks the user may see, for a filter's select: their names only (not each park's outline)."""
    return visible(Park)(request).only("pk", "name")


class IndicatorFilingFilterSet(PrimaryFilterSet):
    organization = RelatedFilter(Organization, label=_("Enterprise"))
    park = RelatedFilter(Park, queryset=park_choices, label=_("Park"))
    not_filed_in = django_filters.NumberFilter(method="filter_not_filed_in", label=_("Enterprise has not filed for"))

    class Meta:
        model = IndicatorFiling
        fields = (
            "q",
            "year",
            "park",
            "organization",
            "above_size_threshold",
            "is_tenant",
            "land_rule",
            "not_filed_in",
        )

    def filter_not_filed_in(self, queryset, name, value):
        """Filings of enterprises with no filing for the year ``value`` (with ``year``: the filings missing)."""
        if value is None:
            return queryset
        # NOT EXISTS (an anti join on the year's index), not NOT IN, which hashes every filing of the year
        filed = IndicatorFiling.objects.filter(year=int(value), organization=OuterRef("organization"))
        return queryset.filter(~Exists(filed))


class EvaluationSchemeFilterSet(PrimaryFilterSet):
    class Meta:
        model = EvaluationScheme
        fields = ("q", "name")


class EvaluationResultFilterSet(BoundedFilterSet):
    run = django_filters.ModelChoiceFilter(queryset=EvaluationRun.objects.all(), label=_("Run"))
    grade = django_filters.CharFilter(label=_("Grade"))
    cohort = django_filters.CharFilter(label=_("Cohort"))
    status = django_filters.ChoiceFilter(choices=EvaluationResult.Status.choices, label=_("Status"))
    park = RelatedFilter(Park, queryset=park_choices, label=_("Park"))
    organization = django_filters.CharFilter(
        field_name="organization__name", lookup_expr="icontains", label=_("Enterprise")
    )

    class Meta:
        model = EvaluationResult
        fields = ("run", "grade", "cohort", "status", "park", "organization")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from parkos.core.forms import style_widget

        user = getattr(self.request, "user", None)
        self.filters["run"].queryset = EvaluationRun.objects.restrict(user)
        runs = EvaluationRun.objects.restrict(user)
        run_field = self.form.fields["run"]
        # every run the user sees is a valid choice (?run=<an old run> filters); the select offers the latest
        run_field.queryset = runs
        offered = run_choices(runs, self.data.get("run") if self.data else None)
        run_field.widget.choices = run_field.iterator(run_field)
        run_field.widget.choices.queryset = offered.select_related("scheme").only(*RUN_NAME_FIELDS)
        for field in self.form.fields.values():
            style_widget(field)


class AppealFilterSet(PrimaryFilterSet):
    organization = RelatedFilter(Organization, label=_("Enterprise"))
    park = RelatedFilter(Park, queryset=park_choices, label=_("Park"))

    class Meta:
        model = Appeal
        fields = ("q", "status", "organization", "park")

"""Inefficient-land pages: the ObjectViews of its models, the map and list of flagged land, closing a case."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig

from parkos.core.bulk import BulkAction
from parkos.core.permissions import Action, can
from parkos.core.views.files import serve_file
from parkos.core.views.generic import ObjectViews, Related, object_history
from parkos.evaluation.models import EvaluationRun
from parkos.land import filtersets, forms, resources, selectors, services, tables
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel


class ParcelFlagViews(ObjectViews):
    model = ParcelFlag
    path = "parcel-flags"
    table = tables.ParcelFlagTable
    filterset = filtersets.ParcelFlagFilterSet
    form = forms.ParcelFlagForm
    resource = resources.ParcelFlagResource
    list_related = ("parcel__park", "run__scheme", "flagged_by")


def _bulk_case_status(obj, *, user, status, outcome="", closed_on=None):
    if status == DisposalCase.Status.IN_PROGRESS:
        services.case_start(case=obj, user=user)
    else:
        services.case_close(case=obj, user=user, outcome=outcome or None, closed_on=closed_on)


class DisposalCaseViews(ObjectViews):
    model = DisposalCase
    path = "disposal-cases"
    table = tables.DisposalCaseTable
    filterset = filtersets.DisposalCaseFilterSet
    form = forms.DisposalCaseForm
    resource = resources.DisposalCaseResource
    bulk_actions = (
        BulkAction(
            "change_status", gettext_lazy("Change status…"), apply=_bulk_case_status, form=forms.BulkCaseStatusForm
        ),
    )
    list_related = ("parcel__park", "owner")
    related = (
        Related(DisposalMilestone, tables.DisposalMilestoneTable, "case", limit=50),
        Related(DisposalDocument, tables.DisposalDocumentTable, "case", limit=50),
    )
    detail_template = "land/case_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        parcel = obj.parcel
        flags = ParcelFlag.objects.restrict(user).filter(parcel=parcel).select_related("run__scheme")
        milestones = list(obj.milestones.all())
        return {
            "parcel": parcel,
            "parcel_flags": flags,
            "parcel_history": object_history(parcel, user)[:10],
            "milestones_done": sum(1 for m in milestones if m.done_on),
            "milestones_total": len(milestones),
            "milestones_overdue": sum(1 for m in milestones if m.is_overdue),
            "can_close": not obj.is_closed
            and DisposalCase.objects.restrict(user, Action.CHANGE).filter(pk=obj.pk).exists(),
        }


class DisposalMilestoneViews(ObjectViews):
    model = DisposalMilestone
    path = "disposal-milestones"
    table = tables.DisposalMilestoneTable
    filterset = filtersets.DisposalMilestoneFilterSet
    form = forms.DisposalMilestoneForm
    resource = resources.DisposalMilestoneResource
    list_related = ("case__parcel__park", "owner")


class DisposalDocumentViews(ObjectViews):
    model = DisposalDocument
    path = "disposal-documents"
    table = tables.DisposalDocumentTable
    filterset = filtersets.DisposalDocumentFilterSet
    form = forms.DisposalDocumentForm
    resource = resources.DisposalDocumentResource
    list_related = ("case__parcel__park",)
    detail_template = "land/document_detail.html"


def document_download(request, pk: int):
    """A case's file, only for users who may see the case: never from a public media URL."""
    return serve_file(DisposalDocument.objects.restrict(request.user, Action.VIEW), pk, "file")


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages_ in exc.message_dict.values() for m in messages_]
    return list(exc.messages)


class CaseCloseView(View):
    """Close a case with its outcome: the parcel's status follows (returned land becomes available)."""

    template_name = "land/case_close.html"

    def _case(self, request, pk):
        return get_object_or_404(
            DisposalCase.objects.restrict(request.user, Action.CHANGE).select_related("parcel__park"), pk=pk
        )

    def _render(self, request, case, form, status=200):
        return render(request, self.template_name, {"object": case, "form": form}, status=status)

    def get(self, request, pk):
        case = self._case(request, pk)
        if case.is_closed:
            messages.info(request, _("This case is already closed."))
            return redirect(case.get_absolute_url())
        initial = {"outcome": services.USUAL_OUTCOME.get(case.path), "closed_on": timezone.localdate()}
        return self._render(request, case, forms.CaseCloseForm(initial=initial, case=case))

    def post(self, request, pk):
        case = self._case(request, pk)
        form = forms.CaseCloseForm(request.POST, case=case)
        if form.is_valid():
            try:
                case = services.case_close(case=case, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Closed the case; parcel %(parcel)s is now “%(status)s”.")
                    % {"parcel": case.parcel, "status": case.parcel.get_status_display()},
                )
                return redirect(case.get_absolute_url())
        return self._render(request, case, form, status=400)


class FlagClearView(View):
    """Take a flag off (the parcel goes back to in use when nothing else keeps it on the list)."""

    def post(self, request, pk):
        flag = get_object_or_404(ParcelFlag.objects.restrict(request.user, Action.CHANGE), pk=pk)
        try:
            services.flag_clear(flag=flag, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("Cleared the flag on %(parcel)s.") % {"parcel": flag.parcel})
        return redirect(flag.get_absolute_url())


class RunFlagParcelsView(View):
    """Flag the parcels a finished run finds inefficient, by its scheme's rules."""

    def post(self, request, pk):
        if not can(request.user, ParcelFlag, Action.ADD):
            raise PermissionDenied
        run = get_object_or_404(EvaluationRun.objects.restrict(request.user, Action.VIEW), pk=pk)
        try:
            flags = services.flag_from_run(run=run, user=request.user)
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(_errors(exc)) if isinstance(exc, ValidationError) else str(exc))
            return redirect(run.get_absolute_url())
        messages.success(
            request, _("Flagged %(n)d parcels as inefficient from this run.") % {"n": len({f.parcel_id for f in flags})}
        )
        return redirect(f"{reverse('land:parcelflag_list')}?run={run.pk}")


def _open_flags(user):
    """The open flags ``user`` may see: the page's table and its map's data (the same scope in both)."""
    return (
        ParcelFlag.objects.restrict(user)
        .filter(cleared_on__isnull=True)
        .select_related("parcel__park", "run__scheme", "flagged_by")
    )


class InefficientLandView(View):
    """The inefficient-land list and map: parcels with an open flag or an active case, in the user's scope.

    The map's data is not in the page: its script fetches it from ``InefficientLandMapView`` (the page's weight
    does not grow with the flagged parcels); the page counts them in one aggregate query."""

    template_name = "land/inefficient_land.html"

    def get(self, request):
        if not can(request.user, ParcelFlag, Action.VIEW):
            raise PermissionDenied
        flags = _open_flags(request.user)
        counts = selectors.inefficient_land_counts(request.user, flags)
        table = tables.ParcelFlagTable(flags, request=request, exclude=("open",), count=counts["open_flags"])
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        legend = [
            {"label": ParcelFlag.Reason(key).label, "colour": colour}
            for key, colour in selectors.REASON_COLOURS.items()
        ] + [
            {"label": _("Case: %(status)s") % {"status": DisposalCase.Status(key).label}, "colour": colour}
            for key, colour in selectors.CASE_COLOURS.items()
        ]
        context = {
            "table": table,
            "map_words": {**selectors.map_words(), "data": reverse("land:inefficient_land_map")},
            "legend": legend,
            "parcels": counts["parcels"],
            "can_add": can(request.user, ParcelFlag, Action.ADD),
        }
        return render(request, self.template_name, context)


class InefficientLandMapView(View):
    """The inefficient-land map's data, as JSON: the page's parcels (the same scope and filters) and their parks.

    ``parcels`` and ``parks``: GeoJSON (compact properties, see ``selectors.inefficient_land_map``);
    ``parkNames``: park id to name; ``withoutGeometry``: the parcels with no outline, as the page lists them."""

    def get(self, request):
        if not can(request.user, ParcelFlag, Action.VIEW):
            raise PermissionDenied
        data = selectors.inefficient_land_map(request.user, _open_flags(request.user).select_related(None))
        body = json.dumps(
            {
                "parcels": data["parcels"],
                "parks": data["parks"],
                "parkNames": data["park_names"],
                "withoutGeometry": data["without_geometry"],
            },
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        response = HttpResponse(body, content_type="application/json")
        response["Cache-Control"] = "private, no-store"
        # about five times smaller gzipped; the answer reflects nothing from the request (no BREACH)
        return GZipMiddleware(lambda _request: response).process_response(request, response)


#: what apps above land add to the available-land page (the maps app adds its map): called with the user,
#: each gives context; "page_panels" in it lists (head, body, scripts) template names
available_land_extras: list = []


class AvailableLandView(View):
    """Land available for investment promotion: idle parcels, with the disposal case that returned each."""

    template_name = "land/available_land.html"

    def get(self, request):
        if not can(request.user, LandParcel, Action.VIEW):
            raise PermissionDenied
        parcels = selectors.available_land(request.user)
        table = tables.AvailableLandTable(parcels, request=request)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        parcel_list = f"{reverse(LandParcel.url_name('list'))}?status={LandParcel.Status.IDLE}"
        context = {"table": table, "parcel_list_url": parcel_list, "page_panels": []}
        for provider in available_land_extras:
            more = provider(request.user)
            context["page_panels"] += more.pop("page_panels", [])
            context.update(more)
        return render(request, self.template_name, context)


def menu_links(user) -> list[tuple[str, str]]:
    """The inefficient-land map and the available land, for the land menu."""
    links = []
    if can(user, ParcelFlag, Action.VIEW):
        links.append((_("Inefficient land"), reverse("land:inefficient_land")))
    if can(user, LandParcel, Action.VIEW):
        links.append((_("Land available for promotion"), reverse("land:available_land")))
    return links


def register_panels() -> None:
    """A parcel's page lists its flags and disposal cases (parks cannot import land: added from here)."""
    from django.utils.translation import gettext_lazy

    from parkos.core.views.generic import add_related

    add_related(LandParcel, Related(ParcelFlag, tables.ParcelFlagTable, "parcel", gettext_lazy("Flags")))
    add_related(
        LandParcel,
        Related(DisposalCase, tables.DisposalCaseTable, "parcel", gettext_lazy("Disposal cases")),
    )

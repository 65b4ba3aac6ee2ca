"""The page "My exports": the user's background exports with their progress, and the download of each file.

An export is its owner's only: another user's answers 404, like one that does not exist.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from parkos.core.exports import fail_dead_export_jobs, keep_days
from parkos.core.models import ExportJob

#: the most exports the page lists (older ones are removed after PARKOS_EXPORT_KEEP_DAYS anyway)
LIST_LIMIT = 100


def own_exports(request: HttpRequest) -> QuerySet[ExportJob]:
    """The exports of the signed-in user, and no one else's."""
    user = request.user
    return ExportJob.objects.filter(user_id=user.pk if user.is_authenticated else 0)


class ExportListView(View):
    template_name = "core/export_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        fail_dead_export_jobs()
        jobs = list(own_exports(request)[:LIST_LIMIT])
        context = {"jobs": jobs, "keep_days": keep_days(), "working": any(job.is_working for job in jobs)}
        if request.headers.get("HX-Request"):
            return render(request, "core/includes/export_jobs.html", context)
        return render(request, self.template_name, context)


class ExportJobView(View):
    template_name = "core/export_job.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fail_dead_export_jobs()
        job = get_object_or_404(own_exports(request), pk=pk)
        context = {"job": job, "keep_days": keep_days()}
        if request.headers.get("HX-Request"):
            return render(request, "core/includes/export_job.html", context)
        return render(request, self.template_name, context)


class ExportDownloadView(View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = get_object_or_404(own_exports(request).filter(status=ExportJob.Status.DONE), pk=pk)
        if not job.stored_file:
            raise Http404
        try:
            handle = default_storage.open(job.stored_file, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=job.file_name)

"""Agreement documents are served through the permission rule, never from a public media URL."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from parkos.investment.models import AgreementDocument


def download(request, pk: int) -> FileResponse:
    document = get_object_or_404(AgreementDocument.objects.restrict(request.user, "view"), pk=pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])

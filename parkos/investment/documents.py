"""Agreement documents are served through the permission rule, never from a public media URL."""

from parkos.core.views.files import serve_file
from parkos.investment.models import AgreementDocument


def download(request, pk: int):
    return serve_file(AgreementDocument.objects.restrict(request.user, "view"), pk, "file")

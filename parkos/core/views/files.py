"""Uploaded files (agreement documents, request attachments, case documents) are served through the
permission rule: a file answers only to a user who may see the record it belongs to, never from a
public media URL."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404


def serve_file(
    queryset: QuerySet[Any], pk: int, field: str, filename: Callable[[object], str] | None = None
) -> FileResponse:
    """The file in ``field`` of the row ``pk`` of ``queryset`` (already restricted to the user) as a download.

    ``filename(obj)`` names the download (default: the stored file's own name).
    404 when the row is out of reach, has no file, or the file is gone from storage.
    """
    obj = get_object_or_404(queryset, pk=pk)
    stored = getattr(obj, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = filename(obj) if filename else stored.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)

"""The inbox, opening a notification's object, marking read, and the per-kind channel choices."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkos.notifications import selectors, services
from parkos.notifications.models import EventKind, Notification

PAGE_SIZE = 30
PREFERENCE_FIELDS = ("in_app", "email", "webhook", "digest")


def inbox_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(selectors.inbox(request.user, unread_only=unread_only), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
            "dated_kinds": DATED_KINDS,
        },
    )


#: events whose detail is a date the reader must act by (an end of lease, a due date): shown as "到期日 …"
DATED_KINDS = frozenset(
    {
        EventKind.LEASE_EXPIRING,
        EventKind.COMMITMENT_DUE,
        EventKind.COMMITMENT_OVERDUE,
        EventKind.MILESTONE_DUE,
        EventKind.RECTIFICATION_OVERDUE,
    }
)


def _own(request: HttpRequest, pk: int) -> Notification:
    row = selectors.inbox(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404(_("No such notification."))
    return row


def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its object (whose own page checks the user may still see it)."""
    row = _own(request, pk)
    services.notification_mark_read(user=request.user, ids=[row.pk])
    url = row.event.url
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(reverse("notifications:inbox"))
    return HttpResponseRedirect(url)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


@require_POST
def read_view(request: HttpRequest, pk: int) -> HttpResponse:
    services.notification_mark_read(user=request.user, ids=[_own(request, pk).pk])
    return _back(request)


@require_POST
def unread_view(request: HttpRequest, pk: int) -> HttpResponse:
    services.notification_mark_unread(user=request.user, ids=[_own(request, pk).pk])
    return _back(request)


@require_POST
def read_all_view(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return _back(request)


def preferences_view(request: HttpRequest) -> HttpResponse:
    """One row per event kind, a box per channel; saving keeps every row (unticked boxes are off)."""
    user = request.user
    if request.method == "POST":
        for kind in EventKind.values:
            services.preference_set(
                user=user,  # type: ignore[arg-type]  # signed in: the middleware lets no one else here
                kind=kind,
                **{name: request.POST.get(f"{kind}-{name}") == "on" for name in PREFERENCE_FIELDS},
            )
        messages.success(request, _("Your notification choices are saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
    prefs = services.preferences_of([user], "")  # defaults
    stored = {p.kind: p for p in user.notification_preferences.all()}  # type: ignore[union-attr]
    rows = []
    for kind, label in EventKind.choices:
        pref = stored.get(kind) or prefs[user.pk]
        rows.append({"kind": kind, "label": label, "values": [(f, getattr(pref, f)) for f in PREFERENCE_FIELDS]})
    return render(request, "notifications/preferences.html", {"rows": rows})

"""The project board: one column per pipeline stage, cards moved by drag and drop or a "Move to…" form."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View

from parkos.core.permissions import Action, can
from parkos.core.reversing import pk_reverser
from parkos.core.templatetags.parkos import money
from parkos.core.units import Money, format_money, money_unit_for
from parkos.investment.filtersets import ProjectFilterSet
from parkos.investment.models import STAGE_ORDER, Project, Stage
from parkos.investment.services import project_move

#: cards shown per column; the rest are a "more" link to the project list filtered by stage (50 made the demo's
#: board 500 KB of HTML; 15 keeps it under 200 KB, issue 16)
CARDS_PER_COLUMN = 15
#: the columns a card reads (its template, dress_card, Project.__str__ and investor_visible_to): a project and its
#: investor have some forty columns, and reading them all for a hundred cards was a third of the board's time
CARD_FIELDS = (
    "name",
    "codename",
    "is_confidential",
    "owner",
    "stage",
    "stage_since",
    "planned_investment_amount",
    "planned_investment_currency",
    "investor__name",
    "industry__name",
    "park__name",
)
#: the query parameters the board filters on (the project list's names, so "more" links carry them over)
BOARD_FILTERS = ("q", "park", "industry")


@dataclass
class Column:
    stage: str
    label: str
    total: int = 0
    cards: list[Project] = field(default_factory=list)
    more_url: str | None = None
    collapsed: bool = False
    #: the cards' HTML (write_cards), None when the template writes them (a card of the column is being moved)
    cards_html: str | None = None

    @property
    def hidden(self) -> int:
        return max(0, self.total - len(self.cards))


def board_columns(projects, *, user, today: datetime.date, list_url: str | None, filter_query: dict) -> list[Column]:
    """The board's columns from a filtered, restricted project queryset: two queries, whatever the number of cards.

    One counts the projects per stage, the other reads the first CARDS_PER_COLUMN of each stage
    (a window function numbering the rows per stage), with investor, industry and park joined.
    """
    totals = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    # the projects numbered per stage alone, then only the shown ones joined with their investor, industry and park:
    # numbering the joined rows read every organization (100,000 at demo scale 6.25) for a hundred cards (issue 16)
    shown = (
        projects.order_by()
        .annotate(
            board_rank=Window(
                RowNumber(), partition_by=[F("stage")], order_by=[F("stage_since").desc(), F("pk").desc()]
            )
        )
        .filter(board_rank__lte=CARDS_PER_COLUMN)
        .values("pk")[: CARDS_PER_COLUMN * len(Stage)]  # no more than that: the LIMIT tells PostgreSQL so
    )
    ranked = (
        projects.filter(pk__in=shown)
        .select_related("investor", "industry", "park")
        .only(*CARD_FIELDS)
        .order_by("-stage_since", "-pk")
    )
    columns = {
        stage: Column(stage, str(Stage(stage).label), collapsed=stage == Stage.LOST)
        for stage in (*STAGE_ORDER, Stage.LOST)
    }
    labels: dict[int, str] = {}
    # each URL name's pattern looked up once, not twice a card (issue 16)
    detail_url, move_url = pk_reverser(Project.url_name()), pk_reverser("investment:project_move")
    for project in ranked:
        dress_card(project, user, today, labels)
        project.board_url = detail_url(project.pk)
        project.board_move_url = move_url(project.pk)
        columns[project.stage].cards.append(project)
    for column in columns.values():
        column.total = totals.get(column.stage, 0)
        if column.hidden and list_url:
            column.more_url = f"{list_url}?{urlencode({**filter_query, 'stage': column.stage}, doseq=True)}"
    return list(columns.values())


def card_words() -> dict[str, str]:
    """The words every card repeats, translated once per page rather than once per card."""
    return {
        "drag": _("Drag to move"),
        "confidential": _("Confidential"),
        "investor": _("Investor"),
        "investor_confidential": _("Investor confidential"),
        "planned": _("Planned investment"),
        "industry_park": _("Industry and park"),
        "time_in_stage": _("Time in stage"),
        "move_to": _("Move to…"),
        "choose_stage": _("Choose a stage"),
    }


def days_in_stage_label(days: int) -> str:
    return ngettext("%(days)d day in stage", "%(days)d days in stage", days) % {"days": days}


def dress_card(project: Project, user, today: datetime.date, labels: dict[int, str] | None = None) -> None:
    """What a card shows, masked for viewers outside a confidential project's team (no query: see for_user).

    ``labels``: the "N days in stage" already translated on this page, by N (a board repeats a few dozen).
    """
    visible = project.investor_visible_to(user)
    project.board_title = project.name if visible else str(project)
    project.board_investor = (project.investor.name if project.investor_id else "") if visible else None
    project.days_in_stage = days = max(0, (today - project.stage_since).days) if project.stage_since else 0
    if labels is None:
        project.days_label = days_in_stage_label(days)
    else:
        if days not in labels:
            labels[days] = days_in_stage_label(days)
        project.days_label = labels[days]


#: a card as the board's template loop wrote it (the same markup and whitespace), in two halves around what its
#: "Move to…" holds: a link to the board with ?move=, or the form for the card named by ?move= (the template's)
_CARD_HEAD = (
    '\n<article class="card board-card" id="card-{}" data-project="{}" data-stage="{}"{}><div class="card-body p-2">\n'
    '<div class="d-flex align-items-start gap-1">{}<a class="board-card-title" href="{}">{}</a></div>\n'
    '{}<dl class="board-card-facts small mb-0 mt-1">\n'
    "<dt>{}</dt><dd>{}</dd>\n"
    "<dt>{}</dt><dd>{}</dd>\n"
    '<dt>{}</dt><dd class="text-secondary">{}{}</dd>\n'
    '<dt>{}</dt><dd class="text-secondary" data-days>{}</dd></dl>\n'
    "{}"
)
_CARD_TAIL_MOVING = mark_safe("</details>\n</div></article>\n      ")
_CARD_TAIL = mark_safe("\n</div></article>\n      ")


def _escape(value) -> str:
    """``conditional_escape`` without its per-call machinery: HTML already safe as it is, the rest escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def card_money(value: object, unit: str, language: str) -> str:
    """``money(value, user)`` with the user's money unit and the language read once a page (``write_cards``):
    each card read the language twice through them (issue 16)."""
    if isinstance(value, Money):
        return format_money(value.amount, value.currency, unit, language)
    if value is None or value == "":
        return ""
    return format_money(Decimal(str(value)), "CNY", unit, language)


def card_halves(
    project: Project,
    *,
    user,
    words: dict[str, str],
    can_move: bool,
    moving: int | None,
    move_query: str,
    money_unit: str | None = None,
    language: str | None = None,
) -> tuple[str, str]:
    """A dressed card's HTML before and after its "Move to…" form: the form itself only for the card being moved
    (``moving``), which the template includes; every other card is ``head + tail``. ``words``: ``card_words``
    escaped (``write_cards`` escapes them once a page).

    Every value escaped once with ``_escape`` and placed with ``str.format`` (issue 16: five ``format_html`` a card,
    each escaping its arguments through ``conditional_escape``, were a quarter of the board's Python calls); the
    markup is ``format_html``'s, byte for byte (test_board).
    """
    pk = project.pk
    handle = (
        f'<span class="board-handle text-secondary" aria-hidden="true" title="{words["drag"]}">⠿</span>'
        if can_move
        else ""
    )
    confidential = ""
    if project.is_confidential:
        codename = f" · {_escape(project.codename)}" if project.board_investor is not None and project.codename else ""
        confidential = f'<span class="badge bg-yellow-lt mt-1">{words["confidential"]}{codename}</span>'
    if project.board_investor is None:
        investor = f'<span class="text-secondary">{words["investor_confidential"]}</span>'
    else:
        investor = _escape(project.board_investor or "—")
    move, tail = "", _CARD_TAIL
    if can_move:
        if pk == moving:
            move = f'<details class="board-move mt-1" open><summary class="small">{words["move_to"]}</summary>'
            tail = _CARD_TAIL_MOVING
        else:
            move = (
                f'<details class="board-move mt-1"><summary class="small">{words["move_to"]}</summary><a '
                f'class="board-move-open small" href="?{_escape(move_query)}move={pk}#card-{pk}">'
                f"{words['choose_stage']}</a></details>"
            )
    head = _CARD_HEAD.format(
        pk,
        pk,
        _escape(project.stage),
        f' draggable="true" data-move-url="{_escape(project.board_move_url)}"' if can_move else "",
        handle,
        _escape(project.board_url),
        _escape(project.board_title),
        confidential,
        words["investor"],
        investor,
        words["planned"],
        _escape(
            (
                money(project.planned_investment, user)
                if money_unit is None or language is None
                else card_money(project.planned_investment, money_unit, language)
            )
            or "—"
        ),
        words["industry_park"],
        f"{_escape(project.industry.name)} · " if project.industry else "",
        _escape(project.park.name),
        words["time_in_stage"],
        _escape(project.days_label),
        move,
    )
    return mark_safe(head), tail  # noqa: S308 (every value above escaped by _escape)


def write_cards(columns: list[Column], **card) -> None:
    """Each column's cards as HTML (``Column.cards_html``), or, in the column of the card being moved, each card's
    halves for the template to put the move form between (issue 16: the template's card cost about 40 variable
    lookups, a filter and an include check per card, a hundred cards a board). Tested equal to the template."""
    card = {**card, "words": {key: _escape(value) for key, value in card["words"].items()}}  # once a page
    language = get_language() or ""
    card.setdefault("language", language)
    card.setdefault("money_unit", money_unit_for(card["user"], language))
    for column in columns:
        parts = []
        for project in column.cards:
            project.card_head, project.card_tail = card_halves(project, **card)
            parts.append(project.card_head + project.card_tail)
        if not any(project.pk == card["moving"] for project in column.cards):
            column.cards_html = mark_safe("".join(parts))  # noqa: S308 (format_html's parts)


def _list_url() -> str | None:
    try:
        return reverse(Project.url_name("list"))
    except NoReverseMatch:  # the list page is wired separately; the board works without it
        return None


class ProjectBoardView(View):
    template_name = "investment/project_board.html"

    def get(self, request):
        user = request.user
        if not can(user, Project, Action.VIEW):
            raise PermissionDenied
        data = request.GET.copy()
        for key in list(data):
            if key not in BOARD_FILTERS:
                del data[key]
        queryset = Project.objects.restrict(user).for_user(user)
        filterset = ProjectFilterSet(data or None, queryset=queryset, request=request)
        if filterset.is_bound and filterset.is_valid():
            queryset = filterset.qs
        filter_query = {key: data.getlist(key) for key in data if any(data.getlist(key))}
        today = timezone.localdate()
        columns = board_columns(queryset, user=user, today=today, list_url=_list_url(), filter_query=filter_query)
        can_move = can(user, Project, Action.CHANGE)
        moving = request.GET.get("move", "")
        move_query = urlencode(filter_query, doseq=True)
        words = card_words()
        write_cards(
            columns,
            user=user,
            words=words,
            can_move=can_move,
            moving=int(moving) if moving.isdigit() else None,
            move_query=f"{move_query}&" if move_query else "",
        )
        context = {
            "columns": columns,
            "stages": [(c.stage, c.label) for c in columns],
            "filterset": filterset,
            "filter_fields": [filterset.form[name] for name in BOARD_FILTERS if name in filterset.form.fields],
            "can_move": can_move,
            "list_url": _list_url(),
            "board_url": request.path,
            "next_url": request.get_full_path(),
            "today": today,
            "cards_per_column": CARDS_PER_COLUMN,
            # one "Move to…" form on the page (a template the script copies into a card), or, without the
            # script, in the card named by ?move=<pk>: 50 forms per column made the board heavy to send and draw
            "moving": int(moving) if moving.isdigit() else None,
            "move_query": f"{move_query}&" if move_query else "",
            "words": words,
        }
        return render(request, self.template_name, context)


class ProjectMoveView(View):
    """POST stage (and lost_reason, date): answers JSON to the board's script, else redirects with a message."""

    http_method_names = ["post"]

    def post(self, request, pk: int) -> HttpResponse:
        user = request.user
        project = get_object_or_404(Project.objects.restrict(user), pk=pk)  # outside the scope: 404
        wants_json = "application/json" in request.headers.get("accept", "")
        stage = request.POST.get("stage", "")
        lost_reason = request.POST.get("lost_reason", "")
        date = None
        errors: dict[str, list[str]] = {}
        if request.POST.get("date"):
            try:
                date = parse_date(request.POST["date"])
            except ValueError:
                date = None
            if date is None:
                errors["date"] = [_("Give the date as YYYY-MM-DD.")]
        if not errors:
            try:
                project = project_move(project=project, stage=stage, user=user, date=date, lost_reason=lost_reason)
            except PermissionDenied:
                if wants_json:
                    return JsonResponse({"ok": False, "message": _("You may not move this project.")}, status=403)
                raise
            except ValidationError as error:
                errors = error.message_dict
        label = str(project)
        if errors:
            message = _("%(project)s was not moved: %(errors)s") % {
                "project": label,
                "errors": " ".join(m for messages_ in errors.values() for m in messages_),
            }
            if wants_json:
                return JsonResponse({"ok": False, "message": message, "errors": errors}, status=400)
            messages.error(request, message)
        else:
            message = _("%(project)s moved to %(stage)s.") % {"project": label, "stage": project.get_stage_display()}
            if wants_json:
                return JsonResponse(
                    {
                        "ok": True,
                        "message": message,
                        "stage": project.stage,
                        "stage_label": project.get_stage_display(),
                        "stage_since": project.stage_since.isoformat(),
                        "days_label": days_in_stage_label(max(0, (timezone.localdate() - project.stage_since).days)),
                    }
                )
            messages.success(request, message)
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = reverse("investment:project_board")
        return redirect(next_url)

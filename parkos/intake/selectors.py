"""Reads for press intake: matching drafted names to the directory, the review's starting values, the marked-up text."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import BooleanField as BooleanDBField
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parkos.core.actors import Actor
from parkos.core.permissions import Action
from parkos.directory.models import Organization, OrganizationAlias, Person, Position
from parkos.investment.models import Agreement, Event

if TYPE_CHECKING:
    from parkos.intake.models import Article

#: how many candidates a "link to" select offers
CANDIDATES = 8
#: how many events the event "link to" select offers
EVENT_CHOICES = 30

#: the extractor's organization kinds -> the directory's
ORGANIZATION_KINDS = {
    "government": Organization.Kind.GOVERNMENT,
    "enterprise": Organization.Kind.ENTERPRISE,
    "university": Organization.Kind.UNIVERSITY,
    "hospital": Organization.Kind.HOSPITAL,
    "financial": Organization.Kind.FINANCIAL,
    "park_operator": Organization.Kind.PARK_OPERATOR,
    "association": Organization.Kind.ASSOCIATION,
    "other": Organization.Kind.OTHER,
}
#: the extractor's agreement kinds -> investment's (unknown kinds read as strategic cooperation)
AGREEMENT_KINDS = {
    "strategic": Agreement.Kind.STRATEGIC,
    "cooperation": Agreement.Kind.STRATEGIC,
    "framework": Agreement.Kind.FRAMEWORK,
    "investment": Agreement.Kind.INVESTMENT,
    "lease": Agreement.Kind.LEASE,
    "memorandum": Agreement.Kind.MEMORANDUM,
    "mou": Agreement.Kind.MEMORANDUM,
}
#: the extractor's event kinds are the investment Event kinds
EVENT_KINDS = set(Event.Kind.values)
#: the kinds of span the review page highlights, with the CSS class of each
MARK_KINDS = ("organization", "person", "figure", "date")


def organization_kind(kind: str | None) -> str:
    return ORGANIZATION_KINDS.get((kind or "").lower(), Organization.Kind.OTHER)


def agreement_kind(kind: str | None) -> str:
    return AGREEMENT_KINDS.get((kind or "").lower(), Agreement.Kind.STRATEGIC)


# --- candidates ------------------------------------------------------------------------------------------


def organization_candidates(
    name: str, user: Actor, limit: int = CANDIDATES, also_written: Iterable[str] = ()
) -> Sequence[Organization]:
    """Organizations whose name, English name or an alias equals ``name`` (case-insensitive) first, then ones
    containing it (an English article writes the English name), and ones the directory holds under another written
    form of the same name ("临港集团" for "上海临港经济发展（集团）有限公司", or the other way round; ``also_written``
    are the article's own short forms of ``name``): when exactly one is, it counts as exact, so the review links to
    it rather than proposing a new organization.

    Each candidate carries ``is_exact``. One query.
    """
    from parkos.intake.extraction.shortforms import is_short_form, search_words

    name = " ".join((name or "").split())
    if not name:
        return []
    written = [name, *(" ".join(w.split()) for w in also_written if w and w.strip())]
    exact = (
        Q(name__iexact=name)
        | Q(name_en__iexact=name)
        | Q(pk__in=OrganizationAlias.objects.filter(name__iexact=name).values("organization"))
    )
    contains = (
        Q(name__icontains=name)
        | Q(name_en__icontains=name)
        | Q(pk__in=OrganizationAlias.objects.filter(name__icontains=name).values("organization"))
    )
    near = Q()
    for clue in dict.fromkeys(c for w in written for c in search_words(w)):
        near |= Q(name__icontains=clue) | Q(name_en__icontains=clue)
    rows = (
        Organization.objects.restrict(user, Action.VIEW)
        .filter(contains | near)
        .annotate(
            is_exact=Case(When(exact, then=Value(True)), default=Value(False), output_field=BooleanDBField()),
            is_contained=Case(When(contains, then=Value(True)), default=Value(False), output_field=BooleanDBField()),
        )
        .order_by("-is_exact", "-is_contained", "name", "pk")
    )
    found = list(rows[: limit * 4])
    if any(o.is_exact for o in found):
        return [o for o in found if o.is_contained][:limit]

    def same(directory_form: str) -> bool:
        return any(
            is_short_form(w, directory_form) or w.casefold() == directory_form.casefold() for w in written
        ) or is_short_form(directory_form, name)

    otherwise = [o for o in found if any(same(w) for w in (o.name, o.name_en) if w)]
    for organization in otherwise:
        organization.is_exact = len(otherwise) == 1
    rest = [o for o in found if o.is_contained and o not in otherwise]
    return (otherwise + rest)[:limit]


def person_candidates(
    name: str, user: Actor, organization: Organization | None = None, limit: int = CANDIDATES
) -> list[Person]:
    """People named ``name``, those holding a position at ``organization`` first (``at_organization``).

    Their positions come along (with organizations) for "name · title · organization" labels. Two queries.
    """
    name = " ".join((name or "").split())
    if not name:
        return []
    at_organization = (
        Exists(Position.objects.filter(person=OuterRef("pk"), organization=organization))
        if organization is not None
        else Value(False, output_field=BooleanDBField())
    )
    positions = Position.objects.select_related("organization").order_by("-start_date", "pk")
    rows = (
        Person.objects.restrict(user, Action.VIEW)
        .filter(Q(name__iexact=name) | Q(name_en__iexact=name))
        .annotate(at_organization=at_organization)
        .order_by("-at_organization", "pk")
        .prefetch_related(Prefetch("positions", queryset=positions))
    )
    return list(rows[:limit])


def person_label(person: Person, organization: Organization | None = None) -> str:
    """The label "Zhang Wei · Chairman · Blue Harbour Co." (the position at ``organization`` when there is one)."""
    positions = list(person.positions.all())
    chosen = next((p for p in positions if organization is not None and p.organization_id == organization.pk), None)
    chosen = chosen or (positions[0] if positions else None)
    if chosen is None:
        return person.name
    return f"{person.name} · {chosen.title} · {chosen.organization.name}"


def event_choices(
    article: Article, user: Actor, around: datetime.date | None, limit: int = EVENT_CHOICES
) -> list[Event]:
    """The park's events the user may see, those nearest ``around`` first (latest first without a date)."""
    events = Event.objects.restrict(user, Action.VIEW).filter(park_id=article.park_id)
    if around is None:
        return list(events.order_by("-date", "pk")[:limit])
    later = list(events.filter(date__gte=around).order_by("date", "pk")[:limit])
    earlier = list(events.filter(date__lt=around).order_by("-date", "-pk")[:limit])
    return sorted(later + earlier, key=lambda e: (abs((e.date - around).days), e.pk))[:limit]


# --- the review's starting values ---------------------------------------------------------------------------


def article_year(text: str) -> int | None:
    """The year the article is about, when it says: the year it names most often (ties: the first)."""
    years = re.findall(r"(?<!\d)(19[89]\d|20\d\d)(?:年|(?!\d))", text)
    if not years:
        return None
    return int(Counter(years).most_common(1)[0][0])


def draft_date(value: str | None, text: str) -> datetime.date | None:
    """The extraction's date as a date: "YYYY-MM-DD" as is, "--MM-DD" in the article's year when it can tell."""
    if not value or not isinstance(value, str):
        return None
    full = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    partial = re.fullmatch(r"--(\d{2})-(\d{2})", value)
    try:
        if full:
            return datetime.date(*(int(g) for g in full.groups()))
        if partial:
            year = article_year(text)
            return datetime.date(year, int(partial.group(1)), int(partial.group(2))) if year else None
    except ValueError:
        return None
    return None


def _index_by_name(organizations: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, org in enumerate(organizations):
        key = _key(org.get("name"))
        if key and key not in index:
            index[key] = i
    return index


def _key(name: object) -> str:
    return " ".join(str(name or "").split()).casefold()


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in _list(value) if isinstance(item, dict)]


class DraftOrganization(TypedDict):
    name: str
    kind: str
    aliases: list[str]


class DraftPerson(TypedDict):
    name: str
    titles: list[str]
    #: the index of the person's organization in ``organizations`` (None: not named)
    organization: int | None


class DraftAgreement(TypedDict):
    kind: str
    #: indexes into ``organizations``
    parties: list[int]
    #: person index -> the index of the organization they sign for (None: not named)
    signatories: dict[int, int | None]


@dataclass
class Drafts:
    """The extraction, tidied for the review forms: lists of dicts, organizations referred to by index.

    ``event`` and ``figures`` are the extraction's own (JSON) mappings, as the forms read them.
    """

    event: dict[str, Any]
    organizations: list[DraftOrganization]
    people: list[DraftPerson]
    agreements: list[DraftAgreement]
    figures: list[dict[str, Any]]
    industries: list[str]


def drafts(article: Article) -> Drafts:
    """The article's extraction in the shape the review forms start from; never fails on odd extractions."""
    extraction = article.extraction if isinstance(article.extraction, dict) else {}
    organizations: list[DraftOrganization] = [
        {
            "name": str(o.get("name") or "").strip()[:200],
            "kind": organization_kind(o.get("kind")),
            "aliases": [str(a).strip()[:200] for a in _list(o.get("aliases")) if str(a).strip()],
        }
        for o in _dicts(extraction.get("organizations"))
        if str(o.get("name") or "").strip()
    ]
    by_name = _index_by_name(organizations)
    people: list[DraftPerson] = []
    for p in _dicts(extraction.get("people")):
        name = str(p.get("name") or "").strip()
        if not name:
            continue
        titles = [str(t).strip() for t in _list(p.get("titles")) if str(t).strip()]
        people.append({"name": name[:100], "titles": titles, "organization": by_name.get(_key(p.get("organization")))})
    people_by_name = _index_by_name(people)
    agreements: list[DraftAgreement] = []
    for a in _dicts(extraction.get("agreements")):
        parties = [by_name[_key(n)] for n in _list(a.get("parties")) if _key(n) in by_name]
        signatories: dict[int, int | None] = {}
        for s in _dicts(a.get("signatories")):
            person = people_by_name.get(_key(s.get("person")))
            if person is not None:
                on_behalf = by_name.get(_key(s.get("on_behalf_of")), people[person]["organization"])
                signatories[person] = on_behalf
        agreements.append(
            {"kind": agreement_kind(a.get("kind")), "parties": list(dict.fromkeys(parties)), "signatories": signatories}
        )
    event = extraction["event"] if isinstance(extraction.get("event"), dict) else {}
    figures = [f for f in _dicts(extraction.get("figures")) if f.get("text") or f.get("value") is not None]
    industries = [str(i).strip() for i in _list(extraction.get("industries")) if str(i).strip()]
    return Drafts(event, organizations, people, agreements, figures, list(dict.fromkeys(industries)))


def figure_line(figure: Mapping[str, Any]) -> str:
    """ "Total investment: 16,000,000,000 CNY (16 billion yuan)": a kept figure as a line of a summary."""
    value = figure.get("value")
    try:
        number = f"{value:,}" if isinstance(value, int | float) else str(value or "")
    except (TypeError, ValueError):
        number = str(value)
    unit = {"m2": "m²"}.get(figure.get("unit") or "", figure.get("unit") or "")
    of = figure.get("of") or ""
    amount = " ".join(part for part in (number, unit if figure.get("kind") != "count" else of) if part)
    labels: dict[object, str] = {"money": "Investment", "area": "Area", "count": "Count", "percent": "Share"}
    label = labels.get(figure.get("kind"), "")
    if figure.get("kind") == "money":
        label = "Total investment"
    text = figure.get("text") or ""
    line = f"{label}: {amount}" if label else amount
    return f"{line} ({text})" if text and text != amount else line


# --- the marked-up article ------------------------------------------------------------------------------


def spans(extraction: object, length: int) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every usable span, in order; bad or overlapping ones are left out."""
    found: list[tuple[int, int, str]] = []
    sources = (
        ("organization", "organizations"),
        ("person", "people"),
        ("person", "bylines"),
        ("figure", "figures"),
        ("date", "dates"),
    )
    data: dict[str, Any] = extraction if isinstance(extraction, dict) else {}
    for kind, key in sources:
        for item in _dicts(data.get(key)):
            span = item.get("span")
            if not (isinstance(span, list | tuple) and len(span) == 2):
                continue
            start, end = span
            if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
                continue
            if 0 <= start < end <= length:
                found.append((start, end, kind))
    event = data.get("event")
    if isinstance(event, dict) and isinstance(event.get("span"), list | tuple) and len(event["span"]) == 2:
        start, end = event["span"]
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            found.append((start, end, "date"))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, kind in found:
        if start >= last_end:  # an overlapping span is skipped: the longer, earlier one wins
            kept.append((start, end, kind))
            last_end = end
    return kept


def marked_text(text: str, extraction: object) -> SafeString:
    """The article text, HTML-escaped, with each extracted span in a <mark class="mark-<kind>">."""
    parts: list[str] = []
    position = 0
    for start, end, kind in spans(extraction, len(text)):
        parts.append(escape(text[position:start]))
        parts.append(f'<mark class="mark-{kind}" data-kind="{kind}">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece of the text was escaped above)

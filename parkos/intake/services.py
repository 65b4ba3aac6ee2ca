"""Writes for press intake: taking an article in, and accepting its reviewed drafts into the records.

Accepting is idempotent through ``ArticleRecord``: every draft item has a key ("organization:2",
"agreement:0", "party:0:2", ...), and an item whose key already has a record reuses that record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parkos.core.actors import Actor
from parkos.core.changelog import change_context
from parkos.core.models import PrimaryModel
from parkos.core.permissions import Action, can
from parkos.directory.models import Organization, OrganizationAlias, Person, Position
from parkos.intake.models import Article, ArticleBatch, ArticleBatchItem, ArticleRecord, content_hash
from parkos.investment.models import Agreement, Event, Party, Signatory
from parkos.parks.models import Park
from parkos.users.models import User

_M = TypeVar("_M", bound=models.Model)
_P = TypeVar("_P", bound=PrimaryModel)

CREATE, LINK, DROP = "create", "link", "drop"
#: a party's role, from its organization's kind
PARTY_ROLES: dict[str, str] = {
    Organization.Kind.GOVERNMENT: Party.Role.GOVERNMENT,
    Organization.Kind.FINANCIAL: Party.Role.FINANCIER,
    Organization.Kind.ENTERPRISE: Party.Role.INVESTOR,
}


# --- taking an article in --------------------------------------------------------------------------------


def read_upload(*, data: bytes, filename: str) -> str:
    """A file's article text; ValidationError saying why when it cannot be read."""
    from parkos.intake.extraction.reading import ReadError, read_document

    try:
        return read_document(data, filename)
    except ReadError as exc:
        raise ValidationError(str(exc)) from exc


def read_pasted(*, text: str) -> str:
    """Pasted text (a copied web page reads as its visible text)."""
    from parkos.intake.extraction.reading import read_text

    return read_text(text)


def extract(*, text: str, source: str) -> dict[str, Any]:
    """The extractor's drafts for ``text`` (see parkos.intake.extraction)."""
    from parkos.intake.extraction.pipeline import extract as run

    return run(text, source=source)


def duplicate_of(*, text: str, user: Actor) -> Article | None:
    """The article the user may see that has the same text (whitespace aside), if any."""
    found: Article | None = Article.objects.restrict(user, Action.VIEW).filter(content_hash=content_hash(text)).first()
    return found


def article_take_in(
    *,
    user: Actor,
    park: Park,
    text: str,
    title: str = "",
    source_name: str = "",
    url: str = "",
    upload: File[Any] | None = None,
) -> tuple[Article, bool]:
    """Store the article and its extraction; returns (article, created). The same text again is the same article."""
    if not can(user, Article, Action.ADD):
        raise PermissionDenied
    existing = duplicate_of(text=text, user=user)
    if existing is not None:
        return existing, False
    if Article.objects.filter(content_hash=content_hash(text)).exists():
        raise ValidationError({"text": _("This article was already taken in, in a park you are not assigned to.")})
    extraction = extract(text=text, source=source_name or title or getattr(upload, "name", "") or "")
    event: dict[str, Any] = extraction["event"] if isinstance(extraction.get("event"), dict) else {}
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    language: str = extraction["language"] if extraction.get("language") in Article.Language.values else "en"
    article = Article(
        park=park,
        title=(title or event.get("title") or first_line or _("Untitled article"))[:300],
        source_name=source_name or (getattr(upload, "name", "") or "")[:300],
        url=url,
        language=language,
        text=text,
        extraction=extraction,
    )
    if upload is not None:
        upload.seek(0)
        article.file.save(upload.name or "", upload, save=False)
    with transaction.atomic():
        article.save()
    return article, True


# --- the review a person hands in ------------------------------------------------------------------------


@dataclass
class EventReview:
    action: str = DROP
    link_to: Event | None = None
    kind: str = Event.Kind.SIGNING
    title: str = ""
    date: datetime.date | None = None
    place: str = ""


@dataclass
class OrganizationReview:
    index: int
    name: str
    kind: str = Organization.Kind.OTHER
    action: str = CREATE
    link_to: Organization | None = None
    #: other written forms the reviewer confirmed ("临港集团"): kept as the organization's aliases
    aliases: list[str] = field(default_factory=list)


@dataclass
class PersonReview:
    index: int
    name: str
    titles: list[str] = field(default_factory=list)
    #: index of the draft organization the person belongs to
    organization: int | None = None
    action: str = CREATE
    link_to: Person | None = None


@dataclass
class AgreementReview:
    index: int
    kind: str
    title: str
    #: indexes of the draft organizations that are parties
    parties: list[int] = field(default_factory=list)
    #: person draft index -> organization draft index they signed for
    signatories: dict[int, int] = field(default_factory=dict)
    action: str = CREATE


@dataclass
class Review:
    event: EventReview
    organizations: list[OrganizationReview] = field(default_factory=list)
    people: list[PersonReview] = field(default_factory=list)
    agreements: list[AgreementReview] = field(default_factory=list)
    #: the kept figures and industries as lines ("Total investment: 16,000,000,000 CNY (16 billion yuan)")
    figures: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)


@dataclass
class AcceptResult:
    article: Article
    created: list[models.Model] = field(default_factory=list)
    linked: list[models.Model] = field(default_factory=list)
    event: Event | None = None
    agreements: list[Agreement] = field(default_factory=list)


# --- accepting -----------------------------------------------------------------------------------------


class _Recorder:
    """Finds and writes the ArticleRecord of each draft item."""

    def __init__(self, article: Article, result: AcceptResult) -> None:
        self.article = article
        self.result = result
        self.existing = {r.key: r for r in article.records.select_related("content_type")}

    def found(self, key: str, model: type[_M]) -> _M | None:
        record = self.existing.get(key)
        if record is None:
            return None
        obj: _M | None = model._base_manager.filter(pk=record.object_id).first()
        if obj is None:  # the record was deleted since: make it again
            record.delete()
            del self.existing[key]
        return obj

    def keep(self, key: str, obj: models.Model, *, created: bool) -> None:
        record = ArticleRecord.objects.create(
            article=self.article,
            key=key,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            created_new=created,
        )
        self.existing[key] = record
        (self.result.created if created else self.result.linked).append(obj)


def _saved(obj: _M, exclude: Iterable[str] = ()) -> _M:
    obj.full_clean(exclude=list(exclude))
    obj.save()
    return obj


def _require(user: Actor, needed: Iterable[type[models.Model]]) -> None:
    missing = [m._meta.verbose_name_plural for m in needed if not can(user, m, Action.ADD)]
    if missing:
        raise PermissionDenied(_("You may not add %(models)s.") % {"models": ", ".join(str(m) for m in missing)})


def _visible(user: Actor, model: type[_P], obj: _P | None) -> _P:
    if obj is None or not model.objects.restrict(user, Action.VIEW).filter(pk=obj.pk).exists():
        message = _("%(model)s “%(object)s” is not one you can see.")
        raise ValidationError(message % {"model": model._meta.verbose_name, "object": obj})
    return obj


def _add_missing(manager: Any, objects: Iterable[models.Model]) -> None:
    """Add to a many-to-many only what is missing (an add of nothing would still log a change)."""
    have = set(manager.values_list("pk", flat=True))
    missing = [o for o in objects if o.pk not in have]
    if missing:
        manager.add(*missing)


def article_accept(*, article: Article, review: Review, user: Actor) -> AcceptResult:
    """Create or link everything the review keeps, in one transaction, each record logged as from the article."""
    if not Article.objects.restrict(user, Action.CHANGE).filter(pk=article.pk).exists():
        raise PermissionDenied
    creating: dict[type[models.Model], Sequence[object]] = {
        Organization: [o for o in review.organizations if o.action == CREATE]
    }
    creating[Person] = [p for p in review.people if p.action == CREATE]
    creating[Event] = [review.event] if review.event.action == CREATE else []
    creating[Agreement] = [a for a in review.agreements if a.action == CREATE]
    needed: list[type[models.Model]] = [model for model, items in creating.items() if items]
    if creating[Agreement]:
        needed += [Party, Signatory]
    if review.people:
        needed.append(Position)
    _require(user, needed)
    result = AcceptResult(article=article)
    origin = f"Article {article.pk}: {article.title}"
    context = change_context(user=user, source="intake", origin=origin, origin_url=article.get_absolute_url())
    with context, transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        result.article = article
        recorder = _Recorder(article, result)
        organizations = _accept_organizations(review, user, recorder)
        people = _accept_people(review, user, recorder, organizations)
        event = _accept_event(article, review, user, recorder, organizations, people)
        result.event = event
        _accept_agreements(article, review, recorder, organizations, people, event)
        if article.status != Article.Status.ACCEPTED:
            article.status = Article.Status.ACCEPTED
            article.accepted_at = timezone.now()
            article.accepted_by = cast(User, user)
            article.save()
    return result


def _create_or_link(
    key: str,
    draft: OrganizationReview | PersonReview,
    model: type[_P],
    user: Actor,
    recorder: _Recorder,
    build: Callable[[], _P],
) -> _P:
    """The record of one draft row: the one an earlier accept made or linked, the existing one the reviewer
    chose, or a new one from ``build()``."""
    obj = recorder.found(key, model)
    if obj is None and draft.action == LINK:
        obj = _visible(user, model, cast("_P | None", draft.link_to))
        recorder.keep(key, obj, created=False)
    elif obj is None:
        obj = _saved(build())
        recorder.keep(key, obj, created=True)
    return obj


def _accept_organizations(review: Review, user: Actor, recorder: _Recorder) -> dict[int, Organization]:
    accepted: dict[int, Organization] = {}
    for draft in review.organizations:
        if draft.action != DROP:
            accepted[draft.index] = _create_or_link(
                f"organization:{draft.index}",
                draft,
                Organization,
                user,
                recorder,
                partial(Organization, name=draft.name.strip(), kind=draft.kind),
            )
            if can(user, OrganizationAlias, Action.ADD):  # a reviewer who may not add aliases still accepts
                _learn_aliases(accepted[draft.index], draft, recorder)
    return accepted


def _learn_aliases(organization: Organization, draft: OrganizationReview, recorder: _Recorder) -> None:
    """The written forms the reviewer confirmed for the organization, kept as its aliases so that the next article
    writing "临港集团" finds it: the draft's short forms, and the name as written when it was linked to another."""
    written = list(draft.aliases)
    if draft.action == LINK and draft.name.strip():
        written.insert(0, draft.name.strip())
    known = {organization.name.casefold(), (organization.name_en or "").casefold()}
    known |= {a.casefold() for a in organization.aliases.values_list("name", flat=True)}
    for name in dict.fromkeys(" ".join(w.split())[:200] for w in written):
        if len(name) < 2 or name.casefold() in known:
            continue
        alias = _saved(OrganizationAlias(organization=organization, name=name))
        recorder.keep(f"alias:{draft.index}:{len(known)}", alias, created=True)
        known.add(name.casefold())


def _titles(titles: list[str]) -> str:
    return "; ".join(t.strip() for t in titles if t.strip())[:200]


def _accept_people(
    review: Review, user: Actor, recorder: _Recorder, organizations: dict[int, Organization]
) -> dict[int, Person]:
    accepted: dict[int, Person] = {}
    for draft in review.people:
        if draft.action == DROP:
            continue
        obj = _create_or_link(
            f"person:{draft.index}", draft, Person, user, recorder, partial(Person, name=draft.name.strip())
        )
        accepted[draft.index] = obj
        organization = organizations.get(draft.organization) if draft.organization is not None else None
        title = _titles(draft.titles)
        position_key = f"position:{draft.index}"
        if organization is None or not title or recorder.found(position_key, Position) is not None:
            continue
        held = Position.objects.filter(person=obj, organization=organization, title__iexact=title).first()
        if held is not None:
            recorder.keep(position_key, held, created=False)
        else:
            recorder.keep(
                position_key, _saved(Position(person=obj, organization=organization, title=title)), created=True
            )
    return accepted


def _accept_event(
    article: Article,
    review: Review,
    user: Actor,
    recorder: _Recorder,
    organizations: dict[int, Organization],
    people: dict[int, Person],
) -> Event | None:
    draft = review.event
    if draft.action == DROP:
        return None
    event = recorder.found("event", Event)
    if event is None and draft.action == LINK:
        event = _visible(user, Event, draft.link_to)
        if event.park_id != article.park_id:
            raise ValidationError({"event": _("This event took place in another park.")})
        recorder.keep("event", event, created=False)
    elif event is None:
        lines = [*review.figures, *review.industries]
        event = _saved(
            Event(
                kind=draft.kind,
                title=draft.title.strip()[:300],
                date=draft.date,  # type: ignore[misc]  # None: full_clean refuses it with the field's message
                place=draft.place.strip()[:300],
                park=article.park,
                description="\n".join(lines),
            )
        )
        recorder.keep("event", event, created=True)
    _add_missing(event.attendees, list(people.values()))
    _add_missing(event.organizations, list(organizations.values()))
    return event


def _accept_agreements(
    article: Article,
    review: Review,
    recorder: _Recorder,
    organizations: dict[int, Organization],
    people: dict[int, Person],
    event: Event | None,
) -> None:
    for draft in review.agreements:
        if draft.action == DROP:
            continue
        key = f"agreement:{draft.index}"
        agreement = recorder.found(key, Agreement)
        parties = [i for i in draft.parties if i in organizations]
        if agreement is None:
            signed_on = event.date if event is not None else None
            signed = len(parties) >= 2 and signed_on is not None
            summary = [article.title, *review.figures]
            agreement = _saved(
                Agreement(
                    kind=draft.kind,
                    title=draft.title.strip()[:300],
                    park=article.park,
                    event=event,
                    signed_on=signed_on,
                    status=Agreement.Status.SIGNED if signed else Agreement.Status.DRAFT,
                    fields_of_cooperation="\n".join(review.industries),
                    summary="\n".join(summary),
                )
            )
            recorder.keep(key, agreement, created=True)
        recorder.result.agreements.append(agreement)
        party_by_org: dict[int, Party] = {}
        for j in parties:
            party_key = f"party:{draft.index}:{j}"
            party = recorder.found(party_key, Party)
            if party is None:
                organization = organizations[j]
                party = Party.objects.filter(agreement=agreement, organization=organization).first()
                if party is not None:
                    recorder.keep(party_key, party, created=False)
                else:
                    role = PARTY_ROLES.get(organization.kind, Party.Role.PARTNER)
                    party = _saved(Party(agreement=agreement, organization=organization, role=role))
                    recorder.keep(party_key, party, created=True)
            party_by_org[j] = party
        for person_index, org_index in draft.signatories.items():
            signatory_key = f"signatory:{draft.index}:{person_index}"
            person, party = people.get(person_index), party_by_org.get(org_index)
            if person is None or party is None or recorder.found(signatory_key, Signatory) is not None:
                continue
            titles = next((_titles(p.titles) for p in review.people if p.index == person_index), "")
            signatory = _saved(Signatory(agreement=agreement, party=party, person=person, title=titles))
            recorder.keep(signatory_key, signatory, created=True)


# --- a batch of articles ---------------------------------------------------------------------------------

#: the most files or web addresses one batch takes
MAX_BATCH = 50


def article_batch_create(*, user: Actor, park: Park, urls: list[str], uploads: Sequence[File[Any]]) -> ArticleBatch:
    """A batch of the given web addresses and files, queued for the background worker (after commit)."""
    from parkos.intake.tasks import article_batch_task

    if not can(user, Article, Action.ADD):
        raise PermissionDenied
    if not urls and not uploads:
        raise ValidationError(_("Give at least one web address or file."))
    if len(urls) + len(uploads) > MAX_BATCH:
        raise ValidationError(_("A batch takes at most %(count)d articles.") % {"count": MAX_BATCH})
    with transaction.atomic():
        batch = ArticleBatch.objects.create(park=park, created_by=cast(User, user))
        position = 0
        for url in urls:
            ArticleBatchItem.objects.create(batch=batch, position=position, url=url, name=url[:300])
            position += 1
        for upload in uploads:
            name = upload.name or ""
            item = ArticleBatchItem(batch=batch, position=position, name=name[:300])
            item.file.save(name, upload, save=False)
            item.save()
            position += 1
        transaction.on_commit(lambda: article_batch_task.enqueue(batch.pk))
    return batch


def article_batch_run(*, batch: ArticleBatch) -> None:
    """Read every waiting item of the batch, each on its own: one page that fails does not stop the others."""
    from parkos.intake.fetching import FetchError, fetch_article

    for item in batch.items.filter(status=ArticleBatchItem.Status.QUEUED).order_by("position"):
        try:
            if item.url:
                fetched = fetch_article(item.url)
                text, source, url = fetched.text, fetched.title or item.url, item.url
            else:
                with item.file.open("rb") as handle:
                    text, source, url = read_upload(data=handle.read(), filename=item.name), item.name, ""
            if not text.strip():
                raise ValidationError(_("There is no text in it to read."))
            article, created = article_take_in(
                user=batch.created_by, park=batch.park, text=text, source_name=source[:300], url=url
            )
        except (FetchError, ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc) or _("You may not add articles.")]
            item.status, item.message = ArticleBatchItem.Status.FAILED, " ".join(messages)[:500]
        except Exception as exc:  # noqa: BLE001 (one broken article must not stop the batch; it says why)
            item.status, item.message = ArticleBatchItem.Status.FAILED, f"{type(exc).__name__}: {exc}"[:500]
        else:
            item.article = article
            item.status = ArticleBatchItem.Status.DONE if created else ArticleBatchItem.Status.DUPLICATE
            item.message = ""
        item.save(update_fields=["article", "status", "message"])
    batch.finished_at = timezone.now()
    batch.save(update_fields=["finished_at"])

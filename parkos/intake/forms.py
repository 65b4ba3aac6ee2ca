"""Press intake forms: the article's own edit form, taking an article in, and the review of its drafts."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import PrimaryModelForm, style_widget
from parkos.core.permissions import Action
from parkos.directory.models import Organization
from parkos.intake import selectors, services, wording
from parkos.intake.models import Article
from parkos.investment.models import Agreement, Event
from parkos.parks.models import Park

#: the file types the take-in page reads
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".docx")
MAX_UPLOAD = 10 * 1024 * 1024


class ArticleForm(PrimaryModelForm):
    """Editing an article's description; its text stays as taken in (the drafts' spans point into it)."""

    class Meta(PrimaryModelForm.Meta):
        model = Article
        fields = ("title", "park", "source_name", "url", "language")


class ArticleTakeInForm(forms.Form):
    """An article pasted or uploaded: exactly one of the two."""

    park = forms.ModelChoiceField(queryset=Park.objects.none(), label=_("Park"))
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Leave empty to use the headline.")
    )
    source_name = forms.CharField(
        label=_("Source"), max_length=300, required=False, help_text=_("The publication, or the file name.")
    )
    url = forms.URLField(
        label=_("Web address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Give only the address, and the page is fetched and its article read."),
    )
    text = forms.CharField(
        label=_("Article text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Paste the article (plain text, or a copied web page)."),
    )
    file = forms.FileField(
        label=_("Or a file"), required=False, help_text=_("Plain text (.txt), a web page (.html) or Word (.docx).")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        parks = Park.objects.restrict(user, Action.VIEW).filter(pk__in=_article_parks(user))
        self.fields["park"].queryset = parks
        only = list(parks[:2])
        if len(only) == 1:
            self.fields["park"].initial = only[0].pk
        for f in self.fields.values():
            style_widget(f)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                _("Upload a .txt, .html or .docx file; “%(name)s” is none of these.") % {"name": upload.name}
            )
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        pasted, upload = (cleaned.get("text") or "").strip(), cleaned.get("file")
        if "file" in self.errors:
            return cleaned
        if pasted and upload:
            message = _("Paste the text or upload a file, not both.")
            self.add_error("text", message)
            self.add_error("file", message)
            return cleaned
        if not pasted and not upload and cleaned.get("url"):
            return self._fetch(cleaned)
        if not pasted and not upload:
            if "url" not in self.errors:
                message = _("Paste the article's text here, upload it as a file, or give its web address.")
                self.add_error("text", message)
            return cleaned
        try:
            text = (
                services.read_upload(data=upload.read(), filename=upload.name)
                if upload
                else services.read_pasted(text=pasted)
            )
        except forms.ValidationError as exc:
            self.add_error("file", exc.messages[0])
            return cleaned
        if not text.strip():
            self.add_error("file" if upload else "text", _("There is no text in it to read."))
        cleaned["article_text"] = text
        return cleaned

    def _fetch(self, cleaned):
        """Only a web address: the server fetches the page and reads its main text."""
        from parkos.intake.fetching import FetchError, fetch_article

        try:
            fetched = fetch_article(cleaned["url"])
        except FetchError as exc:
            self.add_error("url", str(exc))
            return cleaned
        cleaned["article_text"] = fetched.text
        cleaned["source_name"] = cleaned.get("source_name") or fetched.title[:300]
        return cleaned


def split_aliases(value: str) -> list[str]:
    """ "临港集团, 临港、Lingang Group" -> the written forms, each once; a bare "the Group" or "区政府" names no one."""
    written = [" ".join(part.split())[:200] for part in re.split(r"[,，、;；\n]", value)]
    return list(dict.fromkeys(w for w in written if len(w) >= 2 and w.casefold() not in _REFERENCES))


_REFERENCES = {"the group", "group", "the company", "the district", "集团", "公司", "区政府", "市政府", "管委会"}


def _article_parks(user):
    """The parks the user may file articles under (their scope, through the article permission)."""
    from parkos.core.permissions import Scope, scope_of

    if scope_of(user) == Scope.EVERYTHING:
        return Park.objects.values("pk")
    if not hasattr(user, "scope_park_ids"):
        return Park.objects.none().values("pk")
    return user.scope_park_ids()


# --- the review --------------------------------------------------------------------------------------------

ACTIONS_CREATE_LINK_DROP = (
    (services.CREATE, _("Create new")),
    (services.LINK, _("Link to existing")),
    (services.DROP, _("Drop")),
)
ACTIONS_CREATE_DROP = ((services.CREATE, _("Create")), (services.DROP, _("Drop")))


class ReviewFormMixin:
    def style(self):
        for f in self.fields.values():
            style_widget(f)
            if isinstance(f.widget, forms.CheckboxSelectMultiple):
                f.widget.attrs["class"] = "form-check-input"


class EventReviewForm(ReviewFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Event"), choices=ACTIONS_CREATE_LINK_DROP)
    link_to = forms.TypedChoiceField(label=_("Link to"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.events = {e.pk: e for e in events}
        self.fields["link_to"].choices = [("", "---------")] + [
            (e.pk, f"{e.date:%Y-%m-%d} · {e.title}") for e in events
        ]
        self.style()

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == services.LINK and not cleaned.get("link_to"):
            self.add_error("link_to", _("Choose the event to link to."))
        if action == services.CREATE:
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", _("Give the event a title."))
            if not cleaned.get("date") and "date" not in self.errors:
                self.add_error("date", _("Give the event's date (the article may give only the day and month)."))
        return cleaned

    def review(self) -> services.EventReview:
        data = self.cleaned_data
        return services.EventReview(
            action=data["action"],
            link_to=self.events.get(data.get("link_to")),
            kind=data["kind"],
            title=data.get("title") or "",
            date=data.get("date"),
            place=data.get("place") or "",
        )


class OrganizationReviewForm(ReviewFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS_CREATE_LINK_DROP)
    link_to = forms.TypedChoiceField(label=_("Link to"), coerce=int, required=False, empty_value=None)
    aliases = forms.CharField(
        label=_("Also written as"),
        max_length=500,
        required=False,
        help_text=_("Short forms the article uses, separated by commas; kept as the organization's aliases."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.pk: c for c in candidates}
        self.fields["link_to"].choices = [("", "---------")] + [
            (c.pk, f"{c.name}" + ("" if c.is_exact else " ≈")) for c in candidates
        ]
        self.style()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == services.LINK and not cleaned.get("link_to"):
            self.add_error("link_to", _("Choose the organization to link to."))
        if cleaned.get("action") == services.CREATE and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give the organization's name."))
        return cleaned


class PersonReviewForm(ReviewFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    titles = forms.CharField(
        label=_("Titles"), max_length=500, required=False, help_text=_("Separate several titles with “; ”.")
    )
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int, required=False, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS_CREATE_LINK_DROP)
    link_to = forms.TypedChoiceField(label=_("Link to"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, organizations=(), candidates=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.pk: c for c in candidates}
        self.fields["organization"].choices = [("", "---------")] + list(enumerate(organizations))
        labels = labels or {}
        self.fields["link_to"].choices = [("", "---------")] + [(c.pk, labels.get(c.pk, c.name)) for c in candidates]
        self.style()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == services.LINK and not cleaned.get("link_to"):
            self.add_error("link_to", _("Choose the person to link to."))
        if cleaned.get("action") == services.CREATE and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give the person's name."))
        return cleaned


class AgreementReviewForm(ReviewFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    parties = forms.TypedMultipleChoiceField(
        label=_("Parties"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS_CREATE_DROP)

    def __init__(self, *args, organizations=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = list(organizations)
        self.people = list(people)
        self.fields["parties"].choices = list(enumerate(self.organizations))
        for j, person in enumerate(self.people):
            self.fields[f"signatory_{j}"] = forms.TypedChoiceField(
                label=_("%(person)s signed for") % {"person": person},
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", _("did not sign"))] + list(enumerate(self.organizations)),
            )
        self.style()

    def signatory_fields(self):
        return [self[f"signatory_{j}"] for j in range(len(self.people))]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") != services.CREATE:
            return cleaned
        if not (cleaned.get("title") or "").strip():
            self.add_error("title", _("Give the agreement a title."))
        parties = set(cleaned.get("parties") or [])
        for j in range(len(self.people)):
            on_behalf = cleaned.get(f"signatory_{j}")
            if on_behalf is not None and on_behalf not in parties:
                self.add_error(f"signatory_{j}", _("Tick this organization as a party, or choose another."))
        return cleaned


class KeepForm(ReviewFormMixin, forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class RowFormSet(forms.BaseFormSet):
    """A formset whose rows each get their own keyword arguments (each draft its own candidates)."""

    def __init__(self, *args, row_kwargs=(), **kwargs):
        self.row_kwargs = list(row_kwargs)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.row_kwargs):
            kwargs.update(self.row_kwargs[index])
        return kwargs


OrganizationFormSet = forms.formset_factory(OrganizationReviewForm, formset=RowFormSet, extra=0)
PersonFormSet = forms.formset_factory(PersonReviewForm, formset=RowFormSet, extra=0)
AgreementFormSet = forms.formset_factory(AgreementReviewForm, formset=RowFormSet, extra=0)
KeepFormSet = forms.formset_factory(KeepForm, formset=RowFormSet, extra=0)


class ArticleReview:
    """All the review's forms for one article, their starting values from the extraction, and the Review."""

    SECTIONS = (("organizations", _("Organizations")), ("people", _("People")), ("agreements", _("Agreements")))

    def __init__(self, article: Article, user, data=None):
        self.article, self.user = article, user
        self.drafts = drafts = selectors.drafts(article)
        bound = data is not None
        event = drafts.event
        date = selectors.draft_date(event.get("date"), article.text)
        self.event_date_hint = event.get("date") if isinstance(event.get("date"), str) and not date else ""
        events = selectors.event_choices(article, user, date)
        self.event_form = EventReviewForm(
            data,
            prefix="event",
            events=events,
            initial={
                "action": services.CREATE,
                "kind": event.get("kind") if event.get("kind") in selectors.EVENT_KINDS else Event.Kind.OTHER,
                "title": str(event.get("title") or article.title)[:300],
                "date": date,
                "place": str(event.get("place") or "")[:300],
            },
        )
        # organizations: candidates from the drafted name, exact matches linked by default
        self.org_candidates = [
            selectors.organization_candidates(o["name"], user, also_written=o["aliases"]) for o in drafts.organizations
        ]
        org_initial = []
        for draft, candidates in zip(drafts.organizations, self.org_candidates, strict=True):
            exact = next((c for c in candidates if c.is_exact), None)
            org_initial.append(
                {
                    "name": draft["name"],
                    "kind": exact.kind if exact else draft["kind"],
                    "action": services.LINK if exact else services.CREATE,
                    "link_to": exact.pk if exact else None,
                    "aliases": ", ".join(draft["aliases"]),
                }
            )
        org_names = [o["name"] for o in drafts.organizations]
        self.organizations = OrganizationFormSet(
            data,
            prefix="organizations",
            initial=None if bound else org_initial,
            row_kwargs=[{"candidates": candidates} for candidates in self.org_candidates],
        )
        # people: candidates by name, those at the matched organization first
        exact_org = [next((c for c in candidates if c.is_exact), None) for candidates in self.org_candidates]
        people_initial, people_candidates = [], []
        for person in drafts.people:
            organization = exact_org[person["organization"]] if person["organization"] is not None else None
            candidates = selectors.person_candidates(person["name"], user, organization)
            labels = {c.pk: selectors.person_label(c, organization) for c in candidates}
            people_candidates.append((candidates, labels))
            at_org = next((c for c in candidates if c.at_organization and organization is not None), None)
            people_initial.append(
                {
                    "name": person["name"],
                    "titles": "; ".join(person["titles"]),
                    "organization": person["organization"],
                    "action": services.LINK if at_org else services.CREATE,
                    "link_to": at_org.pk if at_org else None,
                }
            )
        self.people = PersonFormSet(
            data,
            prefix="people",
            initial=None if bound else people_initial,
            form_kwargs={"organizations": org_names},
            row_kwargs=[{"candidates": candidates, "labels": labels} for candidates, labels in people_candidates],
        )
        # agreements
        person_names = [p["name"] for p in drafts.people]
        agreement_initial = []
        for a in drafts.agreements:
            initial = {
                "kind": a["kind"],
                "title": _agreement_title(a["kind"], [org_names[i] for i in a["parties"]], article),
                "parties": a["parties"],
                "action": services.CREATE,
            }
            initial.update({f"signatory_{j}": org for j, org in a["signatories"].items()})
            agreement_initial.append(initial)
        self.agreements = AgreementFormSet(
            data,
            prefix="agreements",
            initial=None if bound else agreement_initial,
            form_kwargs={"organizations": org_names, "people": person_names},
        )
        with translation.override(wording.article_language(article)):
            figure_lines = [wording.figure_line(f) for f in drafts.figures]
        self.figure_texts = [str(f.get("text") or "") for f in drafts.figures]
        self.figures = KeepFormSet(
            data, prefix="figures", initial=None if bound else [{"keep": True} for _line in figure_lines]
        )
        self.industries = KeepFormSet(
            data,
            prefix="industries",
            initial=None if bound else [{"keep": True} for _name in drafts.industries],
        )
        self.figure_lines, self.industry_names = figure_lines, drafts.industries

    # --- rows for the template: each form beside its draft -----------------------------------------------

    def organization_rows(self):
        return list(zip(self.organizations.forms, self.drafts.organizations, strict=False))

    def person_rows(self):
        return list(zip(self.people.forms, self.drafts.people, strict=False))

    def figure_rows(self):
        return list(zip(self.figures.forms, self.figure_lines, strict=False))

    def industry_rows(self):
        return list(zip(self.industries.forms, self.industry_names, strict=False))

    # --- validation -------------------------------------------------------------------------------------

    def is_valid(self) -> bool:
        results = [
            self.event_form.is_valid(),
            self.organizations.is_valid(),
            self.people.is_valid(),
            self.agreements.is_valid(),
            self.figures.is_valid(),
            self.industries.is_valid(),
        ]
        return all(results) and self._rows_match()

    def _rows_match(self) -> bool:
        """A posted form must have exactly the drafts' rows (a stale page after a re-extraction does not)."""
        counts = (
            (self.organizations, len(self.drafts.organizations)),
            (self.people, len(self.drafts.people)),
            (self.agreements, len(self.drafts.agreements)),
        )
        if all(len(formset.forms) == n for formset, n in counts):
            return True
        self.stale = True
        return False

    stale = False

    def errors(self) -> list[str]:
        """Every error as "<Section>, row N: <field>: message", for the summary above the form."""
        lines = []
        if self.stale:
            lines.append(str(_("The drafts changed since this page was opened; reload it.")))
        for name, form_error in self.event_form.errors.items():
            for message in form_error:
                lines.append(f"{_('Event')}: {_field_label(self.event_form, name)}{message}")
        sections = (
            (_("Organizations"), self.organizations),
            (_("People"), self.people),
            (_("Agreements"), self.agreements),
        )
        for title, formset in sections:
            for message in formset.non_form_errors():
                lines.append(f"{title}: {message}")
            for number, form in enumerate(formset.forms, start=1):
                for name, form_error in form.errors.items():
                    for message in form_error:
                        row = _("row %(n)s") % {"n": number}
                        lines.append(f"{title}, {row}: {_field_label(form, name)}{message}")
        return lines

    def review(self) -> services.Review:
        event = self.event_form.review()
        organizations = []
        for i, form in enumerate(self.organizations.forms):
            data = form.cleaned_data
            organizations.append(
                services.OrganizationReview(
                    index=i,
                    name=data.get("name") or "",
                    kind=data["kind"],
                    action=data["action"],
                    link_to=form.candidates.get(data.get("link_to")),
                    aliases=split_aliases(data.get("aliases") or ""),
                )
            )
        people = []
        for i, form in enumerate(self.people.forms):
            data = form.cleaned_data
            titles = [t.strip() for t in (data.get("titles") or "").split(";") if t.strip()]
            people.append(
                services.PersonReview(
                    index=i,
                    name=data.get("name") or "",
                    titles=titles,
                    organization=data.get("organization"),
                    action=data["action"],
                    link_to=form.candidates.get(data.get("link_to")),
                )
            )
        agreements = []
        for i, form in enumerate(self.agreements.forms):
            data = form.cleaned_data
            signatories = {
                j: data[f"signatory_{j}"]
                for j in range(len(form.people))
                if data.get(f"signatory_{j}") is not None and people[j].action != services.DROP
            }
            agreements.append(
                services.AgreementReview(
                    index=i,
                    kind=data["kind"],
                    title=data.get("title") or "",
                    parties=[p for p in data.get("parties") or [] if organizations[p].action != services.DROP],
                    signatories=signatories,
                    action=data["action"],
                )
            )
        figures = [line for form, line in self.figure_rows() if form.cleaned_data.get("keep")]
        industries = [name for form, name in self.industry_rows() if form.cleaned_data.get("keep")]
        return services.Review(event, organizations, people, agreements, figures, industries)


def _field_label(form, name: str) -> str:
    if name == "__all__" or name not in form.fields:
        return ""
    return f"{form.fields[name].label}: "


def _agreement_title(kind: str, parties: list[str], article: Article) -> str:
    """ "Investment agreement: A, B" in the article's language (a Chinese article drafts a Chinese title)."""
    with translation.override(wording.article_language(article)):
        label = str(Agreement.Kind(kind).label)
        if not parties:
            return label
        separator = "、" if translation.get_language() == "zh-hans" else ", "
        title = translation.gettext("%(kind)s: %(parties)s") % {"kind": label, "parties": separator.join(parties)}
        return title[:300]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ArticleBatchForm(forms.Form):
    """Several articles at once: web addresses, one a line, and files."""

    park = forms.ModelChoiceField(queryset=Park.objects.none(), label=_("Park"))
    urls = forms.CharField(
        label=_("Web addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One web address a line; each page is fetched and its article read."),
    )
    files = MultipleFileField(
        label=_("Files"), required=False, help_text=_("Plain text (.txt), web pages (.html) or Word (.docx).")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        parks = Park.objects.restrict(user, Action.VIEW).filter(pk__in=_article_parks(user))
        self.fields["park"].queryset = parks
        only = list(parks[:2])
        if len(only) == 1:
            self.fields["park"].initial = only[0].pk
        for f in self.fields.values():
            style_widget(f)

    def clean_urls(self):
        from django.core.validators import URLValidator

        urls, validate = [], URLValidator(schemes=["http", "https"])
        for number, line in enumerate((self.cleaned_data.get("urls") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                validate(line)
            except forms.ValidationError as exc:
                message = _("Line %(line)d, “%(url)s”, is not a web address (http:// or https://).")
                raise forms.ValidationError(message % {"line": number, "url": line[:100]}) from exc
            urls.append(line)
        return list(dict.fromkeys(urls))

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for upload in files:
            if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
                raise forms.ValidationError(
                    _("Upload .txt, .html or .docx files; “%(name)s” is none of these.") % {"name": upload.name}
                )
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("“%(name)s” is larger than 10 MB.") % {"name": upload.name})
        return files

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("urls") and not cleaned.get("files"):
            self.add_error("urls", _("Give at least one web address or file."))
        return cleaned

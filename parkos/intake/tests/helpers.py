"""Test helpers for press intake: a sample article, a stand-in extractor for it, and review form data.

The stand-in returns what the real extractor is meant to find in the sample, so the review and accept
rules are tested on known drafts whatever the extractor's current quality.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth.models import Group

from parkos.users.models import User

ARTICLE = """Xinwu District and Blue Harbour Semiconductor sign strategic cooperation agreement

On March 18, 2026, the Xinwu District Government and Blue Harbour Semiconductor Co., Ltd. signed a strategic \
cooperation agreement at the Taihu International Conference Centre. Li Qian, Party Secretary of Xinwu District, \
and Zhang Wei, chairman of Blue Harbour Semiconductor Co., Ltd., signed the agreement on behalf of the two sides. \
Wuxi Rural Commercial Bank will provide financing.

The project has a total investment of 16 billion yuan and covers integrated circuits and new energy vehicles.
"""

ORGANIZATIONS = (
    ("Xinwu District Government", "government"),
    ("Blue Harbour Semiconductor Co., Ltd.", "enterprise"),
    ("Wuxi Rural Commercial Bank", "financial"),
)
PEOPLE = (
    ("Li Qian", ["Party Secretary of Xinwu District"], "Xinwu District Government"),
    ("Zhang Wei", ["chairman"], "Blue Harbour Semiconductor Co., Ltd."),
)


def _span(text: str, found: str) -> list[int] | None:
    start = text.find(found)
    return [start, start + len(found)] if start >= 0 else None


def stand_in_extract(text: str, *, source: str = "", **kwargs) -> dict:
    """What the extractor should draft from ARTICLE (and only what of it appears in ``text``)."""
    organizations = [
        {"name": name, "kind": kind, "span": _span(text, name)} for name, kind in ORGANIZATIONS if name in text
    ]
    people = [
        {"name": name, "titles": titles, "organization": org, "span": _span(text, name)}
        for name, titles, org in PEOPLE
        if name in text
    ]
    names = {o["name"] for o in organizations}
    agreements = []
    if {"Xinwu District Government", "Blue Harbour Semiconductor Co., Ltd."} <= names:
        agreements.append(
            {
                "kind": "strategic",
                "parties": ["Xinwu District Government", "Blue Harbour Semiconductor Co., Ltd."],
                "signatories": [{"person": name, "on_behalf_of": org} for name, _titles, org in PEOPLE if name in text],
            }
        )
    figures = []
    if "16 billion yuan" in text:
        figures.append(
            {
                "kind": "money",
                "value": 16000000000,
                "unit": "CNY",
                "of": None,
                "text": "16 billion yuan",
                "span": _span(text, "16 billion yuan"),
            }
        )
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return {
        "source": source or first_line,
        "language": "en",
        "event": {
            "kind": "signing" if "sign" in text else "other",
            "date": "2026-03-18" if "March 18, 2026" in text else None,
            "title": first_line or None,
        },
        "organizations": organizations,
        "people": people,
        "bylines": [],
        "agreements": agreements,
        "figures": figures,
        "industries": [i for i in ("integrated circuits", "new energy vehicles") if i in text],
    }


@contextmanager
def stand_in(extractor=stand_in_extract):
    """Patch the extractor the app calls (parkos.intake.services.extract) with ``extractor``."""
    with mock.patch("parkos.intake.services.extract", side_effect=extractor) as patched:
        yield patched


def staff_user(world, name: str = "officer", *, side: str = "in", role: str = "investment_staff") -> User:
    user = User.objects.create_user(username=name, password="x-long-password-1")
    user.groups.add(Group.objects.get(name=role))
    if role in ("government_partner", "enterprise_user"):
        user.organizations.add(world.org[side])
    else:
        user.parks.add(world.park[side])
    return user


def make_article(world, side: str = "in", text: str = ARTICLE, **extra):
    from parkos.intake.models import Article

    extraction = extra.pop("extraction", None)
    return Article.objects.create(
        park=world.park[side],
        title=extra.pop("title", text.strip().splitlines()[0][:300]),
        language="en",
        text=text,
        extraction=stand_in_extract(text) if extraction is None else extraction,
        **extra,
    )


def _value(field, value):
    from django import forms

    if value is None:
        return None
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def review_data(article, user, **changes) -> dict:
    """The review page's POST as a person who changes nothing would send it; ``changes`` override fields.

    Keys as in the page: "event-title", "people-1-name", "agreements-0-parties", ...
    """
    from parkos.intake.forms import ArticleReview

    review = ArticleReview(article, user)
    data = {}
    formsets = (review.organizations, review.people, review.agreements, review.figures, review.industries)
    for formset in formsets:
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
    for form in (review.event_form, *(f for formset in formsets for f in formset.forms)):
        for name, field in form.fields.items():
            value = _value(field, form.initial.get(name, field.initial))
            if value is not None:
                data[form.add_prefix(name)] = value
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data

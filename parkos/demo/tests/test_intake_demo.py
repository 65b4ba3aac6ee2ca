"""The demo's press intake: two drafted articles about the demo's own organizations, waiting for review."""

import pytest
from django.contrib.auth import get_user_model

from parkos.demo.generator import load_demo
from parkos.intake.models import Article


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_two_articles_wait_for_review_in_the_investment_accounts_park():
    counts = load_demo(scale=0.02)
    assert counts["articles"] == 2
    investment = get_user_model().objects.get(username="investment")
    articles = Article.objects.restrict(investment)
    assert {a.language for a in articles} == {"en", "zh"}
    assert all(a.status == Article.Status.DRAFTED for a in articles)
    english = articles.get(language="en")
    found = {o["name"] for o in english.extraction["organizations"]}
    # the enterprise and the district government are already in the directory: the gazetteer finds them as named
    known = {
        name
        for name in found
        if Article.objects.model._meta.apps.get_model("directory", "Organization").objects.filter(name_en=name).exists()
    }
    assert len(known) >= 2, found
    assert "Harbour Light Photonics Co., Ltd." in found
    [agreement, *_] = english.extraction["agreements"]
    assert agreement["kind"] == "investment" and len(agreement["signatories"]) == 2

"""Scheme, indicator, unit, cohort, category and veto names in zh-Hans and English (issue 13)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.test import Client, TestCase
from django.utils import translation

from parkos.evaluation.engine import fingerprint
from parkos.evaluation.models import EvaluationResult
from parkos.evaluation.scheme import Scheme, default_schemes
from parkos.evaluation.services import run_evaluation
from parkos.evaluation.tests import test_services
from parkos.evaluation.views import grade_boundaries


def _items(scheme: Scheme) -> list:
    return [*scheme.indicators, *scheme.cohorts, *scheme.not_graded, *scheme.vetoes, *scheme.adjustments]


def test_every_default_name_has_both_languages():
    for scheme in default_schemes().values():
        assert scheme.name and scheme.name_zh
        for item in _items(scheme):
            assert item.label and item.label_zh, item.key
        for indicator in scheme.indicators:
            assert indicator.unit and indicator.unit_zh, indicator.key


def test_names_follow_the_active_language():
    scheme = default_schemes()["zhejiang_above_threshold"]
    tax = next(i for i in scheme.indicators if i.key == "tax_per_mu")
    with translation.override("zh-hans"):
        assert (tax.display_label, tax.display_unit) == ("亩均税收", "万元/亩")
        assert scheme.labels()["new_land"] == "取得土地未满三年"
        assert scheme.labels()["major_incident"] == "发生重大安全或环境事故"
        assert scheme.display_name.startswith("规上")
    with translation.override("en"):
        assert (tax.display_label, tax.display_unit) == ("Tax per mu", "10,000 CNY/mu")
        assert scheme.labels()["above_threshold"] == "Above the size threshold"


def test_a_scheme_without_chinese_names_shows_its_own_and_keeps_its_text():
    data = default_schemes()["zhejiang_below_threshold"].to_dict()
    data.pop("name_zh")
    data.pop("description_zh")
    for indicator in data["indicators"]:
        indicator.pop("label_zh")
        indicator.pop("unit_zh")
    scheme = Scheme.from_dict(data)
    assert "label_zh" not in scheme.to_json().split('"indicators"')[1].split('"key"')[0]
    with translation.override("zh-hans"):
        assert scheme.indicators[0].display_label == "Tax per mu"
        assert scheme.display_name == scheme.name
    assert Scheme.from_json(scheme.to_json()) == scheme


def test_translations_do_not_change_the_fingerprint():
    scheme = default_schemes()["zhejiang_above_threshold"]
    renamed = dataclasses.replace(
        scheme,
        name_zh="另一个名称",
        indicators=[dataclasses.replace(i, label_zh="改名", unit_zh="元") for i in scheme.indicators],
    )
    assert renamed.scoring_json() == scheme.scoring_json()
    assert "label_zh" not in scheme.scoring_json() and "label_zh" in scheme.to_json()
    changed = dataclasses.replace(scheme, indicators=[dataclasses.replace(scheme.indicators[0], weight=31)])
    assert changed.scoring_json() != scheme.scoring_json()


def test_grade_boundaries_without_a_cohort_size_give_the_shares():
    scheme = default_schemes()["zhejiang_above_threshold"]
    rows = grade_boundaries(scheme, None)
    assert [r["share_percent"] for r in rows] == [25.0, 70.0, 95.0, None]
    sized = grade_boundaries(scheme, 20)
    assert [r["last_rank"] for r in sized] == [5, 14, 19, None]


def test_fingerprint_reads_the_scoring_json():
    scheme = default_schemes()["zhejiang_below_threshold"]
    from parkos.evaluation.tests.test_default_schemes_unchanged import fixed_filings

    filings = fixed_filings(20)
    renamed = dataclasses.replace(scheme, name_zh="别的名字")
    assert fingerprint(filings, renamed) == fingerprint(filings, scheme)


class ResultPageWordsTests(TestCase):
    """A vetoed enterprise's result page in zh-Hans: labels, not the scheme's keys; boundaries that say something."""

    setUpTestData = classmethod(test_services.RunTests.setUpTestData.__func__)  # type: ignore[attr-defined]

    def test_codes_are_shown_by_their_labels(self):
        from parkos.core.tests.test_words_in_pages import visible_text

        run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        vetoed = EvaluationResult.objects.get(run=run, organization=self.orgs[5])
        self.assertEqual((vetoed.status, vetoed.reason), ("vetoed", "major_incident"))
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)  # the client leaves zh-Hans active
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(self.world.users["operator_admin"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        text = visible_text(client.get(vetoed.get_absolute_url()).content.decode())
        for code in ("major_incident", "above_threshold", "Tax per mu", "10,000 CNY/mu"):
            self.assertNotIn(code, text)
        for label in ("发生重大安全或环境事故", "规模以上企业", "亩均税收", "万元/亩"):
            self.assertIn(label, text)
        self.assertLessEqual(text.count("其余"), 1)

"""Eligibility rules: checked on save with the rule at fault named, and read as sentences."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from parkos.directory.models import Organization
from parkos.policies import rules
from parkos.policies.models import Policy


class ValidateTests(SimpleTestCase):
    def assert_refused(self, tree, *words: str) -> None:
        with self.assertRaises(rules.RuleError) as caught, translation.override("en"):
            rules.validate(tree)
        for word in words:
            self.assertIn(word, str(caught.exception))

    def test_the_example_and_an_empty_tree_are_accepted(self):
        rules.validate(rules.EXAMPLE)
        rules.validate({})
        rules.validate(None)

    def test_an_unknown_attribute_is_named_with_its_rule(self):
        self.assert_refused(
            {"all": [{"field": "rd_ratio", "at_least": 3}, {"field": "shoe_size", "at_least": 1}]},
            "rule 2",
            "shoe_size",
            "rd_ratio",
        )

    def test_a_test_the_attribute_does_not_take_is_refused(self):
        self.assert_refused({"all": [{"field": "high_tech", "at_least": 1}]}, "rule 1", "high_tech", "is")
        self.assert_refused({"all": [{"field": "revenue", "prefix": ["1"]}]}, "rule 1", "revenue")

    def test_values_of_the_wrong_kind_are_refused(self):
        self.assert_refused({"all": [{"field": "employees", "one_of": ["many"]}]}, "rule 1", "number")
        self.assert_refused({"all": [{"field": "grade", "equals": 1}]}, "rule 1", "text")
        self.assert_refused({"all": [{"field": "rd_ratio", "at_least": "3"}]}, "rule 1", "at_least")

    def test_malformed_trees_are_refused(self):
        self.assert_refused([1, 2], "object")
        self.assert_refused({"all": [{"field": "rd_ratio"}]}, "rule 1")
        self.assert_refused({"all": [{"any": []}]}, "rule 1")
        self.assert_refused({"all": [{"years_since": "founded_year", "at_least": 3}]}, "years_since_founding")

    def test_a_nested_rule_is_checked_inside(self):
        self.assert_refused(
            {"all": [{"field": "rd_ratio", "at_least": 3}, {"any": [{"field": "srdi", "is": True}, {"field": "x"}]}]},
            "rule 2",
        )

    def test_compound_rules_count_as_one(self):
        tree = {"all": [{"any": [{"field": "srdi", "is": True}, {"field": "little_giant", "is": True}]}]}
        self.assertEqual(len(rules.rules_of(tree)), 1)
        self.assertEqual(rules.fields_of(rules.rules_of(tree)[0]), ["srdi", "little_giant"])
        self.assertEqual(rules.rules_of({"field": "srdi", "is": True}), [{"field": "srdi", "is": True}])


class ReadingTests(SimpleTestCase):
    def test_rules_read_as_sentences_with_units(self):
        with translation.override("en"):
            self.assertEqual(rules.describe({"field": "rd_ratio", "at_least": 3}), "R&D ratio at least 3.00%")
            self.assertEqual(rules.describe({"field": "years_in_park", "below": 2}), "years in the park below 2 years")
            self.assertIn("CNY 20,000,000.00", rules.describe({"field": "revenue", "at_least": 20_000_000}))
        with translation.override("zh-hans"):
            self.assertEqual(
                rules.describe({"field": "revenue", "at_least": 20_000_000}), "营业收入 不低于 2,000.00 万元"
            )
            self.assertEqual(rules.format_value("tax_per_mu", Decimal(150_000)), "15.00 万元/亩")
            self.assertEqual(rules.format_value("rd_ratio", None), "无数据")

    def test_a_missing_value_reads_no_value(self):
        with translation.override("en"):
            self.assertEqual(rules.format_value("rd_ratio", None), "no value")
            self.assertEqual(rules.format_value("high_tech", None), "no value")
            self.assertEqual(rules.format_value("high_tech", False), "no")


class PolicyCleanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issuer = Organization.objects.create(name="区经委", kind=Organization.Kind.GOVERNMENT)

    def test_a_policy_with_a_bad_rule_is_not_saved_and_the_error_sits_on_eligibility(self):
        policy = Policy(
            issuer=self.issuer,
            name="绿色工厂奖励",
            aspect="green",
            eligibility={"all": [{"field": "green_factory", "is": True}, {"field": "tax_per_mu", "at_least": "lots"}]},
        )
        with self.assertRaises(ValidationError) as caught, translation.override("en"):
            policy.full_clean()
        self.assertIn("rule 2", " ".join(caught.exception.message_dict["eligibility"]))

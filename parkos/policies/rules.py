"""Eligibility rules: what a policy asks of an enterprise, as a condition tree in the evaluation schemes' language.

A policy's ``eligibility`` is ``{"all": [rule, rule, ...]}``. Each rule is a node of
``parkos.evaluation.scheme.validate_condition``: a leaf ``{"field": attribute, test: value}`` (tests:
``is``, ``equals``, ``one_of``, ``prefix``, ``at_least``, ``below``), or an ``any`` / ``all`` / ``not`` of
leaves, which counts as one rule. Fields are the attributes in ``ATTRIBUTES`` (and docs/policies.md);
money in CNY yuan, as filings carry it; ratios in percent. A rule on an attribute the enterprise has no
value for fails, and its miss reads "no value". Nothing runs code from a rule: the tree is compiled to
Polars expressions (``parkos.evaluation.engine.condition``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkos.core.units import format_decimal, format_money
from parkos.evaluation.scheme import SchemeError, validate_condition

NUMBER, TEXT, FLAG = "number", "text", "flag"


@dataclass(frozen=True)
class Attribute:
    """One attribute of an enterprise a rule may read."""

    key: str
    label: Any  # a lazy translation
    kind: str  # NUMBER | TEXT | FLAG
    unit: str = ""  # "yuan", "percent", "years", "mu", "people", "yuan_per_mu" or ""
    help: Any = ""

    @property
    def tests(self) -> tuple[str, ...]:
        if self.kind == NUMBER:
            return ("at_least", "below", "equals", "one_of")
        if self.kind == FLAG:
            return ("is",)
        return ("equals", "one_of", "prefix")


#: every attribute a rule may read, in the order the form lists them
ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "industry",
        gettext_lazy("industry (GB/T 4754 code)"),
        TEXT,
        help=gettext_lazy("The national class, or the park's own code where it has none; prefix C39 covers C3911."),
    ),
    Attribute(
        "industry_code",
        gettext_lazy("industry (park code)"),
        TEXT,
        help=gettext_lazy("The park's own industry code; prefix IC covers IC-DES."),
    ),
    Attribute(
        "ownership",
        gettext_lazy("ownership"),
        TEXT,
        help=gettext_lazy("state_owned, private, foreign_invested or joint."),
    ),
    Attribute("district", gettext_lazy("district"), TEXT),
    Attribute("employees", gettext_lazy("employees"), NUMBER, "people", gettext_lazy("From the latest filing.")),
    Attribute("revenue", gettext_lazy("revenue"), NUMBER, "yuan", gettext_lazy("From the latest filing, in yuan.")),
    Attribute("tax", gettext_lazy("tax paid"), NUMBER, "yuan", gettext_lazy("From the latest filing, in yuan.")),
    Attribute(
        "rd_expenditure", gettext_lazy("R&D spending"), NUMBER, "yuan", gettext_lazy("From the latest filing, in yuan.")
    ),
    Attribute("rd_ratio", gettext_lazy("R&D ratio"), NUMBER, "percent", gettext_lazy("R&D spending / revenue, in %.")),
    Attribute("value_added", gettext_lazy("value added"), NUMBER, "yuan", gettext_lazy("From the latest filing.")),
    Attribute(
        "industrial_output", gettext_lazy("industrial output"), NUMBER, "yuan", gettext_lazy("From the latest filing.")
    ),
    Attribute("land_mu", gettext_lazy("land used"), NUMBER, "mu", gettext_lazy("From the latest filing, in mu.")),
    Attribute(
        "tax_per_mu", gettext_lazy("tax per mu"), NUMBER, "yuan_per_mu", gettext_lazy("Tax / land used, yuan per mu.")
    ),
    Attribute("filing_year", gettext_lazy("year of the latest filing"), NUMBER),
    Attribute(
        "years_since_founding",
        gettext_lazy("years since founding"),
        NUMBER,
        "years",
        gettext_lazy("Whole years from the founding date to the day."),
    ),
    Attribute(
        "years_in_park",
        gettext_lazy("years in the park"),
        NUMBER,
        "years",
        gettext_lazy("Whole years since the first lease, land grant or filing, whichever came first."),
    ),
    Attribute(
        "grade",
        gettext_lazy("evaluation grade"),
        TEXT,
        help=gettext_lazy("The grade in the enterprise's latest finished evaluation run (A, B, C, D)."),
    ),
    Attribute(
        "major_incident",
        gettext_lazy("major incident"),
        FLAG,
        help=gettext_lazy("A major safety or environmental incident in the latest filing; ask for false."),
    ),
    Attribute("above_size_threshold", gettext_lazy("above the statistical size threshold"), FLAG),
    Attribute("is_listed", gettext_lazy("listed"), FLAG),
    Attribute(
        "high_tech", gettext_lazy("high-tech enterprise certificate"), FLAG, help=gettext_lazy("Valid on the day.")
    ),
    Attribute("srdi", gettext_lazy("SRDI (专精特新) certificate"), FLAG, help=gettext_lazy("Valid on the day.")),
    Attribute(
        "little_giant", gettext_lazy("SRDI little giant certificate"), FLAG, help=gettext_lazy("Valid on the day.")
    ),
    Attribute(
        "tech_sme", gettext_lazy("technology-based SME certificate"), FLAG, help=gettext_lazy("Valid on the day.")
    ),
    Attribute(
        "tech_center",
        gettext_lazy("enterprise technology centre certificate"),
        FLAG,
        help=gettext_lazy("Valid on the day."),
    ),
    Attribute("green_factory", gettext_lazy("green factory certificate"), FLAG, help=gettext_lazy("Valid on the day.")),
)
ATTRIBUTES_BY_KEY: dict[str, Attribute] = {a.key: a for a in ATTRIBUTES}
#: the certification kinds read as flags (Certification.Kind values)
CERTIFICATION_FLAGS = ("high_tech", "srdi", "little_giant", "tech_sme", "tech_center", "green_factory")

EXAMPLE = {
    "all": [
        {"field": "rd_ratio", "at_least": 3},
        {"field": "years_in_park", "at_least": 1},
        {"field": "high_tech", "is": True},
        {"field": "major_incident", "is": False},
    ]
}


def rules_of(eligibility: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The rules of an eligibility tree, each counted (and missed) on its own: the children of a top "all"."""
    if not eligibility:
        return []
    if set(eligibility) == {"all"} and isinstance(eligibility["all"], list):
        return list(eligibility["all"])
    return [eligibility]


def fields_of(rule: dict[str, Any]) -> list[str]:
    """The attributes a rule reads, in order."""
    if "field" in rule:
        return [rule["field"]]
    out: list[str] = []
    for key in ("all", "any"):
        for child in rule.get(key, []):
            out += [f for f in fields_of(child) if f not in out]
    if "not" in rule:
        out += [f for f in fields_of(rule["not"]) if f not in out]
    return out


class RuleError(ValueError):
    """An eligibility tree that cannot be used; the message names the rule at fault."""


def validate(eligibility: Any) -> None:
    """Check an eligibility tree; RuleError names the rule (1-based, as the form shows them) at fault."""
    if eligibility in (None, {}):
        return
    if not isinstance(eligibility, dict):
        raise RuleError(_('Eligibility must be an object such as {"all": [rule, ...]}.'))
    for i, rule in enumerate(rules_of(eligibility), start=1):
        where = _("rule %(n)d") % {"n": i}
        try:
            validate_condition(rule, where)
        except SchemeError as exc:
            raise RuleError(str(exc)) from exc
        _check_leaves(rule, where)


def _check_leaves(node: dict[str, Any], where: str) -> None:
    for key in ("all", "any"):
        for child in node.get(key, []):
            _check_leaves(child, where)
    if "not" in node:
        _check_leaves(node["not"], where)
    if "years_since" in node:
        raise RuleError(
            _("%(where)s: use the attribute years_since_founding or years_in_park instead of years_since.")
            % {"where": where}
        )
    if "field" not in node:
        return
    attribute = ATTRIBUTES_BY_KEY.get(node["field"])
    if attribute is None:
        raise RuleError(
            _("%(where)s: unknown attribute %(field)r; use one of %(known)s.")
            % {"where": where, "field": node["field"], "known": ", ".join(ATTRIBUTES_BY_KEY)}
        )
    for test in set(node) - {"field"}:
        if test not in attribute.tests:
            raise RuleError(
                _("%(where)s: %(field)s takes %(tests)s, not %(test)s.")
                % {"where": where, "field": attribute.key, "tests": ", ".join(attribute.tests), "test": test}
            )
        value = node[test]
        values = value if isinstance(value, list) else [value]
        if (
            attribute.kind == NUMBER
            and test in ("equals", "one_of")
            and not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        ):
            raise RuleError(
                _("%(where)s: %(field)s is a number; compare it with numbers.")
                % {"where": where, "field": attribute.key}
            )
        if attribute.kind == TEXT and not all(isinstance(v, str) for v in values):
            raise RuleError(
                _("%(where)s: %(field)s is a text; compare it with texts.") % {"where": where, "field": attribute.key}
            )


# -- reading rules -----------------------------------------------------------------------------


def format_value(key: str, value: Any) -> str:
    """An attribute's value as a reader sees it: money in 万元, ratios in %, flags yes / no; "no value" when missing."""
    if value is None:
        return _("no value")
    attribute = ATTRIBUTES_BY_KEY.get(key)
    unit = attribute.unit if attribute else ""
    kind = attribute.kind if attribute else TEXT
    if kind == FLAG:
        return _("yes") if value else _("no")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    number = Decimal(str(value))
    if unit in ("yuan", "yuan_per_mu"):
        text = format_money(number, "CNY")
        return text + (_("/mu") if unit == "yuan_per_mu" else "")
    if unit == "percent":
        return f"{number_format(round(number, 2), 2)}%"
    if unit == "years":
        return _("%(n)s years") % {"n": _plain(number)}
    if unit == "mu":
        return _("%(n)s mu") % {"n": number_format(round(number, 2), 2, use_l10n=True)}
    if unit == "people":
        return _("%(n)s people") % {"n": _plain(number)}
    if number == number.to_integral_value():
        return str(number.to_integral_value())  # a year
    return _plain(number)


def _plain(number: Decimal) -> str:
    """A whole number as such (12,000), otherwise with two decimals (2.50)."""
    if number == number.to_integral_value():
        return format_decimal(number.to_integral_value(), 0)
    return format_decimal(round(number, 2), 2)


def describe(rule: dict[str, Any]) -> str:
    """A rule as a sentence in the user's language: "R&D ratio at least 3.00%"."""
    if "all" in rule:
        return _(" and ").join(describe(child) for child in rule["all"])
    if "any" in rule:
        return "(" + _(" or ").join(describe(child) for child in rule["any"]) + ")"
    if "not" in rule:
        return _("not (%(rule)s)") % {"rule": describe(rule["not"])}
    key = rule.get("field", "")
    attribute = ATTRIBUTES_BY_KEY.get(key)
    label = str(attribute.label) if attribute else key
    parts = [needed(rule)]
    return f"{label} {' '.join(parts)}"


def needed(rule: dict[str, Any]) -> str:
    """What a leaf asks for, without the attribute's name ("at least 3.00%")."""
    if "field" not in rule:
        return describe(rule)
    key = rule["field"]
    parts = []
    if "is" in rule:
        parts.append(_("is yes") if rule["is"] else _("is no"))
    if "equals" in rule:
        parts.append(_("is %(value)s") % {"value": format_value(key, rule["equals"])})
    if "one_of" in rule:
        parts.append(_("is one of %(values)s") % {"values": "、".join(format_value(key, v) for v in rule["one_of"])})
    if "prefix" in rule:
        parts.append(_("starts with %(values)s") % {"values": "、".join(str(v) for v in rule["prefix"])})
    if "at_least" in rule:
        parts.append(_("at least %(value)s") % {"value": format_value(key, rule["at_least"])})
    if "below" in rule:
        parts.append(_("below %(value)s") % {"value": format_value(key, rule["below"])})
    return _(", ").join(parts)

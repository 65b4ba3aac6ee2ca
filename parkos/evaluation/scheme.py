"""Evaluation schemes as data: indicators, cohorts, grades, vetoes and bonus points, read from and written to JSON.

A scheme says how one year's indicator filings become scores and grades (the per-mu efficiency
evaluation of Zhejiang, Jiangsu and Shanghai districts); parkos.evaluation.engine applies it.
Nothing here runs code from the scheme: indicator and adjustment expressions go through a small
whitelist parser (numbers, filing field names, + - * / and parentheses) and are compiled to
Polars expressions.

Field names and units (one filing per enterprise and year; money in CNY yuan):

- revenue, industrial_output, value_added, tax, rd_expenditure (CNY)
- employees (average headcount), energy_tce (tonnes of standard coal equivalent),
  electricity_kwh (kWh), emissions_t (main pollutants, tonnes)
- land_mu (land used, mu; for tenants the apportioned share), floor_area_m2 (m²)

Conditions (cohorts, categories, vetoes) may also read: industry (a GB/T 4754 code such as
"C3311"), above_size_threshold (bool), founded_year, land_year and year (int), and any boolean
flag column the filings carry (e.g. major_incident, is_tenant). A condition tree (`when`, see
Condition) may read any column, and production_start (a date; the founding date stands in for a
missing one, and the result says so).

Options added after the first schemes (issue 19: boolean cohorts, ranking within an area,
previous-year benchmarks, small-cohort rules per cohort, categories not evaluated) are left out of
the JSON while they keep their defaults, so a scheme that does not use them keeps its text and its
fingerprint.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
from django.utils.translation import gettext as _

#: numeric filing fields an indicator or adjustment expression may use
FILING_FIELDS = (
    "revenue",
    "industrial_output",
    "value_added",
    "tax",
    "rd_expenditure",
    "employees",
    "energy_tce",
    "electricity_kwh",
    "emissions_t",
    "land_mu",
    "floor_area_m2",
)
ID_FIELD = "credit_code"


class SinceField(StrEnum):
    """What a category's "years since" counts from: the organisation's founding, the land grant (whole
    calendar years: year - founded_year) or the start of production (a date, counted to 31 December of
    the evaluated year; the founding date stands in when none is filed)."""

    FOUNDED_YEAR = "founded_year"
    LAND_YEAR = "land_year"
    PRODUCTION_START = "production_start"


#: the date columns production_start reads: the filed date, and the founding date standing in for it
PRODUCTION_START = "production_start"
FOUNDED = "founded"


class BenchmarkBasis(StrEnum):
    """Whose figures a cohort statistic is taken over: this year's, the previous year's filings scored
    under this scheme's cohorts, or the previous year's published (latest finished) run of this scheme."""

    CURRENT_YEAR = "current_year"
    PREVIOUS_YEAR_FILINGS = "previous_year_filings"
    PREVIOUS_YEAR_RUN = "previous_year_run"


class NoPrevious(StrEnum):
    """What a previous-year benchmark does when its cohort has no figures for the previous year."""

    ERROR = "error"
    CURRENT_YEAR = "current_year"


class BenchmarkScope(StrEnum):
    """When ranking within an area: cohort statistics per area, or over the cohort in the whole run."""

    AREA = "area"
    RUN = "run"


class CohortOverlap(StrEnum):
    """An enterprise matching several cohorts: the first (by priority, then order) wins, or the run is refused."""

    FIRST_MATCH = "first_match"
    REFUSE = "refuse"


class SmallCohortMethod(StrEnum):
    """How a cohort too small to rank is graded."""

    GRADE_WITH = "grade_with"
    SCORE_BANDS = "score_bands"
    FIXED_GRADE = "fixed_grade"
    NOT_GRADED = "not_graded"


class BenchmarkKind(StrEnum):
    FIXED = "fixed"
    MEAN = "mean"
    MEDIAN = "median"
    PERCENTILE = "percentile"
    MIN = "min"
    MAX = "max"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Rule(StrEnum):
    RATIO = "ratio"
    LINEAR = "linear"


class MissingPolicy(StrEnum):
    ZERO = "zero"
    COHORT_MEAN = "cohort_mean"
    DROP = "drop"


class GradingMethod(StrEnum):
    SHARE = "share"
    SCORE = "score"


_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class SchemeError(ValueError):
    """A scheme that cannot be used; the message names the part of the scheme at fault."""


#: display-only fields: a zh-Hans form beside each English name, label and unit. They change no score, so
#: the fingerprint leaves them out (Scheme.scoring_json) and naming a scheme in Chinese keeps its fingerprint.
TRANSLATED_FIELDS = frozenset({"name_zh", "label_zh", "unit_zh", "description_zh"})


def localized(item: object, name: str) -> str:
    """``item.<name>`` in the active language: ``<name>_zh`` under zh-Hans when it is set, else ``<name>``."""
    from django.utils.translation import get_language

    value = str(getattr(item, name, "") or "")
    if (get_language() or "").lower().startswith("zh"):
        return str(getattr(item, f"{name}_zh", "") or "") or value
    return value


def _without_translations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_translations(v) for k, v in value.items() if k not in TRANSLATED_FIELDS}
    if isinstance(value, list):
        return [_without_translations(item) for item in value]
    return value


class _Labelled:
    """``display_label``: the label in the user's language (``label_zh`` under zh-Hans when set)."""

    @property
    def display_label(self) -> str:
        return localized(self, "label")


# -- expressions ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/()]))"
)


@dataclass(frozen=True)
class Expression:
    """A parsed arithmetic expression over filing fields: `tax / 10000 / land_mu`.

    The tree is tuples: ("num", float), ("field", name), ("neg", node), (op, left, right).
    Division by zero (or by a missing value) gives a missing value, never an infinity: a filing
    with land_mu = 0 has no per-mu figures.
    """

    source: str
    tree: tuple

    @classmethod
    def parse(cls, source: str, *, where: str, allowed: Iterable[str] = FILING_FIELDS) -> Expression:
        allowed = set(allowed)
        if not isinstance(source, str) or not source.strip():
            raise SchemeError(_("%(where)s: the expression is empty.") % {"where": where})
        tokens = []
        pos = 0
        text = source.rstrip()
        while pos < len(text):
            match = _TOKEN_RE.match(text, pos)
            if not match:
                raise SchemeError(
                    _(
                        "%(where)s: unexpected character %(char)r at position %(pos)d in %(source)r;"
                        " use numbers, field names, + - * / and parentheses."
                    )
                    % {"where": where, "char": text[pos:].lstrip()[:1], "pos": pos + 1, "source": source}
                )
            kind = match.lastgroup
            tokens.append((kind, match.group(kind), match.start(kind) + 1))
            pos = match.end()
        parser = _Parser(tokens, source, where, allowed)
        tree = parser.expression()
        if parser.i < len(tokens):
            _kind, value, at = tokens[parser.i]
            raise SchemeError(
                _("%(where)s: unexpected %(token)r at position %(pos)d in %(source)r.")
                % {"where": where, "token": value, "pos": at, "source": source}
            )
        return cls(source=source, tree=tree)

    @property
    def fields(self) -> set[str]:
        found: set[str] = set()

        def walk(node):
            if node[0] == "field":
                found.add(node[1])
            elif node[0] != "num":
                for child in node[1:]:
                    walk(child)

        walk(self.tree)
        return found

    def to_polars(self) -> pl.Expr:
        def build(node) -> pl.Expr:
            kind = node[0]
            if kind == "num":
                return pl.lit(node[1], dtype=pl.Float64)
            if kind == "field":
                return pl.col(node[1]).cast(pl.Float64)
            if kind == "neg":
                return -build(node[1])
            left, right = build(node[1]), build(node[2])
            if kind == "+":
                return left + right
            if kind == "-":
                return left - right
            if kind == "*":
                return left * right
            return pl.when(right == 0).then(None).otherwise(left / right)

        return build(self.tree)


class _Parser:
    """Recursive descent: expression := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
    factor := ('-'|'+') factor | number | name | '(' expression ')'."""

    def __init__(self, tokens, source, where, allowed):
        self.tokens, self.source, self.where, self.allowed, self.i = tokens, source, where, allowed, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def expression(self):
        node = self.term()
        while (token := self.peek()) and token[1] in "+-" and token[0] == "op":
            self.i += 1
            node = (token[1], node, self.term())
        return node

    def term(self):
        node = self.factor()
        while (token := self.peek()) and token[1] in "*/" and token[0] == "op":
            self.i += 1
            node = (token[1], node, self.factor())
        return node

    def factor(self):
        token = self.peek()
        if token is None:
            raise SchemeError(
                _("%(where)s: %(source)r ends where a number, a field name or '(' is expected.")
                % {"where": self.where, "source": self.source}
            )
        kind, value, at = token
        self.i += 1
        if kind == "op" and value in "+-":
            operand = self.factor()
            return ("neg", operand) if value == "-" else operand
        if kind == "number":
            return ("num", float(value))
        if kind == "name":
            if value not in self.allowed:
                raise SchemeError(
                    _("%(where)s: unknown field %(name)r in %(source)r; known fields: %(known)s.")
                    % {
                        "where": self.where,
                        "name": value,
                        "source": self.source,
                        "known": ", ".join(sorted(self.allowed)),
                    }
                )
            return ("field", value)
        if value == "(":
            node = self.expression()
            closing = self.peek()
            if closing is None or closing[1] != ")":
                raise SchemeError(
                    _("%(where)s: missing ')' for the '(' at position %(pos)d in %(source)r.")
                    % {"where": self.where, "pos": at, "source": self.source}
                )
            self.i += 1
            return node
        raise SchemeError(
            _("%(where)s: unexpected %(token)r at position %(pos)d in %(source)r.")
            % {"where": self.where, "token": value, "pos": at, "source": self.source}
        )


# -- the scheme -------------------------------------------------------------------------------


def _check_key(key: Any, where: str) -> None:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise SchemeError(
            _("%(where)s: key %(key)r must be lower-case letters, digits and underscores, starting with a letter.")
            % {"where": where, "key": key}
        )


def _check_choice(value: Any, choices: type[StrEnum], where: str, name: str) -> None:
    if value not in [choice.value for choice in choices]:
        raise SchemeError(
            _("%(where)s: %(name)s is %(value)r; choose one of %(choices)s.")
            % {"where": where, "name": name, "value": value, "choices": ", ".join(choices)}
        )


def _as_choice(item: object, name: str, choices: type[StrEnum]) -> None:
    """Turn a known JSON string into its enum member (an unknown one is left for validate() to name)."""
    value = getattr(item, name)
    if not isinstance(value, choices) and value in [choice.value for choice in choices]:
        object.__setattr__(item, name, choices(value))


def _check_number(value: Any, where: str, name: str, *, positive: bool = False, optional: bool = True) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or (positive and value <= 0):
        raise SchemeError(
            _("%(where)s: %(name)s must be a %(kind)snumber, not %(value)r.")
            % {"where": where, "name": name, "kind": _("positive ") if positive else "", "value": value}
        )


def _check_column(name: Any, where: str, what: str) -> None:
    if not isinstance(name, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
        raise SchemeError(
            _("%(where)s: %(what)s %(name)r is not a column name.") % {"where": where, "what": what, "name": name}
        )


# -- condition trees --------------------------------------------------------------------------

#: the tests a leaf of a condition tree may make
LEAF_TESTS = ("is", "equals", "one_of", "prefix", "at_least", "below")


def validate_condition(tree: Any, where: str) -> None:
    """Check a condition tree (see Condition); SchemeError names the node at fault.

    A node is {"all": [nodes]}, {"any": [nodes]}, {"not": node}, or a leaf: {"field": column, test}
    or {"years_since": founded_year | land_year | production_start, "below" and/or "at_least": N}.
    Tests: "is" (true or false; a missing flag counts as false), "equals" (a string or number),
    "one_of" (a list of them), "prefix" (a list of code prefixes, e.g. industries), "at_least" and
    "below" (numbers; both may be given for a range). A leaf on a missing value is false.
    """
    if not isinstance(tree, dict) or not tree:
        raise SchemeError(_("%(where)s: a condition must be an object.") % {"where": where})
    branches = [key for key in ("all", "any", "not") if key in tree]
    if branches:
        if len(tree) != 1:
            raise SchemeError(
                _("%(where)s: give one of all, any or not per condition object, alone.") % {"where": where}
            )
        key = branches[0]
        if key == "not":
            validate_condition(tree["not"], f"{where}.not")
            return
        children = tree[key]
        if not isinstance(children, list) or not children:
            raise SchemeError(_("%(where)s: %(key)s needs a list of conditions.") % {"where": where, "key": key})
        for i, child in enumerate(children):
            validate_condition(child, f"{where}.{key}[{i}]")
        return
    subject = [key for key in ("field", "years_since") if key in tree]
    if len(subject) != 1:
        raise SchemeError(
            _("%(where)s: a condition is all, any, not, or a test on one field or years_since.") % {"where": where}
        )
    tests = sorted(set(tree) - set(subject))
    unknown = [t for t in tests if t not in LEAF_TESTS]
    if unknown or not tests:
        raise SchemeError(
            _("%(where)s: unknown or missing test %(tests)s; use %(known)s.")
            % {"where": where, "tests": ", ".join(unknown) or "-", "known": ", ".join(LEAF_TESTS)}
        )
    if subject[0] == "years_since":
        _check_choice(tree["years_since"], SinceField, where, "years_since")
        if set(tests) - {"below", "at_least"}:
            raise SchemeError(_("%(where)s: years_since takes below and at_least.") % {"where": where})
    else:
        _check_column(tree["field"], where, "field")
    for test in tests:
        value = tree[test]
        if test == "is" and not isinstance(value, bool):
            raise SchemeError(_("%(where)s: is must be true or false.") % {"where": where})
        if test in ("at_least", "below"):
            _check_number(value, where, test, optional=False)
        if test == "equals" and (isinstance(value, bool) or not isinstance(value, str | int | float)):
            raise SchemeError(_("%(where)s: equals takes a text or a number.") % {"where": where})
        if test in ("one_of", "prefix") and (
            not isinstance(value, list) or not value or not all(isinstance(v, str | int | float) for v in value)
        ):
            raise SchemeError(_("%(where)s: %(test)s takes a list of values.") % {"where": where, "test": test})
        if test == "prefix" and not all(isinstance(v, str) and v for v in value):
            raise SchemeError(_("%(where)s: prefix takes a list of codes.") % {"where": where})


def condition_columns(tree: dict[str, Any] | None) -> set[str]:
    """The filing columns a condition tree reads."""
    if not tree:
        return set()
    if "all" in tree or "any" in tree:
        return set().union(*(condition_columns(child) for child in tree.get("all", tree.get("any", []))))
    if "not" in tree:
        return condition_columns(tree["not"])
    if "field" in tree:
        return {tree["field"]}
    return since_columns(tree["years_since"])


def since_columns(since: str) -> set[str]:
    """The columns a "years since" count reads."""
    if since == SinceField.PRODUCTION_START:
        return {"year", PRODUCTION_START, FOUNDED}
    return {"year", since}


@dataclass(frozen=True)
class Benchmark:
    """What an indicator value is compared with: a fixed published value, or a statistic of the cohort.

    Cohort statistics are taken over the cohort's graded enterprises that have a value (not over
    the not-graded categories), times `multiplier` (some districts use twice the cohort mean).
    `percentile` (0-100, linear interpolation) is used when kind is "percentile".
    """

    kind: BenchmarkKind = BenchmarkKind.FIXED
    value: float | None = None
    percentile: float | None = None
    multiplier: float = 1.0
    #: whose figures a statistic is taken over (BenchmarkBasis); fixed values ignore it
    basis: BenchmarkBasis = BenchmarkBasis.CURRENT_YEAR
    #: a previous-year statistic whose cohort has no previous-year figures: refuse the run, or use this year's
    if_no_previous: NoPrevious = NoPrevious.ERROR

    OPTIONAL: ClassVar[dict[str, Any]] = {
        "basis": BenchmarkBasis.CURRENT_YEAR,
        "if_no_previous": NoPrevious.ERROR,
    }

    def __post_init__(self) -> None:
        _as_choice(self, "kind", BenchmarkKind)
        _as_choice(self, "basis", BenchmarkBasis)
        _as_choice(self, "if_no_previous", NoPrevious)

    @property
    def is_previous_year(self) -> bool:
        return self.kind != BenchmarkKind.FIXED and self.basis != BenchmarkBasis.CURRENT_YEAR

    def validate(self, where: str) -> None:
        _check_choice(self.kind, BenchmarkKind, where, "kind")
        _check_choice(self.basis, BenchmarkBasis, where, "basis")
        _check_choice(self.if_no_previous, NoPrevious, where, "if_no_previous")
        if self.kind == BenchmarkKind.FIXED:
            _check_number(self.value, where, "value", optional=False)
        if self.kind == BenchmarkKind.PERCENTILE:
            _check_number(self.percentile, where, "percentile", optional=False)
            if not 0 <= self.percentile <= 100:
                raise SchemeError(_("%(where)s: percentile must be between 0 and 100.") % {"where": where})
        _check_number(self.multiplier, where, "multiplier", positive=True, optional=False)


@dataclass(frozen=True)
class Indicator(_Labelled):
    """One scored item.

    rule "ratio": score = weight × value / benchmark (higher is better) or weight × benchmark / value
    (lower is better), capped at `cap` × weight when cap is set; a benchmark of zero or less gives no
    score (missing).
    rule "linear": score = weight × the value's position between floor (0) and ceiling (1), clipped
    to [0, 1] (reversed when lower is better); floor and ceiling are benchmarks, so min-max scoring
    is floor kind "min" and ceiling kind "max".
    missing: what an enterprise without a value scores: "zero", "cohort_mean" (the mean item score
    of the cohort's graded enterprises that have one) or "drop" (the item is left out and the
    enterprise's other item scores are scaled up by total weight / weight of the items it has).
    """

    key: str
    label: str
    expression: str
    weight: float
    benchmark: Benchmark = field(default_factory=Benchmark)
    direction: Direction = Direction.HIGHER
    rule: Rule = Rule.RATIO
    cap: float | None = None
    floor: Benchmark | None = None
    ceiling: Benchmark | None = None
    missing: MissingPolicy = MissingPolicy.ZERO
    unit: str = ""
    source: str = ""
    #: the label and unit in Chinese (zh-Hans); `label` and `unit` are the English forms
    label_zh: str = ""
    unit_zh: str = ""

    OPTIONAL: ClassVar[dict[str, Any]] = {"label_zh": "", "unit_zh": ""}

    @property
    def display_unit(self) -> str:
        return localized(self, "unit")

    def __post_init__(self) -> None:
        _as_choice(self, "direction", Direction)
        _as_choice(self, "rule", Rule)
        _as_choice(self, "missing", MissingPolicy)

    def validate(self, where: str) -> None:
        _check_key(self.key, where)
        where = f"{where} {self.key!r}"
        _check_number(self.weight, where, "weight", positive=True, optional=False)
        _check_choice(self.direction, Direction, where, "direction")
        _check_choice(self.rule, Rule, where, "rule")
        _check_choice(self.missing, MissingPolicy, where, "missing")
        _check_number(self.cap, where, "cap", positive=True)
        self.parsed(where)
        if self.rule == Rule.RATIO:
            self.benchmark.validate(f"{where} benchmark")
        else:
            if self.floor is None or self.ceiling is None:
                raise SchemeError(_("%(where)s: the linear rule needs a floor and a ceiling.") % {"where": where})
            self.floor.validate(f"{where} floor")
            self.ceiling.validate(f"{where} ceiling")
            if (
                self.floor.kind == BenchmarkKind.FIXED
                and self.ceiling.kind == BenchmarkKind.FIXED
                and self.ceiling.value <= self.floor.value
            ):
                raise SchemeError(_("%(where)s: the ceiling must be above the floor.") % {"where": where})

    def parsed(self, where: str | None = None) -> Expression:
        return Expression.parse(self.expression, where=where or _("indicator %(key)r") % {"key": self.key})


@dataclass(frozen=True)
class Cohort(_Labelled):
    """A group of enterprises scored, ranked and graded together; an enterprise joins the first cohort it matches.

    Every condition that is set must hold: `industries` are GB/T 4754 code prefixes ("C13" matches
    "C1311"); `above_size_threshold` true or false; land_mu at least `min_land_mu` and below
    `max_land_mu`; `flag` a boolean column that must be true.
    """

    key: str
    label: str
    industries: list[str] | None = None
    above_size_threshold: bool | None = None
    min_land_mu: float | None = None
    max_land_mu: float | None = None
    flag: str | None = None
    #: a condition tree (AND / OR / NOT, see validate_condition) that must hold as well
    when: dict[str, Any] | None = None
    #: cohorts are tried by priority (lowest first; unset counts as 0), then in the order listed
    priority: int | None = None
    #: how this cohort is graded when too small to rank; unset: the grading's min_cohort_size and small_cohort_grade
    small: SmallCohortRule | None = None
    #: the label in Chinese (zh-Hans); `label` is the English form
    label_zh: str = ""

    OPTIONAL: ClassVar[dict[str, Any]] = {"when": None, "priority": None, "small": None, "label_zh": ""}

    def validate(self, where: str) -> None:
        _check_key(self.key, where)
        where = f"{where} {self.key!r}"
        if self.when is not None:
            validate_condition(self.when, f"{where} when")
        if self.priority is not None and (isinstance(self.priority, bool) or not isinstance(self.priority, int)):
            raise SchemeError(_("%(where)s: priority must be a whole number.") % {"where": where})
        if self.small is not None:
            self.small.validate(f"{where} small")
        if self.industries is not None and (
            not isinstance(self.industries, list) or not all(isinstance(i, str) and i for i in self.industries)
        ):
            raise SchemeError(_("%(where)s: industries must be a list of industry codes.") % {"where": where})
        if self.above_size_threshold is not None and not isinstance(self.above_size_threshold, bool):
            raise SchemeError(_("%(where)s: above_size_threshold must be true, false or null.") % {"where": where})
        _check_number(self.min_land_mu, where, "min_land_mu")
        _check_number(self.max_land_mu, where, "max_land_mu")
        if self.flag is not None:
            _check_column(self.flag, where, "flag")


@dataclass(frozen=True)
class SmallCohortRule:
    """How one cohort is graded when fewer than `min_size` of its enterprises are ranked (per area when
    ranking within areas). A cohort of one is always treated as small under share grading: alone, it
    would hold 100 % of the ranks and take the last grade for being alone.

    grade_with: graded as if ranked with `cohort` (its own key when null; with across_areas, the
    cohort's enterprises of every area): rank = 1 + the number of that group's ranked enterprises with
    a higher total, out of the group's size + 1, by the grading's shares; that group's own ranks do
    not change. score_bands: the first of `bands` whose min_score the total reaches (the last band
    takes the rest). fixed_grade: `grade` (never the lowest grade). not_graded: no grade.
    """

    min_size: int
    method: SmallCohortMethod = SmallCohortMethod.NOT_GRADED
    cohort: str | None = None
    across_areas: bool = False
    bands: list[GradeBand] = field(default_factory=list)
    grade: str | None = None

    def __post_init__(self) -> None:
        _as_choice(self, "method", SmallCohortMethod)

    def validate(self, where: str) -> None:
        if isinstance(self.min_size, bool) or not isinstance(self.min_size, int) or self.min_size < 1:
            raise SchemeError(_("%(where)s: min_size must be a whole number of at least 1.") % {"where": where})
        _check_choice(self.method, SmallCohortMethod, where, "method")
        if self.method == SmallCohortMethod.SCORE_BANDS:
            if len(self.bands) < 2:
                raise SchemeError(_("%(where)s: give at least two score bands.") % {"where": where})
            previous = None
            for band in self.bands[:-1]:
                _check_number(band.min_score, f"{where} {band.grade!r}", "min_score", optional=False)
                if previous is not None and band.min_score >= previous:
                    raise SchemeError(
                        _("%(where)s %(grade)r: bands must go from the best grade to the worst.")
                        % {"where": where, "grade": band.grade}
                    )
                previous = band.min_score
        if self.method == SmallCohortMethod.FIXED_GRADE and not self.grade:
            raise SchemeError(_("%(where)s: fixed_grade needs a grade.") % {"where": where})
        if self.cohort is not None:
            _check_key(self.cohort, where)


@dataclass(frozen=True)
class RankWithin:
    """Rank and grade each cohort within an area (county, district, park) in one run.

    `column` is the filing column naming the area (a run's filings carry district and park_id);
    each cohort is ranked, graded and checked for size per area. `benchmarks`: "area" takes cohort
    statistics per area, "run" over the cohort in the whole run. Roll-ups are per area as ever.
    """

    column: str
    benchmarks: BenchmarkScope = BenchmarkScope.AREA

    def __post_init__(self) -> None:
        _as_choice(self, "benchmarks", BenchmarkScope)

    def validate(self, where: str) -> None:
        _check_column(self.column, where, "column")
        _check_choice(self.benchmarks, BenchmarkScope, where, "benchmarks")


@dataclass(frozen=True)
class GradeBand:
    """A grade and where it starts: `top_share` (share method, e.g. 0.25 = the top 25 %, inclusive)
    or `min_score` (score method, inclusive). The last band takes the rest and needs neither."""

    grade: str
    top_share: float | None = None
    min_score: float | None = None


@dataclass(frozen=True)
class Grading:
    """Grade cut-offs within each cohort, best grade first.

    share: an enterprise at rank r of n ranked enterprises in its cohort gets the first band with
    r ≤ top_share × n. Ranks are competition ranks ("1224"): equal total scores share the best rank,
    so ties at a boundary all get the better grade.
    score: the first band whose min_score the total reaches.
    Cohorts with fewer than `min_cohort_size` ranked enterprises are not graded by rank: they get
    `small_cohort_grade`, or no grade when that is null.
    """

    method: GradingMethod = GradingMethod.SHARE
    bands: list[GradeBand] = field(default_factory=list)
    min_cohort_size: int = 1
    small_cohort_grade: str | None = None

    def __post_init__(self) -> None:
        _as_choice(self, "method", GradingMethod)

    def validate(self, where: str) -> None:
        _check_choice(self.method, GradingMethod, where, "method")
        if len(self.bands) < 2:
            raise SchemeError(_("%(where)s: give at least two grade bands.") % {"where": where})
        grades = [band.grade for band in self.bands]
        if len(set(grades)) != len(grades) or not all(isinstance(g, str) and g for g in grades):
            raise SchemeError(_("%(where)s: grades must be distinct names.") % {"where": where})
        attr = "top_share" if self.method == GradingMethod.SHARE else "min_score"
        previous = None
        for band in self.bands[:-1]:
            value = getattr(band, attr)
            _check_number(value, f"{where} {band.grade!r}", attr, optional=False)
            if self.method == GradingMethod.SHARE and not 0 < value <= 1:
                raise SchemeError(
                    _("%(where)s %(grade)r: top_share must be above 0 and at most 1.")
                    % {"where": where, "grade": band.grade}
                )
            by_share = self.method == GradingMethod.SHARE
            if previous is not None and (value <= previous if by_share else value >= previous):
                raise SchemeError(
                    _("%(where)s %(grade)r: bands must go from the best grade to the worst.")
                    % {"where": where, "grade": band.grade}
                )
            previous = value
        if not isinstance(self.min_cohort_size, int) or self.min_cohort_size < 1:
            raise SchemeError(_("%(where)s: min_cohort_size must be a whole number of at least 1.") % {"where": where})
        if self.small_cohort_grade is not None and self.small_cohort_grade not in grades:
            raise SchemeError(_("%(where)s: small_cohort_grade must be one of the grades.") % {"where": where})


@dataclass(frozen=True)
class NotGradedCategory(_Labelled):
    """Enterprises evaluated and scored but not ranked or graded: utilities, newcomers, new land.

    Any condition that is set makes an enterprise fall in the category: `flag` (a boolean column is
    true), `industries` (code prefixes), `first_years` counted from `since_field` (founded_year or
    land_year): year - since_field < first_years.
    """

    key: str
    label: str
    flag: str | None = None
    industries: list[str] | None = None
    first_years: int | None = None
    since_field: str = "founded_year"
    #: a condition tree (see validate_condition) that puts an enterprise in the category as well
    when: dict[str, Any] | None = None
    #: the label in Chinese (zh-Hans); `label` is the English form
    label_zh: str = ""

    OPTIONAL: ClassVar[dict[str, Any]] = {"when": None, "label_zh": ""}

    def validate(self, where: str) -> None:
        _check_key(self.key, where)
        where = f"{where} {self.key!r}"
        if self.flag is not None:
            _check_column(self.flag, where, "flag")
        if self.first_years is not None:
            _check_number(self.first_years, where, "first_years", positive=True)
            _check_choice(self.since_field, SinceField, where, "since_field")
        if self.when is not None:
            validate_condition(self.when, f"{where} when")
        if self.flag is None and not self.industries and self.first_years is None and self.when is None:
            raise SchemeError(_("%(where)s: give a flag, industries, first_years or when.") % {"where": where})


@dataclass(frozen=True)
class VetoItem(_Labelled):
    """A flag that overrides the rank: a major safety or environmental incident makes the grade D."""

    key: str
    label: str
    flag: str
    grade: str = "D"
    #: the label in Chinese (zh-Hans); `label` is the English form
    label_zh: str = ""

    OPTIONAL: ClassVar[dict[str, Any]] = {"label_zh": ""}

    def validate(self, where: str) -> None:
        _check_key(self.key, where)
        _check_column(self.flag, f"{where} {self.key!r}", "flag")


@dataclass(frozen=True)
class Adjustment(_Labelled):
    """Bonus (points > 0) or penalty (points < 0) points: points × the expression's value
    (a boolean flag counts 1), limited to ±max_points when set; a missing value adds nothing."""

    key: str
    label: str
    expression: str
    points: float
    max_points: float | None = None
    #: the label in Chinese (zh-Hans); `label` is the English form
    label_zh: str = ""

    OPTIONAL: ClassVar[dict[str, Any]] = {"label_zh": ""}

    def validate(self, where: str, flags: Iterable[str] = ()) -> None:
        _check_key(self.key, where)
        where = f"{where} {self.key!r}"
        _check_number(self.points, where, "points", optional=False)
        _check_number(self.max_points, where, "max_points", positive=True)
        self.parsed(flags, where)

    def parsed(self, flags: Iterable[str] = (), where: str | None = None) -> Expression:
        where = where or _("adjustment %(key)r") % {"key": self.key}
        return Expression.parse(self.expression, where=where, allowed=(*FILING_FIELDS, *flags))


@dataclass(frozen=True)
class Scheme:
    """One version of an evaluation method: everything needed to turn one year's filings into grades."""

    key: str
    name: str
    version: int
    indicators: list[Indicator]
    cohorts: list[Cohort]
    grading: Grading
    description: str = ""
    sources: list[str] = field(default_factory=list)
    not_graded: list[NotGradedCategory] = field(default_factory=list)
    vetoes: list[VetoItem] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)
    #: boolean columns an adjustment expression may read besides the numeric filing fields
    adjustment_flags: list[str] = field(default_factory=list)
    #: categories not evaluated at all: no score, no rank, no grade; listed apart with the category as reason
    not_evaluated: list[NotGradedCategory] = field(default_factory=list)
    #: rank and grade each cohort within an area (county, district, park); null ranks over the whole run
    rank_within: RankWithin | None = None
    #: an enterprise matching several cohorts: first_match (by priority, then order) or refuse the run
    cohort_overlap: CohortOverlap = CohortOverlap.FIRST_MATCH
    #: the name and description in Chinese (zh-Hans); `name` and `description` are the English forms
    name_zh: str = ""
    description_zh: str = ""

    OPTIONAL: ClassVar[dict[str, Any]] = {
        "not_evaluated": [],
        "rank_within": None,
        "cohort_overlap": CohortOverlap.FIRST_MATCH,
        "name_zh": "",
        "description_zh": "",
    }

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    def __post_init__(self) -> None:
        _as_choice(self, "cohort_overlap", CohortOverlap)
        self.validate()

    @property
    def uses_previous_year(self) -> set[BenchmarkBasis]:
        """The previous-year bases the scheme's benchmarks read (empty when none does)."""
        return {b.basis for b in self.benchmarks() if b.is_previous_year}

    def benchmarks(self) -> list[Benchmark]:
        found = []
        for indicator in self.indicators:
            found += [b for b in (indicator.benchmark, indicator.floor, indicator.ceiling) if b is not None]
        return found

    def ordered_cohorts(self) -> list[Cohort]:
        """Cohorts in the order an enterprise is matched against them: by priority (unset 0), then as listed."""
        return sorted(self.cohorts, key=lambda c: c.priority or 0)

    def validate(self) -> None:
        _check_key(self.key, _("scheme"))
        if not isinstance(self.version, int) or self.version < 1:
            raise SchemeError(_("scheme %(key)r: version must be a whole number of at least 1.") % {"key": self.key})
        if not self.indicators:
            raise SchemeError(_("scheme %(key)r: give at least one indicator.") % {"key": self.key})
        if not self.cohorts:
            raise SchemeError(_("scheme %(key)r: give at least one cohort.") % {"key": self.key})
        for items, label in (
            (self.indicators, _("indicator")),
            (self.cohorts, _("cohort")),
            (self.not_graded, _("not-graded category")),
            (self.not_evaluated, _("not-evaluated category")),
            (self.vetoes, _("veto item")),
            (self.adjustments, _("adjustment")),
        ):
            keys = [item.key for item in items]
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            if duplicates:
                raise SchemeError(
                    _("scheme %(key)r: %(what)s keys repeat: %(keys)s.")
                    % {"key": self.key, "what": label, "keys": ", ".join(duplicates)}
                )
            for item in items:
                if isinstance(item, Adjustment):
                    item.validate(label, self.adjustment_flags)
                else:
                    item.validate(label)
        self.grading.validate(_("grading"))
        grades = {band.grade for band in self.grading.bands}
        lowest = self.grading.bands[-1].grade
        if self.grading.method == GradingMethod.SHARE and self.grading.small_cohort_grade == lowest:
            raise SchemeError(
                _(
                    "grading: small_cohort_grade must not be the lowest grade %(grade)r:"
                    " a cohort of one would get it for being alone."
                )
                % {"grade": lowest}
            )
        _check_choice(self.cohort_overlap, CohortOverlap, _("scheme"), "cohort_overlap")
        if self.rank_within is not None:
            self.rank_within.validate(_("rank_within"))
        cohort_keys = {c.key for c in self.cohorts}
        for cohort in self.cohorts:
            rule = cohort.small
            if rule is None:
                continue
            where = _("cohort %(key)r small") % {"key": cohort.key}
            if rule.cohort is not None and rule.cohort not in cohort_keys:
                raise SchemeError(
                    _("%(where)s: cohort %(other)r is not one of the cohorts.") % {"where": where, "other": rule.cohort}
                )
            if rule.method == SmallCohortMethod.GRADE_WITH:
                if self.grading.method != GradingMethod.SHARE:
                    raise SchemeError(_("%(where)s: grade_with needs grading by share.") % {"where": where})
                if (rule.cohort in (None, cohort.key)) and not (self.rank_within and rule.across_areas):
                    raise SchemeError(
                        _(
                            "%(where)s: grade_with needs another cohort, or its own across areas"
                            " when ranking within areas."
                        )
                        % {"where": where}
                    )
            named = [b.grade for b in rule.bands] + ([rule.grade] if rule.grade else [])
            if any(g not in grades for g in named):
                raise SchemeError(_("%(where)s: use the grading's grades.") % {"where": where})
            if rule.method == SmallCohortMethod.FIXED_GRADE and rule.grade == lowest:
                raise SchemeError(
                    _(
                        "%(where)s: a fixed grade must not be the lowest grade %(grade)r:"
                        " a cohort of one would get it for being alone."
                    )
                    % {"where": where, "grade": lowest}
                )
        for veto in self.vetoes:
            if veto.grade not in grades:
                raise SchemeError(
                    _("veto item %(key)r: grade %(grade)r is not one of the grades.")
                    % {"key": veto.key, "grade": veto.grade}
                )

    @property
    def grades(self) -> list[str]:
        return [band.grade for band in self.grading.bands]

    # -- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The scheme as JSON data; options left at their defaults (OPTIONAL) are left out, so the text
        and fingerprint of a scheme that does not use them stays what it was before they existed."""
        return _as_data(self)

    def to_json(self) -> str:
        """Stable JSON (sorted keys), so equal schemes give equal text and equal fingerprints."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def scoring_json(self) -> str:
        """to_json without the display-only translations (TRANSLATED_FIELDS): what the fingerprint hashes, so
        adding or correcting a Chinese label changes no fingerprint (and a scheme without any keeps its own)."""
        return json.dumps(_without_translations(self.to_dict()), ensure_ascii=False, indent=2, sort_keys=True)

    def labels(self) -> dict[str, str]:
        """Every key a person may meet (cohorts, categories, vetoes, adjustments, indicators) -> its label in the
        user's language; codes in results (cohort, reason) are shown through this."""
        items: list[_Labelled] = [
            *self.cohorts,
            *self.not_graded,
            *self.not_evaluated,
            *self.vetoes,
            *self.adjustments,
            *self.indicators,
        ]
        return {item.key: item.display_label for item in items}  # type: ignore[attr-defined]

    @classmethod
    def from_dict(cls, data: dict) -> Scheme:
        where = _("scheme")
        data = _fields(cls, data, where)
        key = data.get("key", "?")
        data["indicators"] = [
            _indicator(item, f"{key}.indicators[{i}]")
            for i, item in enumerate(_list(data.get("indicators"), "indicators"))
        ]
        data["cohorts"] = [
            _cohort(item, f"{key}.cohorts[{i}]") for i, item in enumerate(_list(data.get("cohorts"), "cohorts"))
        ]
        grading = _fields(Grading, data.get("grading"), f"{key}.grading")
        grading["bands"] = [
            _build(GradeBand, band, f"{key}.grading.bands[{i}]")
            for i, band in enumerate(_list(grading.get("bands", []), "bands"))
        ]
        data["grading"] = Grading(**grading)
        if data.get("rank_within") is not None:
            data["rank_within"] = _build(RankWithin, data["rank_within"], f"{key}.rank_within")
        for name, item_cls in (
            ("not_graded", NotGradedCategory),
            ("not_evaluated", NotGradedCategory),
            ("vetoes", VetoItem),
            ("adjustments", Adjustment),
        ):
            data[name] = [
                _build(item_cls, item, f"{key}.{name}[{i}]") for i, item in enumerate(_list(data.get(name, []), name))
            ]
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> Scheme:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemeError(_("The scheme file is not valid JSON: %(error)s.") % {"error": exc}) from exc
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> Scheme:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def dump(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def _list(value, name) -> list:
    if not isinstance(value, list):
        raise SchemeError(_("scheme: %(name)s must be a list.") % {"name": name})
    return value


def _fields(cls, data, where) -> dict:
    """Check a JSON object against a dataclass's fields: no unknown keys, no missing required ones."""
    if not isinstance(data, dict):
        raise SchemeError(_("%(where)s must be an object.") % {"where": where})
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SchemeError(
            _("%(where)s: unknown keys %(keys)s; known keys: %(known)s.")
            % {"where": where, "keys": ", ".join(unknown), "known": ", ".join(known)}
        )
    required = [
        name
        for name, f in known.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING and name not in data
    ]
    if required:
        raise SchemeError(_("%(where)s: missing keys %(keys)s.") % {"where": where, "keys": ", ".join(required)})
    return dict(data)


def _build(cls, data, where):
    return cls(**_fields(cls, data, where))


def _cohort(data, where) -> Cohort:
    data = _fields(Cohort, data, where)
    if data.get("small") is not None:
        small = _fields(SmallCohortRule, data["small"], f"{where}.small")
        small["bands"] = [
            _build(GradeBand, band, f"{where}.small.bands[{i}]")
            for i, band in enumerate(_list(small.get("bands", []), "bands"))
        ]
        data["small"] = SmallCohortRule(**small)
    return Cohort(**data)


def _as_data(value: Any) -> Any:
    """dataclasses.asdict, leaving out each class's OPTIONAL fields that keep their default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        optional = getattr(value, "OPTIONAL", {})
        data = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in optional and item == optional[f.name]:
                continue
            data[f.name] = _as_data(item)
        return data
    if isinstance(value, list | tuple):
        return [_as_data(item) for item in value]
    if isinstance(value, dict):
        return {k: _as_data(v) for k, v in value.items()}
    return value


def _indicator(data, where) -> Indicator:
    data = _fields(Indicator, data, where)
    for name in ("benchmark", "floor", "ceiling"):
        if data.get(name) is not None:
            data[name] = _build(Benchmark, data[name], f"{where}.{name}")
    return Indicator(**data)


DEFAULT_SCHEMES_DIR = Path(__file__).resolve().parent / "default_schemes"


def default_schemes() -> dict[str, Scheme]:
    """The schemes shipped with ParkOS, by key."""
    schemes = [Scheme.load(path) for path in sorted(DEFAULT_SCHEMES_DIR.glob("*.json"))]
    return {scheme.key: scheme for scheme in schemes}

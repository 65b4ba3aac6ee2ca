"""Test helpers for the evaluation app: credit codes for the World's enterprises, schemes loaded as records."""

from parkos.directory.validators import credit_code_check_character
from parkos.evaluation.models import EvaluationScheme
from parkos.evaluation.scheme import default_schemes


def credit_code(n: int) -> str:
    first = f"91330100MA{n:07d}"
    return first + credit_code_check_character(first)


def give_credit_codes(world) -> None:
    for i, side in enumerate(("in", "out"), start=1):
        world.org[side].credit_code = credit_code(i)
        world.org[side].save()


def load_scheme(key: str = "zhejiang_above_threshold", version: int | None = None) -> EvaluationScheme:
    definition = default_schemes()[key].to_dict()
    if version is not None:
        definition["version"] = version
    scheme = EvaluationScheme(definition=definition)
    scheme.full_clean()
    scheme.save()
    return scheme

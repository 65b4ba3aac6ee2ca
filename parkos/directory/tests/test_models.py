"""Directory rules: credit codes, the industry tree, positions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from parkos.directory.models import Industry, Organization, Person, Position
from parkos.directory.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    validate_credit_code,
)

# Codes as printed on published business licences; each must pass the GB 32100-2015 check.
PUBLISHED_CODES = ["91350100M000100Y43", "91110000600037341L", "914403001922038216"]

first17 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_codes_are_valid(code):
    validate_credit_code(code)


@given(first17)
def test_every_code_with_its_check_character_is_valid(prefix):
    validate_credit_code(prefix + credit_code_check_character(prefix))


@given(first17, st.integers(min_value=0, max_value=16), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_changing_one_character_is_caught(prefix, position, replacement):
    code = prefix + credit_code_check_character(prefix)
    typo = code[:position] + replacement + code[position + 1 :]
    if typo != code:
        with pytest.raises(ValidationError):
            validate_credit_code(typo)


@pytest.mark.parametrize(
    ("code", "error"),
    [("9135010", "length"), ("91350100M000100YO3", "alphabet"), ("91350100M000100Y44", "check_digit")],
)
def test_bad_codes_say_what_is_wrong(code, error):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert info.value.code == error


@pytest.mark.django_db
def test_industry_tree_paths_follow_moves():
    root = Industry.objects.create(code="AI", name="人工智能")
    child = Industry.objects.create(code="AI-CV", name="机器视觉", parent=root)
    grandchild = Industry.objects.create(code="AI-CV-3D", name="三维视觉", parent=child)
    assert grandchild.tree_path == "AI/AI-CV/AI-CV-3D/" and grandchild.depth == 2
    other = Industry.objects.create(code="DE", name="数字经济")
    child.parent = other
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.tree_path == "DE/AI-CV/AI-CV-3D/"
    assert set(other.subtree()) == {other, child, grandchild}


@pytest.mark.django_db
def test_an_industry_cannot_sit_under_its_own_descendant():
    root = Industry.objects.create(code="BIO", name="生物医药")
    child = Industry.objects.create(code="BIO-DEV", name="医疗器械", parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as info:
        root.full_clean()
    assert "parent" in info.value.message_dict


@pytest.mark.django_db
def test_only_enterprises_carry_enterprise_flags():
    org = Organization(name="浦东新区人民政府", kind=Organization.Kind.GOVERNMENT, is_high_tech=True)
    with pytest.raises(ValidationError) as info:
        org.full_clean()
    assert "is_high_tech" in info.value.message_dict


@pytest.mark.django_db
def test_two_people_may_share_a_name_and_positions_tell_them_apart():
    org = Organization.objects.create(name="上海市浦东新区人民政府", kind="government")
    a = Person.objects.create(name="王伟")
    b = Person.objects.create(name="王伟")
    Position.objects.create(person=a, organization=org, title="副区长", start_date=datetime.date(2020, 1, 1))
    assert a.pk != b.pk and a.positions.get().is_current


@pytest.mark.django_db
def test_position_ending_before_it_starts_is_refused_at_the_end_date():
    org = Organization.objects.create(name="某公司")
    person = Person.objects.create(name="陈静")
    position = Position(
        person=person,
        organization=org,
        title="总经理",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as info:
        position.full_clean()
    assert list(info.value.message_dict) == ["end_date"]

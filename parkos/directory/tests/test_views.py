"""The standard suite (pages, import, export, API, permissions per role) for every directory model."""

import datetime

from parkos.core.permissions import Scope
from parkos.core.testing import StandardModelTests, csv_text
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position
from parkos.directory.validators import credit_code_check_character

STAFF_SEE_ALL = {
    "operator_admin": "all",
    "investment_staff": "all",
    "park_manager": "all",
    "service_staff": "all",
    "evaluation_officer": "all",
}


STAFF_WHO_EDIT = {"operator_admin": "all", "investment_staff": "all", "park_manager": "all"}


def credit_code(n: int) -> str:
    first17 = f"91310115MA1K{n:05d}"
    return first17 + credit_code_check_character(first17)


def wrong_check_character(n: int) -> str:
    code = credit_code(n)
    return code[:-1] + ("1" if code[-1] != "1" else "2")


class IndustryTests(StandardModelTests):
    model = Industry
    visible_to = STAFF_SEE_ALL
    editable_by = STAFF_WHO_EDIT
    form_data = {"code": "NEW-IND", "name": "新产业"}
    update_data = {"name_en": "Renamed industry"}
    invalid_data = [("code", ""), ("parent", "999999")]

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        return Industry.objects.create(code=f"IND{n:04d}{side}", name=f"Industry {n:04d}{side}")

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {"code": "CSV-A", "name": "甲", "name_en": "A", "parent": "T-IC", "national_code": ""},
                {"code": "CSV-B", "name": "乙", "name_en": "B", "parent": "", "national_code": "3973"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "CSV-C,丙,C,NO-SUCH-PARENT,", "parent"

    @staticmethod
    def api_data(world):
        return {"code": "API-IND", "name": "接口产业", "parent": world.industry.pk}


class OrganizationTests(StandardModelTests):
    model = Organization
    visible_to = {**STAFF_SEE_ALL, "government_partner": "in", "enterprise_user": "in"}
    editable_by = STAFF_WHO_EDIT
    form_data = {
        "name": "上海新创科技有限公司",
        "kind": "enterprise",
        "credit_code": credit_code(1),
        "registered_capital_currency": "CNY",
    }
    update_data = {"district": "闵行区"}
    invalid_data = [
        ("credit_code", wrong_check_character(2)),
        ("credit_code", "123"),
        ("name", ""),
        ("website", "not-a-url"),
    ]

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        org = Organization.objects.create(name=f"Company {n:04d}{side}", credit_code=credit_code(100 + n))
        if side == "in":
            for user in world.scoped_users(Scope.ORGANIZATION):
                user.organizations.add(org)
        return org

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "id": "",
                    "name": "导入一公司",
                    "kind": "enterprise",
                    "credit_code": credit_code(50),
                    "industry": "T-IC",
                },
                {"id": "", "name": "导入二大学", "kind": "university", "credit_code": "", "industry": ""},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return f",导入坏公司,enterprise,{wrong_check_character(51)},T-IC", "credit_code"

    @staticmethod
    def api_data(world):
        return {"name": "API Company", "kind": "enterprise", "credit_code": credit_code(60)}


class OrganizationAliasTests(StandardModelTests):
    model = OrganizationAlias
    visible_to = STAFF_SEE_ALL
    editable_by = STAFF_WHO_EDIT
    update_data = {"name": "Renamed alias"}
    invalid_data = [("organization", ""), ("name", "")]

    @staticmethod
    def form_data(world):
        return {"organization": world.org["in"].pk, "name": "新别名"}

    @classmethod
    def make(cls, world, side):
        return OrganizationAlias.objects.create(organization=world.org[side], name=f"Alias {world.seq():04d}{side}")

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {"id": "", "organization": "Org in Ltd", "name": "别名甲"},
                {"id": "", "organization": "Org out Ltd", "name": "别名乙"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",No Such Org Ltd,别名丙", "organization"

    @staticmethod
    def api_data(world):
        return {"organization": world.org["out"].pk, "name": "API alias"}


class PersonTests(StandardModelTests):
    model = Person
    visible_to = {**STAFF_SEE_ALL, "government_partner": "in", "enterprise_user": "in"}
    editable_by = STAFF_WHO_EDIT
    form_data = {"name": "张伟", "name_en": "Zhang Wei"}
    update_data = {"phone": "021-12345678"}
    invalid_data = [("name", ""), ("email", "not-an-email")]

    @classmethod
    def make(cls, world, side):
        person = Person.objects.create(name=f"Person {world.seq():04d}{side}")
        Position.objects.create(person=person, organization=world.org[side], title="总经理")
        return person

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "id": "",
                    "name": "李娜",
                    "name_en": "Li Na",
                    "email": "li@example.cn",
                    "phone": "",
                    "notes": "",
                },
                {"id": "", "name": "王芳", "name_en": "", "email": "", "phone": "", "notes": ""},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",赵强,,not-an-email,,", "email"

    @staticmethod
    def api_data(world):
        return {"name": "API Person", "email": "api@example.cn"}


class PositionTests(StandardModelTests):
    model = Position
    visible_to = {**STAFF_SEE_ALL, "government_partner": "in", "enterprise_user": "in"}
    editable_by = STAFF_WHO_EDIT
    update_data = {"title": "董事长"}
    invalid_data = [("end_date", "2019-01-01"), ("title", "")]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.person = Person.objects.create(name="刘洋")

    @staticmethod
    def form_data(world):
        person = Person.objects.get(name="刘洋")
        return {
            "person": person.pk,
            "organization": world.org["in"].pk,
            "title": "总经理",
            "start_date": "2020-01-01",
        }

    @classmethod
    def make(cls, world, side):
        person = Person.objects.create(name=f"Holder {world.seq():04d}{side}")
        return Position.objects.create(
            person=person,
            organization=world.org[side],
            title=f"Title {world.seq():04d}{side}",
            start_date=datetime.date(2021, 1, 1),
        )

    @staticmethod
    def csv_rows(world):
        person = Person.objects.get(name="刘洋")
        return csv_text(
            [
                {
                    "id": "",
                    "person": person.pk,
                    "organization": "Org in Ltd",
                    "title": "副总经理",
                    "title_en": "",
                    "start_date": "2021-03-01",
                    "end_date": "",
                },
                {
                    "id": "",
                    "person": person.pk,
                    "organization": "Org out Ltd",
                    "title": "董事",
                    "title_en": "Director",
                    "start_date": "2019-01-01",
                    "end_date": "2022-12-31",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        person = Person.objects.get(name="刘洋")
        return f",{person.pk},Org in Ltd,监事,,2022-01-01,2021-01-01", "end_date"

    @staticmethod
    def api_data(world):
        person = Person.objects.get(name="刘洋")
        return {
            "person": person.pk,
            "organization": world.org["in"].pk,
            "title": "顾问",
            "start_date": "2020-01-01",
        }

"""A filter's options come in a fixed order even for a model without ``Meta.ordering`` (users: the project list's
"owner" listed them in whatever order the database returned, which changed as logins updated the rows)."""

from django.test import TestCase

from parkos.investment.filtersets import ProjectFilterSet
from parkos.investment.models import Project
from parkos.users.models import User


class FilterOptionOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.later = User.objects.create_user("zz-owner", password="x-long-password")
        cls.earlier = User.objects.create_user("aa-owner", password="x-long-password")

    def test_users_are_listed_by_username(self):
        field = ProjectFilterSet(queryset=Project.objects.all()).form.fields["owner"]
        self.assertTrue(field.queryset.ordered)
        names = [user.username for user in field.queryset]
        self.assertEqual(names, sorted(names))
        self.assertLess(names.index("aa-owner"), names.index("zz-owner"))

"""The project list's first page comes from an index in its own order (issue 16)."""

from django.db import connection
from django.test import TestCase

from parkos.investment.models import Project


class ProjectListIndexTests(TestCase):
    def test_the_list_index_is_the_lists_order(self):
        """Meta.ordering and the ``project_list`` index name the same columns in the same directions: were they
        to part, PostgreSQL would sort every project joined to its investor again for each page."""
        index = next(index for index in Project._meta.indexes if index.name == "project_list")
        ordering = [field.replace("pk", "id") for field in Project._meta.ordering]
        self.assertEqual(list(index.fields), ordering)
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Project._meta.db_table)
        self.assertEqual(constraints["project_list"]["columns"], ["stage_since", "id"])
        self.assertEqual(constraints["project_list"]["orders"], ["DESC", "ASC"])

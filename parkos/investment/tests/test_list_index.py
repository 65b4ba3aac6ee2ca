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


class AgreementTableDateTests(TestCase):
    def test_last_contact_is_cores_date_column_in_its_format(self):
        """The contact-due list's last contact: core's DateColumn (no template per cell, tested against
        django-tables2's in parkos/core) with the format and dash it had."""
        import datetime

        from django.template.defaultfilters import date

        from parkos.core.tables import DateColumn
        from parkos.investment.tables import AgreementTable

        column = AgreementTable.base_columns["last_contact"]
        self.assertIsInstance(column, DateColumn)
        bound = AgreementTable([]).columns["last_contact"]
        value = datetime.date(2026, 3, 1)
        self.assertEqual(str(column.render(value, bound_column=bound)), date(value, "Y-m-d"))
        self.assertEqual(column.render(None, bound_column=bound), "—")

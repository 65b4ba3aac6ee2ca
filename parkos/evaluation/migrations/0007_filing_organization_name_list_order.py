"""Filings keep their enterprise's name, so that the list's default order (year, enterprise) reads an index."""

from django.db import migrations, models

#: the names of the filings already stored (SQLite and PostgreSQL alike)
COPY_NAMES = """
    UPDATE evaluation_indicatorfiling SET organization_name = (
        SELECT name FROM directory_organization WHERE directory_organization.id = evaluation_indicatorfiling.organization_id
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_organization_list_indexes"),
        ("evaluation", "0006_results_without_unused_indexes"),
        ("parks", "0003_plot_ratio_help"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="indicatorfiling",
            options={
                "ordering": ["-year", "organization_name", "pk"],
                "verbose_name": "indicator filing",
                "verbose_name_plural": "indicator filings",
            },
        ),
        migrations.AddField(
            model_name="indicatorfiling",
            name="organization_name",
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="enterprise name"),
        ),
        migrations.RunSQL(COPY_NAMES, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="indicatorfiling",
            index=models.Index(fields=["-year", "organization_name", "id"], name="indicatorfiling_list"),
        ),
    ]

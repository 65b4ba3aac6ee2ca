"""The project list's order as an index (issue 16): its first page without sorting every project's joins."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0002_commitment_measure_basis_checks"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-stage_since", "id"], name="project_list"),
        ),
    ]

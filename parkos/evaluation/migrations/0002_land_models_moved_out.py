"""Parcel flags, disposal cases, milestones and documents moved to the land app (parkos.land).

State only: their tables stay as they are, under their old names; land's 0001_initial takes them over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="disposalcase",
                    name="owner",
                ),
                migrations.RemoveField(
                    model_name="disposalcase",
                    name="parcel",
                ),
                migrations.RemoveField(
                    model_name="disposalmilestone",
                    name="case",
                ),
                migrations.RemoveField(
                    model_name="disposalmilestone",
                    name="owner",
                ),
                migrations.RemoveField(
                    model_name="parcelflag",
                    name="flagged_by",
                ),
                migrations.RemoveField(
                    model_name="parcelflag",
                    name="parcel",
                ),
                migrations.RemoveField(
                    model_name="parcelflag",
                    name="run",
                ),
                migrations.DeleteModel(
                    name="DisposalDocument",
                ),
                migrations.DeleteModel(
                    name="DisposalCase",
                ),
                migrations.DeleteModel(
                    name="DisposalMilestone",
                ),
                migrations.DeleteModel(
                    name="ParcelFlag",
                ),
            ],
        ),
    ]

"""The land app takes over parcel flags, disposal cases, milestones and documents from evaluation.

State only: the tables exist already (created by evaluation's 0001_initial) and keep their names
(``Meta.db_table``), so no row is copied and nothing is written to the database here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("evaluation", "0002_land_models_moved_out"),
        ("parks", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DisposalCase",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True, null=True, verbose_name="created")),
                        ("last_updated", models.DateTimeField(auto_now=True, null=True, verbose_name="last updated")),
                        (
                            "path",
                            models.CharField(
                                choices=[
                                    ("upgrade", "Upgrade in place"),
                                    ("buy_back", "Negotiated buy-back"),
                                    ("transfer", "Transfer to another user"),
                                    ("land_reserve", "Taken into the land reserve"),
                                    ("redevelopment", "Redevelopment"),
                                    ("re_leasing", "Re-leasing"),
                                ],
                                max_length=20,
                                verbose_name="disposal path",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("in_progress", "In progress"), ("closed", "Closed")],
                                db_index=True,
                                default="open",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "opened_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="opened on"),
                        ),
                        ("closed_on", models.DateField(blank=True, null=True, verbose_name="closed on")),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("returned", "Land returned, available for investment promotion"),
                                    ("in_use", "Land in efficient use"),
                                    ("redeveloped", "Land redeveloped"),
                                    ("withdrawn", "Case withdrawn"),
                                ],
                                max_length=20,
                                verbose_name="outcome",
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="disposal_cases",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="case owner",
                            ),
                        ),
                        (
                            "parcel",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="disposal_cases",
                                to="parks.landparcel",
                                verbose_name="parcel",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "disposal case",
                        "verbose_name_plural": "disposal cases",
                        "db_table": "evaluation_disposalcase",
                        "ordering": ["-opened_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="DisposalDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True, null=True, verbose_name="created")),
                        ("last_updated", models.DateTimeField(auto_now=True, null=True, verbose_name="last updated")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("file", models.FileField(upload_to="disposal/%Y/", verbose_name="file")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="documents",
                                to="land.disposalcase",
                                verbose_name="disposal case",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "disposal document",
                        "verbose_name_plural": "disposal documents",
                        "db_table": "evaluation_disposaldocument",
                        "ordering": ["case", "title"],
                    },
                ),
                migrations.CreateModel(
                    name="DisposalMilestone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True, null=True, verbose_name="created")),
                        ("last_updated", models.DateTimeField(auto_now=True, null=True, verbose_name="last updated")),
                        ("title", models.CharField(max_length=200, verbose_name="milestone")),
                        ("due_date", models.DateField(blank=True, null=True, verbose_name="due date")),
                        ("done_on", models.DateField(blank=True, null=True, verbose_name="done on")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="milestones",
                                to="land.disposalcase",
                                verbose_name="disposal case",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="disposal_milestones",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="owner",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "disposal milestone",
                        "verbose_name_plural": "disposal milestones",
                        "db_table": "evaluation_disposalmilestone",
                        "ordering": ["case", "due_date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ParcelFlag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True, null=True, verbose_name="created")),
                        ("last_updated", models.DateTimeField(auto_now=True, null=True, verbose_name="last updated")),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("grade", "Holder in the bottom grade"),
                                    ("low_tax", "Tax per mu under the floor"),
                                    ("idle", "Idle for years"),
                                    ("low_intensity", "Plot ratio under the floor"),
                                    ("manual", "Flagged by hand"),
                                ],
                                default="manual",
                                max_length=20,
                                verbose_name="reason",
                            ),
                        ),
                        (
                            "detail",
                            models.CharField(
                                help_text="The figures behind the flag, or why it was set by hand.",
                                max_length=300,
                                verbose_name="detail",
                            ),
                        ),
                        (
                            "flagged_on",
                            models.DateField(
                                db_index=True, default=django.utils.timezone.localdate, verbose_name="flagged on"
                            ),
                        ),
                        (
                            "cleared_on",
                            models.DateField(
                                blank=True,
                                help_text="Set when the parcel is no longer inefficient.",
                                null=True,
                                verbose_name="cleared on",
                            ),
                        ),
                        (
                            "flagged_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="flagged by",
                            ),
                        ),
                        (
                            "parcel",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="flags",
                                to="parks.landparcel",
                                verbose_name="parcel",
                            ),
                        ),
                        (
                            "run",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="parcel_flags",
                                to="evaluation.evaluationrun",
                                verbose_name="evaluation run",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "parcel flag",
                        "verbose_name_plural": "parcel flags",
                        "db_table": "evaluation_parcelflag",
                        "ordering": ["-flagged_on", "parcel", "reason"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="disposalcase",
                    constraint=models.UniqueConstraint(
                        models.F("parcel"),
                        condition=models.Q(("status", "closed"), _negated=True),
                        name="disposalcase_one_active_per_parcel",
                        violation_error_message="This parcel already has a disposal case that is not closed.",
                    ),
                ),
            ],
        ),
    ]

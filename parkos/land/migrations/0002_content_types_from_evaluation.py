"""The moved models' content types follow them from evaluation to land.

A content type carries the model's permissions (so the roles' groups keep their rights) and the change
log's history of each object (``ObjectChange.changed_object_type``): renaming its app label keeps both
attached. On a new database there is nothing to rename yet (content types are made after migrate).
"""

from django.db import migrations

MODELS = ("parcelflag", "disposalcase", "disposalmilestone", "disposaldocument")


def rename(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        moving = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if moving is None:
            continue
        # a stray content type already made under the new label (a migrate interrupted after its
        # post_migrate step) holds nothing yet worth keeping: the old one, with its history, wins
        ContentType.objects.using(db).filter(app_label=new, model=model).delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    rename(apps, schema_editor, "evaluation", "land")


def backwards(apps, schema_editor):
    rename(apps, schema_editor, "land", "evaluation")


class Migration(migrations.Migration):
    dependencies = [
        ("land", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

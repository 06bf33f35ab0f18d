"""A diacritic-free search key on organisations (``Sở Y tế`` is found by ``so y te``)."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from phongdich.core.text import fold


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Organisation = apps.get_model("orgs", "Organisation")
    for org in Organisation.objects.only("id", "name", "short_name").iterator():
        Organisation.objects.filter(pk=org.pk).update(name_folded=fold(f"{org.name} {org.short_name}")[:255])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_folded",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

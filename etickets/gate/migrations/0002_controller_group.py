from django.db import migrations

CONTROLLER_GROUP = "Contrôleur"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CONTROLLER_GROUP)


class Migration(migrations.Migration):
    """The « Contrôleur » role exists everywhere, not only where the demo data was loaded."""

    dependencies = [
        ("gate", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]

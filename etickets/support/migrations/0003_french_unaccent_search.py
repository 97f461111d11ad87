"""PostgreSQL's French text search without accents, for the help centre's search
(support.selectors.search_help): « evenement » finds « événement ». Nothing on SQLite, which
searches in Python."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);"
            "ALTER TEXT SEARCH CONFIGURATION french_unaccent "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem"
        )


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION french_unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_screenshot_pending"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_configuration, drop_configuration),
    ]

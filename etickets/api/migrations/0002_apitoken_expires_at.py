import datetime

from django.db import migrations, models


def expire_existing(apps, schema_editor):
    # Tokens made before lifetimes existed get the default one, from their creation.
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.all().only("id", "created_at"):
        token.expires_at = token.created_at + datetime.timedelta(days=90)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expire le"),
        ),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expire le"),
        ),
    ]

import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def expire_existing(apps, schema_editor):
    # Tokens made before lifetimes existed get the lifetime from their creation, but a week at
    # least from now: a gate's scanner is not cut off without warning by the deployment.
    ApiToken = apps.get_model("api", "ApiToken")
    notice = timezone.now() + datetime.timedelta(days=7)
    for token in ApiToken.objects.all().only("id", "created_at"):
        lifetime = token.created_at + datetime.timedelta(days=settings.API_TOKEN_DAYS)
        token.expires_at = max(lifetime, notice)
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

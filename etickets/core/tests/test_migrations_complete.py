"""Every model change has its migration (in a checkout of any folder: no migration may write
down the path of the machine that made it)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

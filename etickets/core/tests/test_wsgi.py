import gc
import importlib

from django.conf import settings


def test_a_worker_freezes_what_it_loaded_and_collects_less_often():
    before = gc.get_threshold()
    try:
        importlib.reload(importlib.import_module("config.wsgi"))
        assert gc.get_threshold()[0] == 20_000
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_database_connections_live_ten_minutes():
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 600

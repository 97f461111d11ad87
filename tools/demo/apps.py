from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo catalogue and accounts (`manage.py seed_demo`): installed where DEMO_DATA is on
    (`make run`, `make prod`, the tests), never in a production deployment."""

    name = "tools.demo"
    label = "demo"

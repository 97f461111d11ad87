"""Catalog migration 0003 keeps the texts entered before it as the French ones, both ways."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("catalog", "0002_event_is_published")
AFTER = ("catalog", "0003_event_english_texts")


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the graph as the previous migration left it
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_the_texts_entered_before_become_the_french_ones_and_back():
    try:
        Event = migrate_to(BEFORE).get_model("catalog", "Event")
        Event.objects.create(
            sport="escrime",
            title="Escrime — Finales",
            slug="escrime-finales",
            description="Les finales au Grand Palais.",
            venue="Grand Palais",
            city="Paris",
            starts_at=datetime.datetime(2024, 7, 29, 19, tzinfo=datetime.UTC),
            capacity=10,
        )
        Event = migrate_to(AFTER).get_model("catalog", "Event")
        event = Event.objects.get()
        assert (event.title_fr, event.venue_fr, event.city_fr) == (
            "Escrime — Finales",
            "Grand Palais",
            "Paris",
        )
        assert event.description_fr == "Les finales au Grand Palais."
        assert (event.title_en, event.venue_en, event.description_en) == ("", "", "")
        Event = migrate_to(BEFORE).get_model("catalog", "Event")
        assert Event.objects.get().title == "Escrime — Finales"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

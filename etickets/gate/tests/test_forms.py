import datetime
import re

import pytest
from django.utils import translation

from etickets.gate.forms import GateForm


@pytest.mark.django_db
def test_events_are_listed_by_day_and_time_in_paris(make_event):
    """A sport is played on several days: each event says when and where (Paris time, in the
    page's language)."""
    make_event(
        title="Escrime — Finales",
        venue="Grand Palais",
        starts_at=datetime.datetime(2024, 7, 29, 17, 0, tzinfo=datetime.UTC),
    )
    assert options() == ["29 juillet 2024 à 19:00 — Escrime — Finales (Grand Palais)"]
    with translation.override("en"):
        assert options() == ["29 July 2024 at 19:00 — Escrime — Finales (Grand Palais)"]


def options() -> list[str]:
    return re.findall(r"<option[^>]*>(.*?)</option>", str(GateForm()["epreuve"]))

"""Text folded regardless of case and accents, the same in Python and in the database."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Value

from etickets.core.text import Folded, fold

SAMPLES = [
    ("Cérémonie d'ouverture", "ceremonie d'ouverture"),
    ("ÉTÉ À L'HÔTEL DE VILLE", "ete a l'hotel de ville"),
    ("Château de Versailles", "chateau de versailles"),
    ("Teahupo’o", "teahupo'o"),
    ("Œuvre, cœur et Ægée", "oeuvre, coeur et aegee"),
    ("Façade NAÏVE, Noël, Müller", "facade naive, noel, muller"),
    ("Ñandú, Ångström, Øresund", "nandu, angstrom, oresund"),
    ("Rugby à 7 — 100 m", "rugby a 7 — 100 m"),
]


@pytest.mark.parametrize(("text", "folded"), SAMPLES)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "folded"), SAMPLES)
def test_the_database_folds_as_python_does(text, folded):
    """PostgreSQL with TRANSLATE and REPLACE, SQLite with ``fold`` itself."""
    found = ContentType.objects.annotate(f=Folded(Value(text))).values_list("f", flat=True)[0]
    assert found == folded

"""Text compared regardless of case and accents, folded the same way in Python and in SQL.

« Été à Orléans » and « ETE A ORLEANS » both fold to « ete a orleans »: a search folds the
words typed (``fold``) and looks for them in the folded columns (``Folded``). PostgreSQL folds
with ``TRANSLATE`` (letter for letter) and ``REPLACE`` (the ligatures); SQLite, whose
``LOWER`` knows ASCII only, calls ``fold`` itself, registered on each of its connections.
"""

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower, Replace

# Letters with a diacritic, either case, and the plain letter each folds to (lower case).
_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸ"
_PLAIN = "aaaaaaceeeeiiiinoooooouuuuyyaaaaaaceeeeiiiinoooooouuuuyy"
# Folded to more than one letter; the typographic apostrophe to the typewriter one.
_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'"}
_TABLE: dict[int, str] = {
    **{ord(letter): plain for letter, plain in zip(_ACCENTED, _PLAIN, strict=True)},
    **{ord(ligature): letters for ligature, letters in _LIGATURES.items()},
}

SQLITE_FUNCTION = "ETICKETS_FOLD"


def fold(text: str) -> str:
    """``text`` in lower case, without accents nor ligatures."""
    return text.translate(_TABLE).lower()


class Folded(Func):
    """``fold`` of a text column, in SQL."""

    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        (column,) = self.get_source_expressions()
        folded = Func(
            column, Value(_ACCENTED), Value(_PLAIN), function="TRANSLATE", output_field=CharField()
        )
        for ligature, letters in _LIGATURES.items():
            folded = Replace(folded, Value(ligature), Value(letters))
        return compiler.compile(Lower(folded))

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)


def _register_on_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _fold_or_null, deterministic=True)


def _fold_or_null(text: str | None) -> str | None:
    return None if text is None else fold(text)


def register() -> None:
    """Give every new SQLite connection its ``ETICKETS_FOLD`` (called once, at start-up)."""
    connection_created.connect(_register_on_sqlite, dispatch_uid="etickets.core.text")

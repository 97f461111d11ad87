"""Hand-written SQL for the few statements on the sales-rush path (see docs/PERFORMANCE.md).

Building a query with the ORM costs ~0.4 ms of CPU here, six times the round trip to
PostgreSQL; the cart, the checkout and the gate run a dozen statements each, so on those paths
(and only there) the services send plain, portable SQL (PostgreSQL and SQLite) through these
helpers and turn rows back into model instances with ``Model.from_db``.
"""

import datetime
import functools
import uuid

from django.db import connection


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, adapted(params))
        return cursor.fetchall()


def row(sql: str, params=()) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, adapted(params))
        return cursor.fetchone()


def one(sql: str, params=()) -> tuple:
    """The row of a statement that always returns one (an aggregate, an ``INSERT …
    RETURNING``)."""
    found = row(sql, params)
    if found is None:
        raise LookupError("the statement returned no row")
    return found


def execute(sql: str, params=()) -> int:
    """Run a write; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, adapted(params))
        return cursor.rowcount


def marks(values) -> str:
    """``%s, %s, …``: one placeholder per value, for ``IN (…)``."""
    return ", ".join(["%s"] * len(values))


def adapted(params) -> list:
    """Parameters stored the way the ORM stores them (SQLite keeps dates and UUIDs as text)."""
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    result = []
    for value in params:
        if isinstance(value, datetime.datetime):
            value = ops.adapt_datetimefield_value(value)
        elif isinstance(value, uuid.UUID) and not native_uuid:
            value = value.hex
        result.append(value)
    return result


class Loader:
    """Turns the columns of one model in a hand-written SELECT back into instances.

    ``select(alias)`` lists the model's columns for the SELECT; ``load(values)`` applies the
    same conversions as the ORM (SQLite hands back text for dates, UUIDs and booleans).
    """

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.width = len(self.fields)
        self._converters = None

    def select(self, alias: str) -> str:
        return ", ".join(f"{alias}.{field.column}" for field in self.fields)

    def load(self, values):
        if self._converters is None:
            self._converters = [
                (
                    [
                        *connection.ops.get_db_converters(field.get_col(self.model._meta.db_table)),
                        *field.get_db_converters(connection),
                    ],
                    field.get_col(self.model._meta.db_table),
                )
                for field in self.fields
            ]
        converted = []
        for value, (converters, expression) in zip(values, self._converters, strict=True):
            for converter in converters:
                value = converter(value, expression, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.names, converted)


def insert(objects: list, *, unless_taken: bool = False) -> bool:
    """Save new instances of one model in one INSERT, as ``bulk_create`` would (defaults and
    ``auto_now_add`` applied, database ids set on the instances).

    ``unless_taken``: a row whose value in some unique column is already taken is skipped, and
    the call returns False (for one instance at a time).
    """
    if not objects:
        return True
    meta = objects[0]._meta
    auto = meta.pk if objects[0].pk is None else None
    fields = [field for field in meta.concrete_fields if field is not auto]
    values: list = []
    for obj in objects:
        # Foreign keys to instances saved since this one was made take their ids (as in
        # bulk_create).
        obj._prepare_related_fields_for_save(operation_name="insert")
        values.extend(
            field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields
        )
    row_marks = "(" + marks(fields) + ")"
    query = (
        f"INSERT INTO {meta.db_table} ({', '.join(field.column for field in fields)}) "
        f"VALUES {', '.join([row_marks] * len(objects))}"
    )
    if unless_taken:
        query += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        if auto is None:
            cursor.execute(query, values)
            inserted = cursor.rowcount == len(objects)
        else:
            # Rows come back in the order of VALUES (bulk_create relies on it too).
            cursor.execute(f"{query} RETURNING {auto.column}", values)
            ids = cursor.fetchall()
            inserted = len(ids) == len(objects)
            if not inserted:
                return False
            for obj, (pk,) in zip(objects, ids, strict=True):
                obj.pk = pk
    if inserted:
        mark_saved(objects)
    return inserted


def insert_select(objects: list, refs: dict | None = None, source: str = "") -> tuple[str, list]:
    """``INSERT INTO <table> (…) SELECT …``: new instances of one model, for a data-modifying
    ``WITH`` of PostgreSQL, where one statement writes rows that refer to each other.

    ``refs`` maps a column's attname to a function giving, for an instance, an SQL expression
    and its parameters to use instead of the instance's value (the id another part of the
    statement returns); ``source`` is the FROM of each row. Values are cast to their column's
    type: PostgreSQL cannot infer the type of a bare parameter in a SELECT. The caller sets the
    database ids it gets back.
    """
    refs = refs or {}
    meta = objects[0]._meta
    auto = meta.pk if objects[0].pk is None else None
    fields = [field for field in meta.concrete_fields if field is not auto]
    selects, params = [], []
    for obj in objects:
        columns = []
        for field in fields:
            if field.attname in refs:
                expression, expression_params = refs[field.attname](obj)
                columns.append(expression)
                params.extend(expression_params)
            else:
                columns.append(f"%s::{_cast_type(field)}")
                params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        selects.append(f"SELECT {', '.join(columns)} {source}")
    query = (
        f"INSERT INTO {meta.db_table} ({', '.join(field.column for field in fields)}) "
        + " UNION ALL ".join(selects)
    )
    return query, params


@functools.cache
def _cast_type(field) -> str:
    return field.cast_db_type(connection)  # the database never changes in a process


def mark_saved(objects: list) -> None:
    """Instances now in the database, as the ORM marks those it saved."""
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def set_prefetched(instance, name: str, objects: list) -> None:
    """Keep ``objects`` as ``prefetch_related(name)`` would: ``instance.<name>.all()`` then
    returns them without a query."""
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = objects, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset

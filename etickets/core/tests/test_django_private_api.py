"""Every part of Django that is not public and that our code relies on, used as our code uses
it, on Django's own models: a Django upgrade that changes one fails here, by name, rather than
as a wrong figure somewhere on the rush path.

Who relies on what: ``core/sql.py`` (hand-written SQL turned back into instances), the cart's
services and selectors (a line's hold cached on it), ``orders/selectors.py`` (a prefetch already
done), ``accounts/models.py`` (a password change seen at save), ``api/auth.py`` (django-ninja's
cookie key). The overrides have theirs in their own tests: test_cache.py (with the Redis client
that the rate limits and the token revocations take from Django's cache), test_handlers.py
(with the test client's), test_postgresql_backend.py.
"""

import datetime
import inspect
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.db.models.expressions import Col
from django.test.utils import isolate_apps
from ninja.security import APIKeyCookie

from etickets.core import sql

WHEN = datetime.datetime(2024, 7, 26, 19, 30, 0, 123456, tzinfo=ZoneInfo("Europe/Paris"))


def signature(function) -> str:
    return str(inspect.signature(function))


def test_the_signatures_we_call():
    assert signature(models.Model.from_db) == "(db, field_names, values)"
    assert (
        signature(models.Model._prepare_related_fields_for_save)
        == "(self, operation_name, fields=None)"
    )
    assert signature(models.Field.get_col) == "(self, alias, output_field=None)"
    assert signature(models.Field.get_db_converters) == "(self, connection)"
    assert signature(models.Field.cast_db_type) == "(self, connection)"
    assert signature(models.Field.pre_save) == "(self, model_instance, add)"
    assert signature(models.Field.get_db_prep_save) == "(self, value, connection)"
    assert signature(connection.ops.get_db_converters) == "(expression)"
    assert signature(connection.ops.adapt_datetimefield_value) == "(value)"
    assert isinstance(connection.features.has_native_uuid_field, bool)
    related = Permission._meta.get_field("content_type").remote_field
    assert signature(related.set_cached_value) == "(instance, value)"
    # api/auth.py: a cookie checked only when present.
    assert list(inspect.signature(APIKeyCookie._get_key).parameters) == ["self", "request"]


def test_meta_lists_the_columns_a_loader_selects():
    fields = Permission._meta.concrete_fields
    assert [(f.attname, f.column) for f in fields] == [
        ("id", "id"),
        ("name", "name"),
        ("content_type_id", "content_type_id"),
        ("codename", "codename"),
    ]
    assert Permission._meta.db_table == "auth_permission"
    assert Permission._meta.pk is fields[0]
    assert isinstance(fields[0].get_col("p"), Col)


@pytest.mark.django_db
def test_rows_come_back_as_the_orm_s_instances():
    """``sql.Loader``: columns listed from ``_meta``, converted by the ORM's converters
    (``ops.get_db_converters`` of ``Field.get_col``, then the field's), built by ``from_db``."""
    session = Session.objects.create(session_key="k" * 32, session_data="{}", expire_date=WHEN)
    loader = sql.Loader(Session)
    values = sql.row(
        f"SELECT {loader.select('s')} FROM django_session s WHERE s.session_key = %s",  # noqa: S608
        [session.session_key],
    )
    loaded = loader.load(values)
    assert (loaded.session_key, loaded.session_data, loaded.expire_date) == (
        "k" * 32,
        "{}",
        WHEN,
    )
    assert loaded.expire_date.tzinfo is not None
    assert not loaded._state.adding and loaded._state.db == connection.alias


@isolate_apps("etickets.core")
@pytest.mark.django_db
def test_parameters_and_conversions_round_trip_on_either_database():
    """``sql.adapted`` stores values as the ORM does (SQLite keeps UUIDs and dates as text), and
    the converters turn back what the database returns, whatever its storage."""

    class Probe(models.Model):  # noqa: DJ008
        token = models.UUIDField()
        flag = models.BooleanField()
        at = models.DateTimeField()

    token = uuid.uuid4()
    values = sql.row("SELECT %s, %s, %s, %s", [7, token, True, WHEN])
    probe = sql.Loader(Probe).load(values)
    assert (probe.pk, probe.token, probe.flag, probe.at) == (7, token, True, WHEN)
    assert type(probe.flag) is bool and isinstance(probe.token, uuid.UUID)


@pytest.mark.django_db
def test_an_insert_takes_the_ids_of_related_instances_saved_since():
    kind = ContentType(app_label="core_probe", model="probe")
    permission = Permission(name="Probe", content_type=kind, codename="probe")
    with pytest.raises(ValueError, match="unsaved related object"):
        permission._prepare_related_fields_for_save(operation_name="insert")
    kind.save()
    assert sql.insert([permission])
    assert permission.content_type_id == kind.pk and permission.pk is not None
    assert not permission._state.adding and permission._state.db == connection.alias
    assert Permission.objects.get(pk=permission.pk).codename == "probe"
    taken = Permission(name="Probe again", content_type=kind, codename="probe")
    assert not sql.insert([taken], unless_taken=True)


@pytest.mark.django_db
def test_insert_select_casts_each_value_to_its_column():
    group = Group(name="Contrôleurs")
    query, params = sql.insert_select([group])
    cast = Group._meta.get_field("name").cast_db_type(connection)
    assert query == f"INSERT INTO auth_group (name) SELECT %s::{cast} "
    assert params == ["Contrôleurs"]
    if connection.vendor == "postgresql":
        sql.execute(query, params)
        assert Group.objects.filter(name="Contrôleurs").exists()


@pytest.mark.django_db
def test_a_prefetch_set_by_hand_is_the_orm_s(django_assert_num_queries):
    """``sql.set_prefetched``: the queryset's ``_result_cache`` and ``_prefetch_done``, kept in
    the instance's ``_prefetched_objects_cache`` under the relation's name, for a many-to-many
    (a user's groups) and a reverse foreign key (an order's tickets)."""
    kind = ContentType.objects.create(app_label="core_probe", model="probe")
    permission = Permission.objects.create(name="Probe", content_type=kind, codename="probe")
    group = Group.objects.create(name="Probes")
    sql.set_prefetched(group, "permissions", [permission])
    sql.set_prefetched(kind, "permission_set", [permission])
    with django_assert_num_queries(0):
        assert list(group.permissions.all()) == [permission]
        assert list(kind.permission_set.all()) == [permission]
    assert set(group._prefetched_objects_cache) == {"permissions"}


@pytest.mark.django_db
def test_the_orm_s_prefetch_is_kept_under_the_relation_s_name():
    """``orders.selectors.with_tickets`` looks there before prefetching again."""
    kind = ContentType.objects.create(app_label="core_probe", model="probe")
    loaded = ContentType.objects.prefetch_related("permission_set").get(pk=kind.pk)
    assert "permission_set" in loaded._prefetched_objects_cache
    assert "permission_set" not in getattr(kind, "_prefetched_objects_cache", {})


@isolate_apps("etickets.core")
def test_a_reverse_one_to_one_cached_by_hand():
    """The cart's lines get their hold, or none, from the statement that read them (a query
    would fail: this test may not touch the database)."""

    class Line(models.Model):  # noqa: DJ008
        pass

    class Hold(models.Model):  # noqa: DJ008
        line = models.OneToOneField(Line, on_delete=models.CASCADE, related_name="hold")

    line, hold = Line(pk=1), Hold(pk=2)
    Line.hold.related.set_cached_value(line, hold)
    assert line.hold is hold
    bare = Line(pk=3)
    Line.hold.related.set_cached_value(bare, None)
    with pytest.raises(Hold.DoesNotExist):
        bare.hold  # noqa: B018 (the attribute read raises)


@isolate_apps("etickets.core")
def test_a_password_change_is_seen_until_the_save(monkeypatch):
    """``accounts.User.save`` ends the credentials when ``_password`` is set."""

    class Account(AbstractBaseUser):
        pass

    account = Account()
    assert account._password is None
    account.set_password("Sésame-Ouvre-Toi-2024!")
    assert account._password == "Sésame-Ouvre-Toi-2024!"
    monkeypatch.setattr(models.Model, "save", lambda self, *args, **kwargs: None)
    account.save()
    assert account._password is None


def test_a_new_instance_is_adding_until_loaded():
    assert Group()._state.adding
    loaded = Group.from_db("default", ["id", "name"], [1, "Probes"])
    assert not loaded._state.adding and loaded._state.db == "default"

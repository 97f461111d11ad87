"""check_backup dumps the database, restores the dump into a new database and compares every
table's row count: it passes on a faithful restore and fails when the restore loses rows or a
table. The PostgreSQL tests run the real pg_dump and pg_restore on the test database."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection

from etickets.core.management.commands import check_backup
from etickets.core.management.commands.check_backup import Command


@pytest.fixture
def source():
    """The test database's name, with rows in a few tables (the check's connections see them:
    the tests are transactional)."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore (CI runs the suite on PostgreSQL)")
    for name in ("Billetterie", "Contrôle", "Support"):
        Group.objects.create(name=name).permissions.set(Permission.objects.all()[:4])
    for _ in range(2):
        SessionStore().create()
    return connection.settings_dict["NAME"]


def databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {name for (name,) in cursor.fetchall()}


def run(*args: str) -> str:
    out = StringIO()
    call_command("check_backup", *args, stdout=out)
    return out.getvalue()


def after_restore(monkeypatch, statement: str) -> None:
    """Runs ``statement`` in the scratch database once pg_restore is done: a restore that lost
    something."""
    restore = Command.restore

    def lossy_restore(self, server, scratch, path):
        restore(self, server, scratch, path)
        with check_backup.connect(server, scratch, autocommit=True) as restored:
            restored.execute(statement)

    monkeypatch.setattr(Command, "restore", lossy_restore)


def test_it_refuses_a_database_other_than_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        run()


@pytest.mark.django_db(transaction=True)
def test_a_faithful_restore_passes_and_leaves_nothing_behind(source):
    before = databases()
    output = run()
    tables = len(connection.introspection.table_names())
    assert tables > 30
    rows = re.search(r"(\d+) tables compared, ([\d,]+) rows, dump .*: every count matches", output)
    assert rows and int(rows[1]) == tables
    assert int(rows[2].replace(",", "")) >= 3 + 12 + 2  # groups, their permissions, sessions
    scratch = re.search(r"Restored into (\S+) in", output)[1]
    assert re.fullmatch(rf"{source}_restorecheck_\d{{14}}", scratch)
    assert databases() == before
    dump = Path(re.search(r"Dumped \S+ to (.+): [\d.,]+ \w+ in", output)[1])
    assert "Kept" not in output and not dump.exists()


@pytest.mark.django_db(transaction=True)
def test_counts_and_dump_see_the_same_snapshot_while_the_site_writes(source, monkeypatch):
    """Groups are added (each committed at once) after the snapshot is exported, before the
    source is counted and while pg_dump runs: neither the counts nor the dump see them."""
    count_rows, dump = check_backup.count_rows, Command.dump

    def add_a_group():
        Group.objects.create(name=f"Ajouté pendant la sauvegarde {Group.objects.count()}")

    def count_rows_after_a_write(database):
        if database.info.dbname == source:
            add_a_group()
        return count_rows(database)

    def dump_during_a_write(self, *args):
        add_a_group()
        dump(self, *args)

    groups = Group.objects.count()
    monkeypatch.setattr(check_backup, "count_rows", count_rows_after_a_write)
    monkeypatch.setattr(Command, "dump", dump_during_a_write)
    assert "every count matches" in run()
    assert Group.objects.count() == groups + 2


@pytest.mark.django_db(transaction=True)
def test_rows_lost_by_the_restore_fail_the_check(source, monkeypatch):
    after_restore(
        monkeypatch,
        "DELETE FROM django_session WHERE ctid = (SELECT min(ctid) FROM django_session)",
    )
    sessions = Session.objects.count()
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 table\(s\) differ after the restore"):
        call_command("check_backup", "--scratch-database", f"{source}_lossy", stdout=out)
    assert f"  django_session: {sessions} rows in {source}, {sessions - 1} restored\n" in (
        out.getvalue()
    )
    assert f"{source}_lossy" not in databases()  # dropped after a failure too


@pytest.mark.django_db(transaction=True)
def test_a_table_lost_by_the_restore_fails_the_check(source, monkeypatch):
    after_restore(monkeypatch, "DROP TABLE auth_group CASCADE")
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 table\(s\) differ"):
        call_command("check_backup", stdout=out)
    assert "  auth_group: missing from the restored copy\n" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_keep_leaves_the_dump_and_the_restored_database(source, tmp_path):
    scratch = f"{source}_kept"
    dump = tmp_path / "etickets.dump"
    try:
        output = run("--output", str(dump), "--scratch-database", scratch, "--keep")
        assert f"Kept the scratch database {scratch}." in output
        assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
        server = check_backup.server_params(connection.settings_dict)
        with check_backup.connect(server, scratch) as restored:
            assert check_backup.count_rows(restored)["auth_group"] == Group.objects.count()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(scratch)}")


@pytest.mark.django_db(transaction=True)
def test_it_never_drops_a_database_it_did_not_create(source):
    groups = Group.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        run("--scratch-database", source)
    assert source in databases()
    assert Group.objects.count() == groups >= 3

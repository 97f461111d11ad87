"""Prove that a dump of the database restores: dump it, restore the dump into a new database
and compare every table's exact row count (docs/DEPLOYMENT.md, « Backups »)."""

import os
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql
from psycopg.abc import Query
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow

SCHEMA = "public"
# PostgreSQL truncates longer names: a scratch name keeps its timestamp and is the real one.
MAX_NAME_BYTES = 63
# Partitions are counted through their parent.
TABLES = """
    SELECT c.relname FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname
"""
# Given to psycopg and, as libpq's environment variables, to pg_dump and pg_restore: the
# password never appears on a command line.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
}


def server_params(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection's libpq parameters, the database's name aside."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        **{key: options.get(key) for key in LIBPQ_ENV if key in options},
    }
    return {key: str(value) for key, value in values.items() if value}


def connect(
    server: dict[str, str], dbname: str, *, autocommit: bool = False
) -> psycopg.Connection[TupleRow]:
    return psycopg.connect(make_conninfo(dbname=dbname, **server), autocommit=autocommit)


def count_rows(connection: psycopg.Connection[Any]) -> dict[str, int]:
    """Every table of the schema and its exact number of rows."""
    tables = [name for (name,) in connection.execute(TABLES, [SCHEMA])]
    counts = {}
    for table in tables:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(SCHEMA, table))
        counts[table] = scalar(connection, query)
    return counts


def scalar(connection: psycopg.Connection[Any], query: Query) -> Any:
    [(value,)] = connection.execute(query).fetchall()
    return value


def differences(source: dict[str, int], restored: dict[str, int], name: str) -> list[str]:
    lines = []
    for table in sorted(source.keys() | restored.keys()):
        if table not in restored:
            lines.append(f"  {table}: missing from the restored copy")
        elif table not in source:
            lines.append(f"  {table}: in the restored copy only")
        elif source[table] != restored[table]:
            lines.append(
                f"  {table}: {source[table]:,} rows in {name}, {restored[table]:,} restored"
            )
    return lines


def file_size(size: int) -> str:
    scaled, unit = float(size), "bytes"
    for larger in ("kB", "MB", "GB"):
        if scaled < 1000:
            break
        scaled, unit = scaled / 1000, larger
    return f"{size} bytes" if unit == "bytes" else f"{scaled:,.1f} {unit}"


class Command(BaseCommand):
    help = (
        "Dump the database with pg_dump, restore the dump into a new scratch database with "
        "pg_restore, and compare every table's row count (PostgreSQL; needs CREATEDB)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")
        parser.add_argument(
            "--output", metavar="PATH", help="Write the dump here and keep it (default: temp file)."
        )
        parser.add_argument(
            "--scratch-database",
            metavar="NAME",
            help="The new database to restore into (default: <name>_restorecheck_<timestamp>).",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the dump and the scratch database."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError(
                f"check_backup needs PostgreSQL (pg_dump, pg_restore); the database "
                f"{options['database']!r} is {connection.vendor}."
            )
        server = server_params(connection.settings_dict)
        source: str = connection.settings_dict["NAME"]
        scratch: str = options["scratch_database"] or self.scratch_name(source)
        if len(scratch.encode()) > MAX_NAME_BYTES:
            raise CommandError(f"{scratch!r} is longer than PostgreSQL's {MAX_NAME_BYTES} bytes.")
        temporary = not options["output"]
        if temporary:
            descriptor, temp_name = tempfile.mkstemp(prefix="check_backup-", suffix=".dump")
            os.close(descriptor)
            dump = Path(temp_name)
        else:
            dump = Path(options["output"])
        started = time.monotonic()
        created = dumped = False
        try:
            # First, so that a taken name or a missing privilege fails before a long dump.
            self.create_database(server, source, scratch)
            created = True
            # pg_dump reads the snapshot this transaction exports, so that the counts are of
            # exactly the rows it dumps while the site keeps writing: the transaction must stay
            # open until pg_dump is done.
            with connect(server, source) as snapshot_holder:
                snapshot_holder.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                snapshot_holder.read_only = True
                snapshot = scalar(snapshot_holder, "SELECT pg_export_snapshot()")
                source_counts = count_rows(snapshot_holder)
                phase = time.monotonic()
                self.dump(server, source, snapshot, dump)
            dumped = True
            dump_size = file_size(dump.stat().st_size)
            self.stdout.write(
                f"Dumped {source} to {dump}: {dump_size} in {time.monotonic() - phase:.1f} s."
            )
            phase = time.monotonic()
            self.restore(server, scratch, dump)
            self.stdout.write(f"Restored into {scratch} in {time.monotonic() - phase:.1f} s.")
            with connect(server, scratch, autocommit=True) as restored:
                restored_counts = count_rows(restored)
        except psycopg.Error as error:
            raise CommandError(f"PostgreSQL: {error}") from error
        finally:
            if created:
                self.drop_or_keep(server, source, scratch, options["keep"])
            if temporary and options["keep"] and dumped:
                self.stdout.write(f"Kept the dump {dump}.")
            elif temporary:
                dump.unlink(missing_ok=True)
        lines = differences(source_counts, restored_counts, source)
        for line in lines:
            self.stdout.write(line)
        summary = (
            f"{len(source_counts)} tables compared, {sum(source_counts.values()):,} rows, "
            f"dump {dump_size}, {time.monotonic() - started:.1f} s"
        )
        if lines:
            raise CommandError(
                f"{len(lines)} table(s) differ after the restore ({summary}): "
                "the dump does not restore the database."
            )
        self.stdout.write(self.style.SUCCESS(f"{summary}: every count matches."))

    @staticmethod
    def scratch_name(source: str) -> str:
        suffix = f"_restorecheck_{datetime.now(UTC):%Y%m%d%H%M%S}"
        prefix = source.encode()[: MAX_NAME_BYTES - len(suffix)].decode(errors="ignore")
        return prefix + suffix

    def dump(self, server: dict[str, str], source: str, snapshot: str, path: Path) -> None:
        self.run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={path}",
                f"--dbname={source}",
            ],
            server,
        )

    def create_database(self, server: dict[str, str], source: str, scratch: str) -> None:
        """An empty database (template0, as pg_restore wants) with the source's encoding and
        locale, so that every value the dump holds can be restored."""
        with connect(server, source, autocommit=True) as admin:
            [row] = admin.execute(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                "WHERE datname = current_database()"
            ).fetchall()
            admin.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
                ).format(sql.Identifier(scratch), *map(sql.Literal, row))
            )

    def restore(self, server: dict[str, str], scratch: str, path: Path) -> None:
        self.run(
            ["pg_restore", "--exit-on-error", "--no-owner", f"--dbname={scratch}", str(path)],
            server,
        )

    def drop_or_keep(self, server: dict[str, str], source: str, scratch: str, keep: bool) -> None:
        """Only ever called for a database this run created, never for one it was merely
        named; a failure is reported, not raised, so that it hides no error of the check."""
        if keep:
            self.stdout.write(f"Kept the scratch database {scratch}.")
            return
        try:
            with connect(server, source, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(scratch)))
        except psycopg.Error as error:
            self.stderr.write(f"Could not drop the scratch database {scratch}: {error}")

    def run(self, command: list[str], server: dict[str, str]) -> None:
        program = shutil.which(command[0])
        if program is None:
            raise CommandError(
                f"{command[0]} not found: install PostgreSQL's client tools (the server's "
                "major version or newer)."
            )
        env = {**os.environ, **{LIBPQ_ENV[key]: value for key, value in server.items()}}
        try:
            # An argument list and no shell: names are passed as they are, never parsed.
            subprocess.run(  # noqa: S603
                [program, *command[1:]], check=True, env=env, capture_output=True, text=True
            )
        except subprocess.CalledProcessError as error:
            raise CommandError(
                f"{command[0]} failed (exit {error.returncode}): {error.stderr.strip()}"
            ) from error

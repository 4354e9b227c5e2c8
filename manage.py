"""Twara's administration command line.

python manage.py create-admin --username NAME --password PASS [--full-name "..."]
python manage.py demo --size small|large
python manage.py worker [--concurrency N]
python manage.py migrate
python manage.py backup [--output FILE]
python manage.py restore FILE
python manage.py import KIND FILE [--map COLUMN=FIELD ...] [--dry-run] [--duplicates skip|import] [--user NAME]
python manage.py export KIND [--format csv|xlsx] [--output FILE] [--user NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

from config import get_config


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


# Each command imports what it needs when it runs (deferred: `--help` and a mistyped command
# answer at once, without loading SQLAlchemy, procrastinate and the services).


def _runtime(start_worker: bool = False):  # type: ignore[no-untyped-def]
    from runtime import init_runtime  # deferred, see above

    return init_runtime(start_worker=start_worker)


def cmd_create_admin(args: argparse.Namespace) -> int:
    # deferred imports, see above
    from common.errors import DomainError, ValidationError
    from common.i18n import translate
    from core.services.users import create_first_admin
    from db.session import UnitOfWork

    rt = _runtime()
    try:
        user_id = create_first_admin(
            UnitOfWork(rt.sessionmaker, None),
            args.username,
            args.full_name or args.username,
            args.password,
            args.email or "",
        )
    except ValidationError as exc:
        for field, (message, params) in exc.errors.items():
            print(f"error: --{field.replace('_', '-')}: {translate(message, 'en', **params)}", file=sys.stderr)
        return 2
    except DomainError as exc:
        return _fail(translate(exc.message, "en", **exc.params))
    print(f"Administrator {args.username!r} created (id {user_id}). Log in at {rt.config.app_base_url}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    # deferred imports, see above
    from core.services.users import remove_demo_users
    from demo.load import DEMO_PASSWORD, DemoRefused, load_demo

    rt = _runtime()
    if args.remove_users:
        deleted, disabled = remove_demo_users(rt.uow())
        print(f"Demo accounts deleted: {', '.join(deleted) or 'none'}.")
        if disabled:
            print(f"Disabled instead (records point to them): {', '.join(disabled)}.")
        return 0
    started = dt.datetime.now()
    try:
        result = load_demo(rt.sessionmaker, args.size, force=args.force)
    except DemoRefused as exc:
        return _fail(str(exc))
    took = (dt.datetime.now() - started).total_seconds()
    if args.size == "small" and not result.employees:
        print("Demo data is already loaded; nothing added.")
        return 0
    print(f"Added {result.employees} employees in {took:.1f} s.")
    if result.fleet:
        print(
            "Fleet: {vehicles} vehicles and trailers, {documents} documents, {drivers} drivers.".format(**result.fleet)
        )
    if result.fleet and "items" in result.fleet:
        print("Warehouse: {items} items, {invoices} invoices over a year.".format(**result.fleet))
        if "clients" in result.fleet:
            print("CRM: {clients} clients, {interactions} interactions.".format(**result.fleet))
    if result.fleet and "trips" in result.fleet:
        print("Transport: {orders} orders, {trips} trips.".format(**result.fleet))
    if result.users:
        print(f"Demo users (password {DEMO_PASSWORD}): {', '.join(result.users)}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    rt = _runtime()
    app = rt.job_app()
    print("Twara worker started; Ctrl+C stops it.")
    app.run_worker(concurrency=args.concurrency, name=f"worker-{os.getpid()}", delete_jobs="successful")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    # deferred imports, see above
    from db.migrate import current_revision

    rt = _runtime()
    print(f"Database at revision {current_revision(rt.engine)}.")
    return 0


def _pg_env(conninfo: str) -> tuple[list[str], dict[str, str]]:
    """The connection for pg_dump/pg_restore, with the password in the environment
    (never on the command line, where other users of the machine could read it)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(conninfo)
    env = dict(os.environ)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = str(password)
    return ["--dbname", make_conninfo(**{k: str(v) for k, v in params.items()})], env


def _pg_tool(rt, name: str) -> str:  # type: ignore[no-untyped-def]
    path = Path(rt.location.bin_dir) / name
    return str(path)


def cmd_backup(args: argparse.Namespace) -> int:
    rt = _runtime()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    output = Path(args.output or (rt.config.data_dir / "backups" / f"twara-{stamp}.dump")).resolve()
    # a backup holds password hashes and personal data: readable by this user only
    try:
        if args.output is None:
            output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            output.parent.chmod(0o700)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot write to {output.parent}: {exc.strerror}")
    dbargs, env = _pg_env(rt.location.conninfo)
    previous = os.umask(0o077)  # pg_dump creates the file 0600
    try:
        proc = subprocess.run(
            [_pg_tool(rt, "pg_dump"), "--format=custom", "--no-owner", "--file", str(output), *dbargs],
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        os.umask(previous)
    if proc.returncode != 0:
        return _fail(f"pg_dump failed: {proc.stderr.strip()}")
    output.chmod(0o600)
    print(f"Backup written to {output} ({output.stat().st_size / 1024:.0f} KB).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    source = Path(args.file).resolve()
    if not source.is_file():
        return _fail(f"no backup file at {source}")
    rt = _runtime()
    if rt.worker:
        rt.worker.stop()
    dbargs, env = _pg_env(rt.location.conninfo)
    proc = subprocess.run(
        [
            _pg_tool(rt, "pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *dbargs,
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return _fail(f"pg_restore failed, nothing was changed: {proc.stderr.strip()[-800:]}")
    print(f"Restored {source}. Restart the app servers and workers.")
    return 0


IMPORT_KINDS = (  # core.services.importing
    "clients",
    "vehicles",
    "trailers",
    "drivers",
    "items",
    "balances",
    "places",
    "distances",
)
EXPORT_KINDS = (
    "clients",
    "employees",
    "vehicles",
    "trailers",
    "drivers",
    "items",
    "users",
    "stock_documents",
    "places",
    "distances",
)


def _actor(rt, username: str | None):  # type: ignore[no-untyped-def]
    """The system, or the active user named (whose rights then apply and who signs the log)."""
    # deferred imports, see above
    from common.actor import SYSTEM
    from core.services.users import actor_for

    return actor_for(rt.uow(), username) if username else SYSTEM


def _mapping(pairs: list[str]) -> dict[str, str]:
    chosen = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"--map takes COLUMN=FIELD (FIELD empty or 'ignore' to ignore it), not {pair!r}")
        chosen[column.strip()] = "" if target.strip().lower() in ("", "ignore") else target.strip()
    return chosen


def cmd_import(args: argparse.Namespace) -> int:
    # deferred imports, see above
    from common.errors import DomainError
    from common.i18n import translate
    from core.services.importing import rejected_csv, run_import

    source = Path(args.file)
    if not source.is_file():
        return _fail(f"no file at {source}")
    try:
        chosen = _mapping(args.map or [])
    except ValueError as exc:
        return _fail(str(exc), 2)
    rt = _runtime()
    try:
        actor = _actor(rt, args.user)
        report = run_import(
            rt.uow(), actor, args.kind, source.name, source.read_bytes(), chosen, args.duplicates, args.dry_run
        )
    except DomainError as exc:
        return _fail(translate(exc.message, "en", **exc.params))
    for line in report.lines("en"):
        print(line)
    if report.rejected and args.rejected:
        Path(args.rejected).write_bytes(rejected_csv(report, "en"))
        print(f"Rows not imported, with the reason, written to {args.rejected}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    # deferred imports, see above
    from common.errors import DomainError
    from common.i18n import translate
    from core.services.importing import export_file

    rt = _runtime()
    try:
        data, count = export_file(rt.uow(), _actor(rt, args.user), args.kind, args.format)
    except DomainError as exc:
        return _fail(translate(exc.message, "en", **exc.params))
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"{count} {args.kind} written to {args.output}.")
    elif args.format == "csv":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        return _fail("an Excel file needs --output FILE")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manage.py", description="Twara administration")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("create-admin", help="create the first administrator")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--full-name")
    p.add_argument("--email")
    p.set_defaults(func=cmd_create_admin)
    p = sub.add_parser("demo", help="load demo data")
    p.add_argument("--size", choices=["small", "large"], default="small")
    p.add_argument("--force", action="store_true", help="load even into a database with the company's own records")
    p.add_argument("--remove-users", action="store_true", help="delete the demo accounts (published password)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("worker", help="run a background worker (for larger installs)")
    p.add_argument("--concurrency", type=int, default=3)
    p.set_defaults(func=cmd_worker)
    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("backup", help="write a backup with pg_dump")
    p.add_argument("--output")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="restore a backup with pg_restore")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("import", help="import a CSV or Excel file, with the same per-row report as the screen")
    p.add_argument("kind", choices=IMPORT_KINDS)
    p.add_argument("file")
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD", help="read a column as a field, or =ignore")
    p.add_argument("--dry-run", action="store_true", help="check everything and save nothing")
    p.add_argument("--duplicates", choices=["skip", "import"], default="skip", help="likely duplicates (default: skip)")
    p.add_argument("--rejected", metavar="FILE", help="write the rows not imported, with the reason, to this CSV")
    p.add_argument("--user", help="act as this user (default: the system)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="export a catalog as CSV or Excel")
    p.add_argument("kind", choices=EXPORT_KINDS)
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--output", metavar="FILE", help="the file to write (default: CSV to the standard output)")
    p.add_argument("--user", help="act as this user (default: the system)")
    p.set_defaults(func=cmd_export)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from db.server import DatabaseUnavailable  # deferred, see above

    try:
        return int(args.func(args))
    except DatabaseUnavailable as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    get_config()
    sys.exit(main())

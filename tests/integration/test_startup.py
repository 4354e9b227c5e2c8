"""Starting Twara: bad configuration gives a clear message, concurrent starts do not race,
the schema matches the models, and the command line works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from db.server import DatabaseUnavailable, locate
from tests.conftest import ROOT, fresh_database


def manage(*args: str, env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "TWARA_IN_APP_WORKER": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout
    )


def test_a_database_url_that_points_nowhere_is_explained():
    with pytest.raises(DatabaseUnavailable, match=r"Cannot connect to the database at 127\.0\.0\.1:9"):
        locate("postgresql://twara:x@127.0.0.1:9/twara", Path("/tmp"))


def test_a_non_postgresql_url_is_explained():
    with pytest.raises(DatabaseUnavailable, match="must be a PostgreSQL URL"):
        locate("mysql://u:p@localhost/db", Path("/tmp"))


def test_command_line_reports_an_unreachable_database_without_a_traceback():
    proc = manage("migrate", env={"DATABASE_URL": "postgresql://twara:x@127.0.0.1:9/twara"})
    assert proc.returncode == 1
    assert "Cannot connect to the database" in proc.stderr and "Traceback" not in proc.stderr


def test_a_data_folder_that_is_not_writable_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = manage("migrate", env={"TWARA_DATA_DIR": str(blocker / "data"), "DATABASE_URL": ""})
    assert proc.returncode == 1
    assert "is not writable" in proc.stderr and "Traceback" not in proc.stderr


def test_two_processes_starting_together_migrate_once(database):
    location = fresh_database(database, "twara_race")
    with create_engine(location.sqlalchemy_url).begin() as conn:  # back to an empty database
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    env = {**os.environ, "DATABASE_URL": location.conninfo, "TWARA_IN_APP_WORKER": "0"}
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "migrate"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    with create_engine(database.sqlalchemy_url).connect() as conn:  # migrated once, by the fixture
        expected = conn.execute(text("SELECT count(*) FROM parameter")).scalar()
    with create_engine(location.sqlalchemy_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM parameter")).scalar() == expected
        assert conn.execute(text("SELECT count(*) FROM company_profile")).scalar() == 1


def test_the_models_and_the_migrations_agree(database):
    location = fresh_database(database, "twara_check")
    proc = subprocess.run(
        [sys.executable, "-m", "alembic", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": location.conninfo},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No new upgrade operations detected" in proc.stdout + proc.stderr


def test_create_admin_from_the_command_line(database):
    location = fresh_database(database, "twara_cli")
    env = {"DATABASE_URL": location.conninfo}
    weak = manage("create-admin", "--username", "boss", "--password", "short", env=env)
    assert weak.returncode == 2 and "--password" in weak.stderr and "Traceback" not in weak.stderr
    # the address printed is where `streamlit run app.py` serves (here its port and base path
    # from Streamlit's variables), not a fixed port
    served = {**env, "STREAMLIT_SERVER_PORT": "8612", "STREAMLIT_SERVER_BASE_URL_PATH": "twara"}
    ok = manage("create-admin", "--username", "boss", "--password", "Kigali-Heights-7", env=served)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("Log in at http://localhost:8612/twara"), ok.stdout
    again = manage("create-admin", "--username", "other", "--password", "Kigali-Heights-7", env=env)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_create_admin_names_the_public_address_when_one_is_set(database):
    location = fresh_database(database, "twara_cli_url")
    env = {
        "DATABASE_URL": location.conninfo,
        "TWARA_BASE_URL": "https://twara.example.rw/",
        "STREAMLIT_SERVER_PORT": "8612",
    }
    ok = manage("create-admin", "--username", "boss", "--password", "Kigali-Heights-7", env=env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("Log in at https://twara.example.rw"), ok.stdout


def test_backup_and_restore_bring_the_data_back(database, tmp_path):
    location = fresh_database(database, "twara_backup")
    env = {"DATABASE_URL": location.conninfo}
    assert manage("demo", "--size", "small", env=env).returncode == 0
    engine = create_engine(location.sqlalchemy_url)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM fleet_document")).scalar()
    dump = tmp_path / "twara.dump"
    backup = manage("backup", "--output", str(dump), env=env)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 1000
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM fleet_document"))
    restore = manage("restore", str(dump), env=env)
    assert restore.returncode == 0, restore.stderr
    with engine.connect() as conn:
        assert before and conn.execute(text("SELECT count(*) FROM fleet_document")).scalar() == before
    engine.dispose()


def test_restore_of_a_missing_file_is_explained():
    proc = manage("restore", "/nonexistent/twara.dump")
    assert proc.returncode == 1 and "no backup file" in proc.stderr


def test_a_backup_is_readable_by_its_owner_only(database, tmp_path):
    location = fresh_database(database, "twara_backup_private")
    env = {"DATABASE_URL": location.conninfo, "TWARA_DATA_DIR": str(tmp_path)}
    proc = manage("backup", env=env)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "backups"
    (dump,) = folder.iterdir()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert dump.stat().st_mode & 0o777 == 0o600


def test_demo_data_is_refused_on_a_company_database_and_its_accounts_can_be_removed(database):
    location = fresh_database(database, "twara_demo_refused")
    env = {"DATABASE_URL": location.conninfo}
    engine = create_engine(location.sqlalchemy_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employee (code, full_name) VALUES ('E000001', 'Real Person')"))
    refused = manage("demo", "--size", "small", env=env)
    assert refused.returncode == 1 and "own records" in refused.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_user")).scalar() == 0  # nothing half-way
    forced = manage("demo", "--size", "small", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "Demo-pass-2026" in forced.stdout  # a newcomer still sees how to log in
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_user WHERE is_demo")).scalar() == 6
    removed = manage("demo", "--remove-users", env=env)
    assert removed.returncode == 0, removed.stderr
    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM app_user WHERE is_demo AND is_active")).scalar()
    assert left == 0
    engine.dispose()


def test_import_and_export_from_the_command_line_print_the_report(database, tmp_path):
    location = fresh_database(database, "twara_cli_import")
    env = {"DATABASE_URL": location.conninfo}
    source = tmp_path / "clients.csv"
    source.write_bytes(
        "Name;Town;Mobile;Fax\r\nKivu Beer Ltd;Rubavu;0788 100 200;\r\nKIVU BEER;Rubavu;0788100200;\r\n"
        "Café Nyamirambo;Kigali;0788 300 400;x\r\nBad Phone Co;Musanze;12345;\r\n".encode("cp1252")
    )
    dry = manage("import", "clients", str(source), "--dry-run", "--map", "Fax=ignore", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Read as a CSV file separated by semicolons (;), encoding Windows-1252." in dry.stdout
    assert "Column town read as region." in dry.stdout and "Column fax ignored (your choice)." in dry.stdout
    assert "Row 3: Likely a repeat of row 2 (same name, same phone). Skipped." in dry.stdout
    assert "Row 5: phone:" in dry.stdout
    assert "Dry run, nothing was saved: 2 rows would be imported, 2 not." in dry.stdout
    engine = create_engine(location.sqlalchemy_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM client")).scalar() == 0
    rejected = tmp_path / "rejected.csv"
    done = manage("import", "clients", str(source), "--rejected", str(rejected), env=env)
    assert done.returncode == 0, done.stderr
    assert "Column fax ignored: this import has no such field." in done.stdout
    assert "2 rows imported, 2 not imported." in done.stdout
    assert "Bad Phone Co" in rejected.read_text(encoding="utf-8-sig")
    with engine.connect() as conn:
        regions = dict(conn.execute(text("SELECT name, region FROM client")).all())
    assert regions == {"Kivu Beer Ltd": "Rubavu", "Café Nyamirambo": "Kigali"}
    engine.dispose()

    exported = manage("export", "clients", env=env)
    assert exported.returncode == 0, exported.stderr
    assert "Kivu Beer Ltd" in exported.stdout and "Rubavu" in exported.stdout
    book = tmp_path / "clients.xlsx"
    as_excel = manage("export", "clients", "--format", "xlsx", "--output", str(book), env=env)
    assert as_excel.returncode == 0 and "2 clients written" in as_excel.stdout, as_excel.stderr
    cells = {cell for row in load_workbook(book).active.iter_rows(values_only=True) for cell in row}
    assert {"Café Nyamirambo", "Kivu Beer Ltd", "name"} <= cells
    unknown = manage("import", "boats", str(source), env=env)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
    nobody = manage("export", "users", "--user", "ghost", env=env)
    assert nobody.returncode == 1 and "no active user named ghost" in nobody.stderr

"""Style never drifts: ruff (lint and format) on everything, mypy on core/ and db/."""

import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    proc = run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout


def test_code_is_formatted():
    proc = run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout


def test_mypy_accepts_the_core_and_the_database_layer():
    proc = run("mypy", "common", "core", "db")
    assert proc.returncode == 0, proc.stdout

"""A database that cannot be reached gives a clear message on screen, never a traceback."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_unreachable_database_is_explained_on_the_first_screen(monkeypatch):
    import config
    import runtime as runtime_module
    from ui.context import _runtime

    _runtime.clear()  # the process cache of the runtime, as on a fresh server

    monkeypatch.setenv("DATABASE_URL", "postgresql://twara:x@127.0.0.1:9/twara")
    config.get_config.cache_clear()
    saved = runtime_module._runtime
    runtime_module._runtime = None
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    finally:
        _runtime.clear()
        runtime_module._runtime = saved
        monkeypatch.delenv("DATABASE_URL")
        config.get_config.cache_clear()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Twara cannot start: Cannot connect to the database at 127.0.0.1:9")

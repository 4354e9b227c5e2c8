"""Process configuration: environment variables, then Streamlit secrets, then local defaults.

Only deployment facts live here (where the database is, where files go, which e-mail
provider to use). Business values a company tunes live in the settings tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from common.outbound import DEFAULT_BASE_URL

ROOT = Path(__file__).resolve().parent


def _secret(name: str) -> str | None:
    """Read a value from Streamlit secrets when running under Streamlit, else None."""
    try:
        import streamlit as st

        if name in st.secrets:
            return str(st.secrets[name])
    except Exception:  # no secrets file, or not running under Streamlit
        return None
    return None


def _get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    secret = _secret(name)
    if secret is not None:
        return secret
    return default


def _flag(name: str, default: bool) -> bool:
    value = _get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    database_url: str | None
    data_dir: Path
    in_app_worker: bool
    sendgrid_api_key: str | None
    sendgrid_host: str | None
    mail_from: str
    app_base_url: str


@lru_cache(maxsize=1)
def get_config() -> Config:
    return Config(
        database_url=_get("DATABASE_URL"),
        data_dir=Path(_get("TWARA_DATA_DIR", str(ROOT / "data")) or "data").expanduser().resolve(),
        in_app_worker=_flag("TWARA_IN_APP_WORKER", True),
        sendgrid_api_key=_get("SENDGRID_API_KEY"),
        sendgrid_host=_get("SENDGRID_HOST"),
        mail_from=_get("TWARA_MAIL_FROM", "twara@localhost") or "twara@localhost",
        app_base_url=_get("TWARA_BASE_URL", DEFAULT_BASE_URL) or DEFAULT_BASE_URL,
    )

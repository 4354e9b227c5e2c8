"""Process configuration: environment variables, then Streamlit secrets, then local defaults.

Only deployment facts live here (where the database is, where files go, which e-mail
provider to use). Business values a company tunes live in the settings tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from common.outbound import ROUTING_KINDS, RoutingServer

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


@lru_cache(maxsize=1)
def served_base_url() -> str:
    """The address `streamlit run app.py` serves, read from Streamlit's own settings: inside
    the app, the options it runs with (its flags included); elsewhere (`manage.py`), the
    STREAMLIT_SERVER_* variables, then `.streamlit/config.toml` of the current folder and of
    the home folder, as `streamlit run` would read them. Scheme, host, port, base path."""
    from streamlit import config as st_config  # deferred: heavy, and only when TWARA_BASE_URL is unset
    from streamlit import runtime as st_runtime  # deferred, as above

    options = st_config.get_config_options()
    in_server = st_runtime.exists()  # `streamlit run` has turned its variables into flags already

    def option(key: str) -> object:
        opt = options[key]
        return opt.value if in_server else os.environ.get(opt.env_var) or opt.value

    scheme = "https" if option("server.sslCertFile") else "http"
    host = str(option("server.address") or "")
    if host in ("", "0.0.0.0", "::"):  # every interface: this machine's name for itself
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"  # an IPv6 address
    path = str(option("server.baseUrlPath") or "").strip("/")
    return f"{scheme}://{host}:{option('server.port')}" + (f"/{path}" if path else "")


@dataclass(frozen=True)
class Config:
    database_url: str | None
    data_dir: Path
    in_app_worker: bool
    sendgrid_api_key: str | None
    sendgrid_host: str | None
    mail_from: str
    base_url_setting: str | None  # TWARA_BASE_URL
    routing: RoutingServer | None = None  # TWARA_ROUTING_URL and the rest

    @property
    def app_base_url(self) -> str:
        """The address people open, for the links in notices and on the command line:
        TWARA_BASE_URL (the balancer's or proxy's address), else where Streamlit serves."""
        return (self.base_url_setting or served_base_url()).rstrip("/")


def routing_server() -> RoutingServer | None:
    """The routing server from TWARA_ROUTING_URL (unset: none, distances never leave the
    building), TWARA_ROUTING_KIND (osrm or valhalla; unset: valhalla when the address says
    so, else osrm), TWARA_ROUTING_TIMEOUT (seconds, 5) and TWARA_ROUTING_PROFILE."""
    url = (_get("TWARA_ROUTING_URL") or "").strip().rstrip("/")
    if not url:
        return None
    kind = (_get("TWARA_ROUTING_KIND") or ("valhalla" if "valhalla" in url.lower() else "osrm")).strip().lower()
    if kind not in ROUTING_KINDS:
        raise ValueError(f"TWARA_ROUTING_KIND must be one of {', '.join(ROUTING_KINDS)}, not {kind!r}")
    raw_timeout = (_get("TWARA_ROUTING_TIMEOUT") or "5").strip()
    if not raw_timeout.isdigit() or not 1 <= int(raw_timeout) <= 120:
        raise ValueError(f"TWARA_ROUTING_TIMEOUT is whole seconds from 1 to 120, not {raw_timeout!r}")
    return RoutingServer(kind, url, int(raw_timeout), (_get("TWARA_ROUTING_PROFILE") or "").strip())


@lru_cache(maxsize=1)
def get_config() -> Config:
    return Config(
        database_url=_get("DATABASE_URL"),
        data_dir=Path(_get("TWARA_DATA_DIR", str(ROOT / "data")) or "data").expanduser().resolve(),
        in_app_worker=_flag("TWARA_IN_APP_WORKER", True),
        sendgrid_api_key=_get("SENDGRID_API_KEY"),
        sendgrid_host=_get("SENDGRID_HOST"),
        mail_from=_get("TWARA_MAIL_FROM", "twara@localhost") or "twara@localhost",
        base_url_setting=_get("TWARA_BASE_URL"),
        routing=routing_server(),
    )

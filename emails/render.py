"""Render e-mail templates in a sandbox: templates are data a company may edit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from common.i18n import translate

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )
    return env


def render(name: str, lang: str, **context: Any) -> tuple[str, str]:
    """Render `<name>.txt` and `<name>.html` with `t` bound to the reader's language."""
    env = environment()
    ctx = {**context, "t": lambda msg, **p: translate(msg, lang, **p)}
    text = env.get_template(f"{name}.txt").render(**ctx)
    html = env.get_template(f"{name}.html").render(**ctx)
    return text, html

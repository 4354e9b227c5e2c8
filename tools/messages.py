"""Extract every translatable message and keep the gettext catalogs in step.

    python -m tools.messages          # writes locales/messages.pot, merges into each .po

A message is the first string argument of `t(...)`, `t_plain(...)`, `N_(...)` or `translate(...)` in the
code, `t("...")` in the e-mail templates, and the descriptions of the parameters seeded
by migrations (parameters, document types, categories). A message with a count is the
first two string arguments (singular, plural) of `t_n(...)`, `t_plain_n(...)`, `N_n(...)` or
`translate_n(...)`: it goes into the catalogs with its `msgid_plural`, and each language's
.po holds one translation per plural form of its `Plural-Forms` header.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["app.py", "manage.py", "runtime.py", "common", "pages", "ui", "core", "db", "demo", "emails", "jobs"]
CALLS = {"t", "t_plain", "N_", "translate"}
PLURAL_CALLS = {"t_n", "t_plain_n", "N_n", "translate_n"}
# seed lists in migrations whose texts are shown on screen: list name -> index of the text
SEEDS = {"PARAMETERS": 5, "DOCUMENT_TYPES": 0, "CATEGORIES": 1, "STAFF_SEEDS": 1}  # CATEGORIES: names or tuples
TEMPLATE_RE = re.compile(r"""\bt\(\s*"((?:[^"\\]|\\.)*)\"""")


def _python_files() -> list[Path]:
    files: list[Path] = []
    for src in SOURCES:
        path = ROOT / src
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value else None


def extract() -> dict[str | tuple[str, str], list[str]]:
    """msgid (or (singular, plural) for a message with a count) -> places it occurs."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for path in _python_files():
        rel = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in CALLS and node.args and (value := _text(node.args[0])):
                    found.setdefault(value, []).append(f"{rel}:{node.lineno}")
                if name in PLURAL_CALLS and len(node.args) >= 2:
                    singular, plural = _text(node.args[0]), _text(node.args[1])
                    if singular and plural:
                        found.setdefault((singular, plural), []).append(f"{rel}:{node.lineno}")
            targets = [getattr(tg, "id", "") for tg in node.targets] if isinstance(node, ast.Assign) else []
            seed = next((SEEDS[name] for name in targets if name in SEEDS), None)
            if "migrations/versions" in rel and seed is not None:
                for item in getattr(node.value, "elts", []):  # type: ignore[attr-defined]
                    shown = item.elts[seed] if isinstance(item, ast.Tuple) else item
                    if isinstance(shown, ast.Constant):
                        found.setdefault(shown.value, []).append(f"{rel}:{shown.lineno}")
    for tpl in sorted((ROOT / "emails" / "templates").glob("*.*")):
        for match in TEMPLATE_RE.finditer(tpl.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), []).append(str(tpl.relative_to(ROOT)))
    return found


def update_catalogs() -> dict[str, int]:
    messages = extract()
    template = Catalog(project="Twara")
    for msgid, places in sorted(messages.items(), key=lambda item: _sort_key(item[0])):
        template.add(msgid, locations=[(p.split(":")[0], None) for p in places[:3]])
    with (ROOT / "locales" / "messages.pot").open("wb") as fh:
        write_po(fh, template, omit_header=True, sort_output=True, no_location=True)
    missing: dict[str, int] = {}
    for po_path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po")):
        lang = po_path.parent.parent.name
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po_path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, no_location=True, width=0)
        missing[lang] = sum(1 for m in catalog if m.id and (m.fuzzy or not translated(m.string)))
    return missing


def _sort_key(msgid: str | tuple[str, str]) -> tuple[str, str]:
    return (msgid, "") if isinstance(msgid, str) else msgid


def translated(string: str | tuple[str, ...] | list[str]) -> bool:
    """A message is translated when it has its text, or every plural form of it."""
    if isinstance(string, tuple | list):
        return bool(string) and all(string)
    return bool(string)


if __name__ == "__main__":
    result = update_catalogs()
    for lang, count in result.items():
        print(f"{lang}: {count} messages without translation")
    sys.exit(0)

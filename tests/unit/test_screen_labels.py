"""Labels that sit side by side on one screen differ in every language.

Columns and tabs are keyed by their code, so a clash no longer loses a column; but two
headers that read alike ("Type" and "Model" both "Ubwoko") still leave the reader unable
to tell them apart. This reads the code for every group of labels shown together (the
columns of a grid, the tabs of a screen, a catalog's tabs, a catalog's toolbar) and checks
their translations in every language of the catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from common.i18n import LANGUAGES, translate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
MARKERS = {"t", "t_plain", "N_"}
CATALOG_TABS = ["Details", "Attachments", "History"]  # ui.catalog adds these around a catalog's own tabs
TOOLBAR = ["Search", "Sort by", "Descending", "Open record", "Rows per page"]


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _message(node: ast.AST) -> str | None:
    """The msgid of `t("…")`, `N_("…")` or a bare string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and _name(node.func) in MARKERS and node.args:
        return _message(node.args[0])
    return None


def _second_arg(call: ast.Call, keyword: str) -> str | None:
    if len(call.args) > 1:
        return _message(call.args[1])
    for kw in call.keywords:
        if kw.arg == keyword:
            return _message(kw.value)
    return None


def _groups(tree: ast.AST, where: str) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple)):
            columns = [e for e in node.elts if isinstance(e, ast.Call) and _name(e.func) == "Column"]
            labels = [m for m in (_second_arg(c, "label") for c in columns) if m]
            if len(labels) > 1:
                found.append((f"{where}:{node.lineno} columns", labels))
        if isinstance(node, ast.Call) and _name(node.func) == "tabs" and node.args:
            first = node.args[0]
            if isinstance(first, (ast.List, ast.Tuple)):
                labels = [m for m in map(_message, first.elts) if m]
                if len(labels) > 1:
                    found.append((f"{where}:{node.lineno} tabs", labels))
        if isinstance(node, ast.Call) and _name(node.func) == "Catalog":
            keywords = {kw.arg: kw.value for kw in node.keywords}
            tabs = list(CATALOG_TABS)
            extra = keywords.get("extra_tabs")
            if isinstance(extra, (ast.List, ast.Tuple)):
                tabs[1:1] = [m for e in extra.elts if isinstance(e, ast.Tuple) and (m := _message(e.elts[0]))]
            found.append((f"{where}:{node.lineno} catalog tabs", tabs))
            filters = keywords.get("filters")
            toolbar = list(TOOLBAR)
            if isinstance(filters, (ast.List, ast.Tuple)):
                toolbar += [
                    m
                    for e in filters.elts
                    if isinstance(e, ast.Call) and _name(e.func) == "Filter" and (m := _second_arg(e, "label"))
                ]
            found.append((f"{where}:{node.lineno} catalog toolbar", toolbar))
    return found


def _all_groups() -> list[tuple[str, list[str]]]:
    groups = []
    for path in SOURCES:
        groups += _groups(ast.parse(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    return groups


def clashes(labels: list[str], lang: str) -> list[tuple[str, str, str]]:
    seen: dict[str, str] = {}
    out = []
    for label in labels:
        shown = translate(label, lang).strip().casefold()
        if shown in seen and seen[shown] != label:
            out.append((seen[shown], label, translate(label, lang)))
        elif shown in seen:
            out.append((label, label, translate(label, lang)))
        seen.setdefault(shown, label)
    return out


def test_the_reader_finds_the_groups_of_labels() -> None:
    """The reader of the code must see the screens it checks, or the test below checks nothing."""
    groups = dict(_all_groups())
    kinds = {where.rsplit(" ", 1)[-1] for where in groups}
    assert {"columns", "tabs"} <= kinds
    assert sum(where.endswith("catalog tabs") for where in groups) >= 7  # one per catalog definition
    vehicles = [
        labels for where, labels in groups.items() if where.startswith("ui/fleet/units.py") and "columns" in where
    ]
    assert vehicles and {"Type", "Model"} <= set(vehicles[0])


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_labels_shown_together_translate_differently(lang: str) -> None:
    problems = [
        f"{where}: {a!r} and {b!r} both read {shown!r}"
        for where, labels in _all_groups()
        for a, b, shown in clashes(labels, lang)
    ]
    assert not problems, "\n".join(problems)


def test_a_clash_is_found() -> None:
    assert clashes(["Type", "Type"], "en") and not clashes(["Type", "Model"], "en")

"""User data shown in markdown is escaped, everywhere, through one helper (ui.markdown.esc,
or ui.context.t, which escapes the values it fills in): the rule itself, and a reading of
every screen that fails when an f-string or a `+` puts a value into a call that Streamlit
renders as markdown without passing it through the helper."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT
from ui.markdown import JOINER, Markdown, code, esc, unescape

HOSTILE = "[Pay here](https://evil.example/pay) ![x](http://127.0.0.1:9/t.png)"

# Streamlit calls whose text (first argument, `label=`, `body=`, `help=`) is markdown
MARKDOWN_CALLS = {
    "markdown", "caption", "title", "header", "subheader", "write", "info", "warning", "error",
    "success", "toast", "exception", "button", "download_button", "form_submit_button",
    "link_button", "page_link", "expander", "popover", "tabs", "metric", "checkbox", "toggle",
    "radio", "text_input", "text_area", "number_input", "selectbox", "multiselect", "date_input",
    "time_input", "file_uploader", "slider", "select_slider", "color_picker", "badge",
}  # fmt: skip
TEXT_KEYWORDS = {"label", "body", "help"}
NOT_STREAMLIT = {"log", "logger", "logging", "warnings"}  # log.error(...) and the like
# What may stand inside an f-string or a `+` in such a call (the allow-list):
# - esc() and code(), the helper; t() and t_n(), which escape the values they fill in (the message is
#   ours, never a value from the database: such a name goes through t_name(), which
#   translates a seeded one and escapes either way);
# - our constants and lookups in them (ALL_CAPS: labels, colours, icons);
# - show(), the formatter of dates, numbers, money and yes/no: nothing in its output is read
#   by markdown (a text value is shown with esc(), never show());
# - a parameter typed `Markdown` (the caller's own markdown, e.g. an icon);
# - our functions that build markdown from the above; their `return` is read like a call.
SAFE_CALLS = {"esc", "code", "t", "t_n", "t_name", "show", "badge", "plan_badge", "follow_up_text", "entry_text"}
SAFE_CALLS |= {"notice_text", "notice_caption"}
# their `return` is checked like a call
BUILDERS = {"badge", "plan_badge", "follow_up_text", "entry_text", "notice_text", "notice_caption"}


def _files() -> list[Path]:
    """The shell and every screen (not the helper itself)."""
    files = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    return sorted(f for f in files if f != ROOT / "ui" / "markdown.py")


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return None


def _own_nodes(body: ast.AST) -> list[ast.AST]:
    """The nodes of a module or function, without those of the functions defined in it."""
    found: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(body))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


class _Scope:
    """The assignments of one function (or module): a name passed to a markdown call is
    followed to the f-strings and concatenations assigned to it."""

    def __init__(self, nodes: list[ast.AST], body: ast.AST) -> None:
        self.assigned: dict[str, list[ast.expr]] = {}
        self.markdown_params: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    names = target.elts if isinstance(target, ast.Tuple) else [target]
                    for name in names:  # `title, detail = entry_text(r)`: each from the call
                        if isinstance(name, ast.Name):
                            self.assigned.setdefault(name.id, []).append(node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) and node.value:
                self.assigned.setdefault(node.target.id, []).append(node.value)
        if isinstance(body, (ast.FunctionDef, ast.AsyncFunctionDef)):  # `icon: Markdown`: the caller's markdown
            for arg in [*body.args.args, *body.args.kwonlyargs]:
                if isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Markdown":
                    self.markdown_params.add(arg.arg)


def _unsafe(expr: ast.expr, scope: _Scope, seen: frozenset[str] = frozenset()) -> list[ast.expr]:
    """The parts of a text built by an f-string or `+` that are not known to be safe."""
    if isinstance(expr, ast.JoinedStr):
        return [bad for part in expr.values for bad in _unsafe(part, scope, seen)]
    if isinstance(expr, ast.FormattedValue):
        return _part(expr.value, scope, seen)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _part(expr.left, scope, seen) + _part(expr.right, scope, seen)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):  # "&nbsp;" * depth: the count is no text
        texts = [side for side in (expr.left, expr.right) if _is_text(side)]
        return [bad for side in texts for bad in _part(side, scope, seen)]
    if isinstance(expr, ast.BoolOp):
        return [bad for value in expr.values for bad in _part(value, scope, seen)]
    if isinstance(expr, ast.IfExp):
        return _unsafe(expr.body, scope, seen) + _unsafe(expr.orelse, scope, seen)
    if isinstance(expr, (ast.List, ast.Tuple)):
        return [bad for elt in expr.elts for bad in _unsafe(elt, scope, seen)]
    if isinstance(expr, ast.Starred):
        return _unsafe(expr.value, scope, seen)
    if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
        return _unsafe(expr.elt, scope, seen)
    if isinstance(expr, ast.Name) and expr.id not in seen:
        return [bad for value in scope.assigned.get(expr.id, []) for bad in _unsafe(value, scope, seen | {expr.id})]
    return []  # a bare call or value handed over as it is: not built here


def _is_text(expr: ast.expr) -> bool:
    """The text side of a `*` (the other is how many times)."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, str)
    if isinstance(expr, ast.BinOp):
        return _is_text(expr.left) or _is_text(expr.right)
    return not isinstance(expr, (ast.Subscript, ast.Name)) or isinstance(expr, ast.JoinedStr)


def _ours(expr: ast.expr) -> bool:
    """A module constant of ours, or a lookup in one (`STATUS_LABELS[s]`, `BADGE.get(x)`)."""
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
        expr = expr.func.value
    return isinstance(expr, ast.Name) and expr.id.isupper()


def _row_message(expr: ast.expr) -> bool:
    """t(row["name"]): a value from the database used as a message. A seeded name (a
    category, a document type) is translated so, but a user's one would pass unescaped:
    t_name() translates it when it is ours and escapes it."""
    if _call_name(expr) not in ("t", "t_n") or not isinstance(expr, ast.Call) or not expr.args:
        return False
    first = expr.args[0]
    return isinstance(first, ast.Subscript) and not _ours(first)


def _raw_value(expr: ast.expr) -> bool:
    """A value handed over as it is: `st.caption(row["name"])`, `st.caption(str(company["name"]))`."""
    if _call_name(expr) == "str":
        return True
    return isinstance(expr, ast.Subscript) and not _ours(expr)


def _part(expr: ast.expr, scope: _Scope, seen: frozenset[str]) -> list[ast.expr]:
    """One piece of a built text: a constant, a safe call, or a safe text built in turn."""
    if isinstance(expr, ast.Constant) or _ours(expr):
        return []
    if _row_message(expr):
        return [expr]
    name = _call_name(expr)
    if name in SAFE_CALLS:
        return []
    if isinstance(expr, ast.Call) and name == "join" and expr.args:  # " · ".join(parts)
        func = expr.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Constant):
            return _part_of_items(expr.args[0], scope, seen)
    if isinstance(expr, (ast.JoinedStr, ast.BinOp, ast.IfExp, ast.BoolOp)):
        return _unsafe(expr, scope, seen)
    if isinstance(expr, ast.Name) and expr.id in scope.markdown_params:
        return []
    if isinstance(expr, ast.Name) and expr.id not in seen and expr.id in scope.assigned:
        values = scope.assigned[expr.id]
        return [bad for value in values for bad in _part(value, scope, seen | {expr.id})]
    return [expr]


def _part_of_items(expr: ast.expr, scope: _Scope, seen: frozenset[str]) -> list[ast.expr]:
    if isinstance(expr, (ast.List, ast.Tuple)):
        return [bad for elt in expr.elts for bad in _part(elt, scope, seen)]
    if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
        return _part(expr.elt, scope, seen)
    if isinstance(expr, ast.Call) and _call_name(expr) == "filter" and len(expr.args) == 2:
        return _part_of_items(expr.args[1], scope, seen)
    return [expr]


def _texts(call: ast.Call) -> list[ast.expr]:
    args = call.args[:1]
    args += [kw.value for kw in call.keywords if kw.arg in TEXT_KEYWORDS]
    return args


def _is_streamlit_call(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in MARKDOWN_CALLS or not call.args + call.keywords:
        return False
    return not (isinstance(func.value, ast.Name) and func.value.id in NOT_STREAMLIT)


def unescaped_values(source: str) -> list[tuple[int, str]]:
    """(line, expression) of each value put into a markdown call without the helper."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]
    for body in scopes:
        nodes = _own_nodes(body)
        scope = _Scope(nodes, body)
        for node in nodes:
            sinks: list[ast.expr] = []
            if isinstance(node, ast.Call) and _is_streamlit_call(node):
                sinks = _texts(node)
            elif isinstance(node, ast.Call) and _call_name(node) == "Markdown" and node.args:  # declared safe
                sinks = node.args[:1]
            elif isinstance(node, ast.Return) and node.value is not None and getattr(body, "name", "") in BUILDERS:
                sinks = [node.value]
            for sink in sinks:
                bad = _unsafe(sink, scope) + ([sink] if _row_message(sink) or _raw_value(sink) else [])
                found += [(b.lineno, ast.unparse(b)) for b in bad]
    return sorted(set(found))


def test_every_value_put_into_markdown_goes_through_the_helper():
    offences = []
    for path in _files():
        for line, expr in unescaped_values(path.read_text(encoding="utf-8")):
            offences.append(f"{path.relative_to(ROOT)}:{line}: {expr}")
    assert offences == [], "\n".join(offences)


@pytest.mark.parametrize(
    "source, flagged",
    [
        ("st.markdown(f\"**{c['name']}**\")", ["c['name']"]),
        ("st.markdown(f\"**{esc(c['name'])}**\")", []),
        ('cols[0].caption(name + " · " + t("Archived"))', ["name"]),
        ('st.expander(f":{colour}[{show(d)}] · {x}")', ["colour", "x"]),
        ("label = f\"{f['filename']}\"\nst.markdown(label)", ["f['filename']"]),
        ('st.caption(", ".join(t(r) for r in reasons) + f" · {score}%")', ["score"]),
        ('st.caption(", ".join(names) + "!")', ["names"]),
        ('st.tabs([f"{name}", t("History")])', ["name"]),
        ('st.button(t("Open {name}", name=n))', []),
        ('log.error(f"failed for {name}")', []),
        ('st.markdown(t_plain("{x}", x=1) + "!")', ["t_plain('{x}', x=1)"]),
        ('def badge(s, text):\n    return f":green-badge[{text}]"', ["text"]),
        ('def badge(s, text):\n    return f":{BADGE[s]}-badge[{esc(text) or t(LABELS[s])}]"', []),
        ('def head(col, icon: Markdown):\n    col.markdown(f"## {icon}")', []),
        ("st.markdown(f\"**{t(d['type'])}**\")", ["t(d['type'])"]),
        ('st.error(t(d["name"]))', ["t(d['name'])"]),
        ("st.markdown(f\"**{t_name(d['type'])}**\")", []),
        ('st.markdown("&nbsp;" * 4 * c["depth"] + f"- {esc(c[\'name\'])}")', []),
        ('title, detail = entry_text(r)\nst.markdown(f"{title}")', []),
        ('st.caption(str(company["name"]))', ["str(company['name'])"]),
        ('st.checkbox(item["name"])', ["item['name']"]),
        ("st.caption(LANGUAGES[lang])", []),
        ('x = Markdown(f"**{name}**")', ["name"]),
    ],
)
def test_the_reader_of_the_screens_finds_what_it_should(source, flagged):
    assert [expr for _, expr in unescaped_values(source)] == flagged


def test_a_hostile_name_is_shown_as_typed_and_links_nothing():
    shown = esc(HOSTILE)
    assert isinstance(shown, Markdown)
    assert unescape(shown) == HOSTILE
    plain = shown.replace("\\\\", "")
    assert "](" not in plain.replace("\\](", "") and "![" not in plain
    assert "https://" not in shown and "http://" not in shown  # no bare link after parsing


@pytest.mark.parametrize(
    "typed",
    [
        "Kigali Cement Ltd.",
        "Inyange Industries (Huye) - Depot 2",
        "Jean-Claude Uwimana",
        "+250 788 123 456",
        "29 Nov 2026, 14:02:00",
        "1,234.50",
        "Oil filter 10W-40",
        "Road #3, Nyabugogo",
    ],
)
def test_ordinary_text_is_left_as_it_is(typed):
    assert esc(typed) == typed


@pytest.mark.parametrize(
    "typed, needs",
    [
        (":red[alarm]", "\\:red\\[alarm\\]"),
        (":blue-badge[paid]", "\\:blue-badge\\[paid\\]"),
        (":material/home: here", "\\:material\\/home:"),  # Streamlit would rewrite the slash first
        ("**bold** _it_ `code` ~x~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~x\\~"),
        ("$x^2$ costs $5", "\\$x^2\\$ costs \\$5"),
        ("<b>tag</b> <https://x.rw>", "\\<b\\>tag\\</b\\> \\<https:"),
        ("a | b", "a \\| b"),
        ("# Title", "\\# Title"),
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("text\n---", "text\n\\---"),
        ("text\n===", "text\n\\==="),
        ("line\n+ item\n> quote", "line\n\\+ item\n\\> quote"),
        ("&amp; &#60;", "\\&amp; \\&#60;"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_what_markdown_would_read_is_escaped(typed, needs):
    shown = esc(typed)
    assert needs in shown
    assert unescape(shown) == typed


@pytest.mark.parametrize(
    "typed",
    ["see www.evil.rw", "mail aline@kigali.rw", "go https://evil.rw now", "hot :fire: deal", "a -> b", "x <= y"],
)
def test_what_streamlit_links_or_replaces_after_parsing_is_broken_invisibly(typed):
    shown = esc(typed)
    assert JOINER in shown
    assert unescape(shown) == typed


def test_escaping_twice_changes_nothing_and_none_is_empty():
    once = esc(HOSTILE)
    assert esc(once) is once
    assert esc(None) == "" and esc("") == ""
    assert esc(12) == "12"


def test_a_code_span_is_fenced_not_escaped():
    assert code("E000001") == "`E000001`"
    assert code("RAB_123*") == "`RAB_123*`"
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"
    assert code(None) == "" and code("") == ""


def test_t_escapes_the_values_it_fills_in_and_t_plain_does_not(monkeypatch):
    import ui.context as context

    monkeypatch.setattr(context, "language", lambda: "en")
    shown = context.t("Good day, {name}", name=HOSTILE)
    assert isinstance(shown, Markdown)
    assert shown == "Good day, " + esc(HOSTILE)
    assert context.t("Coupled now with **{plate}**", plate="RAB_1") == "Coupled now with **RAB\\_1**"
    assert context.t("{a} and {b}", a=context.t("x {y}", y="*"), b="*") == "x \\* and \\*"  # never twice
    assert context.t_plain("Good day, {name}", name=HOSTILE) == "Good day, " + HOSTILE

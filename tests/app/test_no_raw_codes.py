"""No raw code on any page, for any role, in either language (issue 12, item 4).

Every page a role may open is run through the shell on the demo data, and so is the first
record of each catalog with its tabs; everything the page shows is read: titles, markdown and
captions, alerts, metrics, tabs and expanders, widget labels and options, grid headers and
cells (the grids' data as sent to the browser), charts' series. The run fails on:
- a code of `ui.labels` that has an underscore (`sales_manager`, `stock_document_line`,
  `in_repair`, `vehicle_id`) anywhere in a text;
- any other code (`en`, `user`, `issue`, `fuel`, `system`, `status`) as a whole cell, option
  or part of a text between separators (" · ", "; ", ": ", " → ");
- in Kinyarwanda, the English of a label or of a name we seeded ("Long-haul tractor",
  "Driver", "Active") where its Kinyarwanda differs, as a whole cell, option or part.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from streamlit.components.v1 import component_arrow
from streamlit.testing.v1 import AppTest

from common.i18n import translate
from common.roles import PAGE_ACCESS, ROLES
from tools.messages import extract
from ui.labels import REGISTRY, UNTRANSLATED
from ui.markdown import unescape
from ui.navigation import PAGE_PATHS

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = (
    "employees",
    "users",
    "vehicles",
    "trailers",
    "drivers",
    "items",
    "stock_documents",
    "clients",
    "places",
    "distances",
)
HIDDEN_COLUMNS = re.compile(r"^(id|_row|::auto_unique_id::)$|__state$")
PARTS = re.compile(r" · |; |\n| → |: ")
WHOLE_PARTS = re.compile(r" · |; |\n| → ")
DIRECTIVE = re.compile(r":[a-z-]+\[([^\]]*)\]|:material/[a-z_]+:")
SHOWN_VALUES = {
    "markdown", "caption", "latex", "title", "header", "subheader", "text", "error", "warning", "info",
    "success", "toast", "metric", "exception",
}  # fmt: skip
# our own texts that hold codes on purpose: the columns an import file may have
IMPORT_COLUMNS = "Columns: {columns}"


def _codes() -> tuple[set[str], set[str]]:
    """(codes with an underscore, other codes) of every kind the screens label."""
    snake: set[str] = set()
    words: set[str] = set()
    for known in REGISTRY.values():
        for code, message in known.items():
            if code == message:  # "kg" is its own label
                continue
            (snake if "_" in code else words).add(code)
    return snake, words


def _english(lang: str) -> set[str]:
    """The English of our labels and seeded names that `lang` says otherwise."""
    if lang == "en":
        return set()
    messages = {m for kind, known in REGISTRY.items() if kind not in UNTRANSLATED for m in known.values()}
    messages |= {m for m, places in extract().items() if any("migrations/versions" in p for p in places)}
    return {m for m in messages if translate(m, lang) != m and translate(m, lang).lower() != m.lower()}


SNAKE, WORDS = _codes()
SNAKE_RE = re.compile(r"(?<![\w./@-])(" + "|".join(sorted(map(re.escape, SNAKE), key=len, reverse=True)) + r")(?![\w])")


def _grid_frame(arg: object):  # type: ignore[no-untyped-def]
    """A grid's data as a DataFrame keyed by its column names."""
    frame = component_arrow.arrow_proto_to_dataframe(arg.arrow_dataframe.data)  # type: ignore[attr-defined]
    frame.columns = [c[0] if isinstance(c, tuple) else c for c in frame.columns]
    return frame


def _grid_texts(node: object) -> Iterator[str]:
    """The headers and cells of a grid (streamlit-aggrid) as the browser receives them."""
    proto = node.proto  # type: ignore[attr-defined]
    options = json.loads(proto.json_args).get("gridOptions", {})
    for col in options.get("columnDefs", []):
        if not col.get("hide"):
            yield str(col.get("headerName", ""))
    for arg in proto.special_args:
        if arg.WhichOneof("value") == "arrow_dataframe":
            frame = _grid_frame(arg)
            for column in frame.columns:  # keyed by code: the headers shown are the headerNames above
                if not HIDDEN_COLUMNS.search(str(column)):
                    yield from (str(v) for v in frame[column] if v is not None)


def _texts(node: object) -> Iterator[str]:
    """Every text a page shows, element by element."""
    for child in getattr(node, "children", {}).values():
        kind = getattr(child, "type", None)
        if kind == "component_instance":
            yield from _grid_texts(child)
        elif kind in ("dataframe", "arrow_data_frame", "table"):
            frame = child.value  # type: ignore[attr-defined]
            config = json.loads(child.proto.columns or "{}")  # type: ignore[attr-defined]
            for col in frame.columns:
                shown = config.get(str(col), {})
                if not shown.get("hidden"):  # the header is the column's label when it has one
                    yield str(shown.get("label", col))
                    yield from (str(v) for v in frame[col] if v is not None)
        elif kind == "plotly_chart":
            spec = json.loads(child.proto.spec)  # type: ignore[attr-defined]
            yield from (str(trace.get("name", "")) for trace in spec.get("data", []))
        elif kind in ("arrow_vega_lite_chart", "vega_lite_chart"):
            for dataset in [child.proto.data, *[d.data for d in child.proto.datasets]]:  # type: ignore[attr-defined]
                if dataset.data:
                    from streamlit import dataframe_util  # deferred: only for charts

                    frame = dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data)
                    yield from (str(v) for col in frame.columns for v in frame[col] if isinstance(v, str))
        else:
            if kind in SHOWN_VALUES:  # a widget's value is its option's code: its label shows
                yield str(child.value)  # type: ignore[attr-defined]
            label = getattr(child, "label", None)
            if isinstance(label, str):
                yield label
            for option in getattr(child, "options", None) or []:
                yield str(option)
        yield from _texts(child)


def _parts(text: str, pattern: re.Pattern[str]) -> list[str]:
    plain = DIRECTIVE.sub(lambda m: m.group(1) or "", unescape(text)).replace("**", "")
    return [p.strip(" *#-\t()") for p in pattern.split(plain) if p.strip()]


def raw_codes(texts: list[str], lang: str, english: set[str], data: frozenset[str] = frozenset()) -> list[str]:
    """What in `texts` is a code (or, in Kinyarwanda, English we translate); `data` are the
    users' words that happen to look like one (a user named `director`)."""
    skip = translate(IMPORT_COLUMNS, lang).split("{columns}")[0]
    found = []
    for text in texts:
        if skip and text.startswith(skip):
            continue
        found += [f"{m.group(1)!r} in {text[:120]!r}" for m in SNAKE_RE.finditer(unescape(text))]
        parts = {*_parts(text, PARTS), text.strip()} - data
        found += [f"{p!r} in {text[:120]!r}" for p in parts if p in WORDS]
        whole = {*_parts(text, WHOLE_PARTS), text.strip()} - data
        found += [f"English {p!r} in {text[:120]!r}" for p in whole if p in english]
    return found


def _run(page: str, actor, **state: object) -> AppTest:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auth_actor"] = actor
    if Path(PAGE_PATHS[page]).stem != page:  # known by its address only once the shell has run
        at.run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE_PATHS[page])
    at.run()
    home = tuple(translate("Good day, {name}", lang).split("{")[0] for lang in ("en", "rw"))
    assert page == "home" or not any(ti.value.startswith(home) for ti in at.title), f"{page} did not open"
    return at


@pytest.fixture(scope="module", autouse=True)
def components_found_once():  # type: ignore[no-untyped-def]
    """Each AppTest looks for installed components by reading every package's metadata (a
    second per run, most of a page's time); what it finds does not change within a run."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", cache(manifest_scanner.scan_component_manifests))
        yield


def _first_id(at: AppTest, catalog: str) -> int | None:
    for node in _components(at._tree):
        if node.proto.json_args and f'"{catalog}_grid"' in node.proto.json_args:
            for arg in node.proto.special_args:
                if arg.WhichOneof("value") == "arrow_dataframe":
                    frame = _grid_frame(arg)
                    return int(frame["id"].iloc[0]) if len(frame) else None
    return None


def _components(node: object) -> Iterator[object]:
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == "component_instance":
            yield child
        yield from _components(child)


def _all_texts(at: AppTest) -> list[str]:
    return list(_texts(at._tree))  # the main area and the sidebar


@pytest.fixture()
def speaking(app_db, actors):  # type: ignore[no-untyped-def]
    """Each role's user set to a language (as under My account), back to English after."""
    from core.services.users import set_language
    from db.session import UnitOfWork, engine_for

    factory = engine_for(app_db.sqlalchemy_url)[1]
    chosen: list[str] = []

    def speak(role: str, lang: str):  # type: ignore[no-untyped-def]
        set_language(UnitOfWork(factory, actors[role]), actors[role], lang)
        chosen.append(role)
        return actors[role]

    yield speak
    for role in chosen:
        set_language(UnitOfWork(factory, actors[role]), actors[role], "en")


@pytest.fixture(scope="module")
def typed_names(app_db) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """Names the demo's users typed that look like a code or one of our labels: a user called
    `director`, a store called "Workshop", an item "Diesel", a trailer model "Flatbed". (Not
    positions and departments: those are catalog values, shown translated.)"""
    from sqlalchemy import select, union

    from db.models import Item, User, Vehicle, Warehouse
    from db.session import engine_for

    typed = union(
        select(User.username), select(Warehouse.name), select(Item.name), select(Vehicle.make), select(Vehicle.model)
    )
    with engine_for(app_db.sqlalchemy_url)[1]() as session:
        return frozenset(v for v in session.scalars(typed) if v)


@pytest.mark.parametrize("lang", ["en", "rw"])
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_raw_code(speaking, typed_names, role, lang):
    actor = speaking(role, lang)
    english = _english(lang)
    found: dict[str, list[str]] = {}
    for page in (p for p in PAGE_ACCESS if role in PAGE_ACCESS[p]):
        at = _run(page, actor)
        assert not at.exception, (page, at.exception)
        texts = _all_texts(at)
        if page in CATALOGS and (first := _first_id(at, page)) is not None:
            at = _run(page, actor, **{f"{page}_selected": first})  # the first record, with its tabs
            assert not at.exception, (page, at.exception)
            texts += _all_texts(at)
        if codes := raw_codes(texts, lang, english, typed_names):
            found[page] = sorted(set(codes))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_crawl_sees_a_raw_code_where_there_is_one():
    """The reading itself: codes and English in Kinyarwanda are caught, our words are not."""
    english = _english("rw")
    assert raw_codes(["**admin** · sales_manager"], "en", set())
    assert raw_codes(["en"], "en", set())
    assert raw_codes(["Source: fuel"], "en", set())
    assert raw_codes(["Long-haul tractor"], "rw", english)
    assert raw_codes([":blue-badge[Active]"], "rw", english)
    change = f"{translate('Status', 'rw')}: {translate('Draft', 'rw')} → {translate('Posted', 'rw')}"
    assert not raw_codes(["Umuyobozi · Ikinyarwanda", change, "RAB 123 A"], "rw", english)
    assert raw_codes(["Status: Draft → Posted"], "rw", english)
    assert not raw_codes(["Sales manager · English", "A fuel issue was posted"], "en", set())

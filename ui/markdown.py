"""User data made safe for Streamlit's markdown: the one escaping rule of the screens.

Streamlit renders markdown in far more than `st.markdown`: captions, titles and headers,
info/warning/error/success boxes, toasts, metric labels, every widget label (buttons,
inputs, expanders, tabs, popovers), the options of `st.radio`, and help tooltips; on top of
CommonMark and GFM it reads its own directives (`:red[...]`, `:blue-badge[...]`,
`:material/icon:`), LaTeX between `$`, emoji shortcodes (`:fire:`), typographic arrows
(` -> `) and bare addresses (`https://...`, `www.`, `name@host.rw`), which it turns into
links after parsing, whatever backslashes stood in the text. A value typed by a user is
therefore passed through `esc()` (or filled into a message by `ui.context.t`, which escapes
its parameters) before it reaches one of those; the text on screen is then exactly what was
typed. Not markdown, so given raw text: grid and dataframe cells, selectbox and multiselect
options, `st.code`, `st.text`, text input values and placeholders, file names, PDFs.

The rule, meant to leave ordinary names readable in the markdown source:
- always backslash-escaped: \\ ` * _ [ ] < > | ~ $  (emphasis, code, links and images,
  HTML and autolinks, tables, strike-through, LaTeX);
- `:` before a letter (a directive: `:red[`, `:material/`); in `:material/` the slash too,
  because Streamlit rewrites that sequence in the source before parsing;
- `&` before a letter or `#` (an HTML entity);
- at the start of the value and of each of its lines: `#` (heading), `-` `+` followed by a
  space (list item), a line of only `-` or `=` (rule, heading underline), `1.` `1)` followed
  by a space (numbered list);
- an invisible word joiner (U+2060) breaks what Streamlit links or replaces after parsing:
  `http://`, `https://`, `www.`, `user@host`, `:shortcode:` and the arrows `->` `<-` `<->`
  `--` `>=` `<=` `~=` between spaces.
`.`, `-`, `(`, `)`, `!`, `#`, `+`, `{`, `}`, `=` elsewhere need nothing: without `[` there is
no link or image, without a leading `:` name no directive.
"""

from __future__ import annotations

import re

JOINER = "\u2060"  # WORD JOINER: zero width, invisible, not a word character

_BREAK = re.compile(
    r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)"  # bare links, http:// and https://
    r"|(?<=\bwww)(?=\.)"  # www.example.rw
    r"|(?<=[\w.+-]@)(?=[\w-])"  # name@host.rw (a mailto: link)
    r"|(?<=:)(?<!\d:)(?=[\w+-]+:)"  # :fire: and other emoji shortcodes; 14:02:00 stays as it is
)
_ARROW = re.compile(r"(?:(?<=\s)|^)(<->|->|<-|--|>=|<=|~=)(?=\s|$)", re.M)
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~$])")
_COLON = re.compile(r":(?=[A-Za-z])")
_MATERIAL = re.compile(r"\\:material/")
_ENTITY = re.compile(r"&(?=[#A-Za-z])")
_LINE_START = re.compile(
    r"^([ \t]*)(?:(#)(?=#{0,5}(?:[ \t]|$))|([-+])(?=[ \t]|$)|([-=])(?=[-=]*[ \t]*$)|(\d{1,9})([.)])(?=[ \t]|$))", re.M
)


class Markdown(str):
    """Text that may go to Streamlit as markdown as it is: our own words, or user data
    passed through `esc()`. `esc()` and `t()` leave it alone, so nothing is escaped twice."""

    __slots__ = ()


def _line_start(m: re.Match[str]) -> str:
    indent, hash_, bullet, rule, digits, dot = m.groups()
    if hash_ or bullet or rule:
        return f"{indent}\\{hash_ or bullet or rule}"
    return f"{indent}{digits}\\{dot}"


def esc(value: object) -> Markdown:
    """`value` as text that Streamlit's markdown shows exactly as typed (see the module's rule).
    None is empty; a `Markdown` value (already safe: a `t()` result, an `esc()` result) is
    returned as it is."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return Markdown("")
    text = str(value)
    if not text:
        return Markdown("")
    text = _BREAK.sub(JOINER, text)
    text = _ARROW.sub(lambda m: m.group(1)[0] + JOINER + m.group(1)[1:], text)
    text = _ALWAYS.sub(r"\\\1", text)
    text = _COLON.sub(r"\\:", text)
    text = _MATERIAL.sub(r"\\:material\\/", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _LINE_START.sub(_line_start, text)
    return Markdown(text)


def code(value: object) -> Markdown:
    """`value` as an inline code span (a code, a plate, a number in monospace): inside
    backticks nothing is parsed, so it is fenced by more backticks than it holds instead of
    escaped; empty stays empty."""
    text = "" if value is None else " ".join(str(value).split())
    if not text:
        return Markdown("")
    text = text.replace(":material/", ":" + JOINER + "material/")  # Streamlit rewrites it everywhere
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def unescape(text: str) -> str:
    """What a reader sees of escaped markdown text: the backslashes and joiners taken out
    (for tests and for comparing with what was typed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(JOINER, "")

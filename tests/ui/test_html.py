"""HTML is written in one way (ui/html.py over ui/templates/): what a template prints is plain text
escaped, markup passes whole, and no Python string in ui/ or views/ holds a tag."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui import html

ROOT = Path(__file__).resolve().parents[2]
# a tag's start: "<div", "</span", "<br/>", "<!--", "<script"
_TAG = re.compile(r"<\s*(/?[a-zA-Z][a-zA-Z0-9-]*(\s|>|/)|!--)")
SOURCES = sorted(
    [*(ROOT / "ui").glob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "dashboard.py", ROOT / "public.py"]
)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal's text and line, the constant parts of f-strings included; docstrings left out."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_tag_is_written_in_a_python_string(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tags = [f"{path.name}:{line}: {text[:60]!r}" for line, text in _strings(tree) if _TAG.search(text)]
    assert not tags, "write this HTML in a template of ui/templates/ (ui.html.render / macro):\n" + "\n".join(tags)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_escapes_html_by_hand(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert "escape_html" not in source and "html.escape" not in source and "html.unescape" not in source


def test_a_value_is_escaped_and_stripped_of_bidi_controls() -> None:
    env = html.environment()
    out = env.from_string("<b>{{ v }}</b>").render(v='<i>x</i> & "y" \u202eabc')
    assert out == "<b>&lt;i&gt;x&lt;/i&gt; &amp; &#34;y&#34; abc</b>"


def test_markup_passes_whole_and_none_prints_nothing() -> None:
    env = html.environment()
    inner = env.from_string("<i>{{ v }}</i>").render(v="<")
    assert env.from_string("<b>{{ m }}{{ n }}</b>").render(m=html.Markup(inner), n=None) == "<b><i>&lt;</i></b>"


def test_a_missing_name_in_a_template_fails_loudly() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        html.environment().from_string("{{ nothing_by_that_name }}").render()


def test_join_escapes_text_and_keeps_markup() -> None:
    assert html.join([html.Markup("<b>1</b>"), "<2>"], "، ") == "<b>1</b>، &lt;2&gt;"


@settings(deadline=None)  # a template compiled on a busy machine
@given(st.text())
def test_script_json_never_closes_its_script(text: str) -> None:
    out = html.environment().from_string("<script>{{ v | script_json }}</script>").render(v={"t": text})
    assert out.count("</script") == 1 and out.count("<!--") == 0
    import json

    assert json.loads(out.removeprefix("<script>").removesuffix("</script>")) == {"t": text}


def test_a_plain_string_in_a_script_is_a_json_string_never_code() -> None:
    hostile = '"; alert(1); //</script><script>'
    out = html.environment().from_string("<script>const x = {{ v | script_json }};</script>").render(v=hostile)
    body = out.removeprefix("<script>const x = ").removesuffix(";</script>")
    import json

    assert json.loads(body) == hostile and "</script" not in body


def test_json_text_goes_into_a_script_as_it_is() -> None:
    out = html.environment().from_string("{{ v | script_json }}").render(v=html.JsonText('{"a": "<b>"}'))
    assert out == '{"a": "\\u003cb\\u003e"}'

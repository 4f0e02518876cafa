"""The pages' HTML, written in one way: Jinja2 templates in ``ui/templates/`` with autoescape on.

Every ``{{ value }}`` a template prints passes through :func:`monitoring.text.plain` (no bidi or
control characters reach a page, whatever the data holds) and is then HTML-escaped; only a
:class:`markupsafe.Markup` (another template's output) goes in unescaped. Python code in ``ui/`` and
``views/`` never writes a tag in a string: it calls :func:`render` for a whole template or
:func:`macro` for one of a template's macros (``tests/ui/test_html.py`` reads their source and fails
on a string that holds a tag). Both return ``Markup``, so a fragment can be handed to another
template, or to ``st.html``, without being escaped twice.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from monitoring import calendar
from monitoring.text import plain

__all__ = ["JsonText", "Markup", "macro", "render", "join"]


def _finalize(value: object) -> object:
    """What a ``{{ }}`` prints: markup as it is, anything else as :func:`plain` text (then escaped)."""
    if isinstance(value, Markup):
        return value
    return plain(value)


class JsonText(str):
    """Text that is JSON already (a figure plotly wrote): ``script_json`` takes it as it is. Any other
    value, a plain ``str`` included, is written as JSON by the filter itself."""


def _script_json(value: object) -> Markup:
    """``value`` as JSON that can sit inside a script: a :class:`JsonText` as it is, anything else
    serialised (a ``str`` becomes a JSON string, never code); ``<``, ``>`` and ``&`` written as ``\\u``
    escapes, so no text in it can close the script element."""
    text = value if isinstance(value, JsonText) else json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ui", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # the templates ship with the code: no file is looked at again after its first load
    )
    env.filters["digits"] = calendar.to_persian_digits
    env.filters["script_json"] = _script_json
    return env


def render(template: str, /, **context: Any) -> Markup:
    """The template ``ui/templates/<template>`` rendered with ``context``, as markup."""
    return Markup(environment().get_template(template).render(**context))


@functools.cache
def macro(template: str, name: str) -> Callable[..., Markup]:
    """The macro ``name`` of ``ui/templates/<template>``, as a function returning markup (looked up once)."""
    found = getattr(environment().get_template(template).module, name)

    def call(*args: Any, **kwargs: Any) -> Markup:
        return Markup(found(*args, **kwargs))

    return call


def join(parts: list[Markup] | tuple[Markup, ...], separator: str = "") -> Markup:
    """Markup fragments one after another, ``separator`` (text, escaped) between them; a part that
    is not markup is escaped too."""
    return Markup.escape(separator).join(parts)

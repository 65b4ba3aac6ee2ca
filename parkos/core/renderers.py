"""The form renderer: Django's, with a select's options written in Python instead of a template per option.

Django renders ``django/forms/widgets/select.html``, which includes ``select_option.html`` for every option and
``attrs.html`` for the select and every option: on a list page's filter card that was 188 template includes, a
fifth of the page's CPU time (issue 16). ``FormRenderer`` writes the same HTML, byte for byte, with the same
escaping, localization and ``stringformat`` as those templates; a select whose widget or options use other
templates, or whose context holds anything the templates would treat specially (a callable, which a template
calls), is rendered by the templates as before. Tests compare both renderings (core/tests/test_renderers.py).
"""

from __future__ import annotations

import html
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class _TemplateContext:
    """What ``render_value_in_context`` reads of a template Context: the form renderer's defaults."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _TemplateContext()


def text_in_context(value: Any, context: Any) -> str:
    """``render_value_in_context(value, context)`` (what ``{{ value }}`` writes), with the commonest values written
    straight: a plain ``str`` escaped as ``django.utils.html.escape`` escapes it, a ``SafeString`` as it is. That
    is what the template machinery's localtime, localize, ``str`` and ``conditional_escape`` make of them, for about
    ten Python calls a value; every option of a filter card, every table cell and menu entry goes through here
    (issue 16). Lazy text is made a string first, as ``conditional_escape`` makes it; a whole number (without
    thousand separators) and a model instance are written as those steps write them. Anything else (decimals,
    dates) takes Django's own steps."""
    if isinstance(value, Promise):
        value = str(value)
    kind = type(value)
    if kind is SafeString:
        return value  # type: ignore[no-any-return]  # a SafeString is a str
    if kind is str and context.autoescape:
        return SafeString(html.escape(value))
    if kind is int and context.autoescape and not settings.USE_THOUSAND_SEPARATOR:
        # localize's number_format writes a whole number without grouping as str() does, in every language
        # (numberformat.format's own fast case); digits and a minus sign need no escaping
        return SafeString(value)
    if isinstance(value, Model) and context.autoescape:
        # a row's related object (an industry, a user): no local time or localization applies to a model, so
        # Django writes conditional_escape(str(value)) (about 15 Python calls a cell, issue 16)
        text = str(value)
        return text.__html__() if hasattr(text, "__html__") else SafeString(html.escape(text))
    return render_value_in_context(value, context)


class _Unsupported(Exception):
    """The select holds something only the templates render faithfully."""


UnsupportedSelect = _Unsupported  # what write_select raises, for its callers


def _text(value: Any) -> str:
    """``{{ value }}``."""
    if callable(value):
        raise _Unsupported
    return text_in_context(value, _CONTEXT)


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter is ``is_safe``: safe in, safe out)."""
    if callable(value):
        raise _Unsupported
    if type(value) is str:  # stringformat(value, "s") of a str is the str
        return html.escape(value)
    text = stringformat(value, "s")
    return text_in_context(mark_safe(text) if isinstance(value, SafeData) else text, _CONTEXT)


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    if not isinstance(attrs, dict) or "items" in attrs:  # the template would read attrs["items"]
        raise _Unsupported
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> str:
    """``select.html`` and its includes for the context's ``widget``, as ``BaseRenderer.render`` returns it."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if callable(group_name):
            raise _Unsupported
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                raise _Unsupported
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts).strip()


def write_select(widget: Any, name: str, value: Any, attrs: dict[str, Any] | None) -> str:
    """What ``render_select`` writes for ``widget.render(name, value, attrs)``, without building Django's option
    dicts (``ChoiceWidget.optgroups`` / ``create_option``, about 20 Python calls an option): the widget's choices
    are read and written in one loop, with the same choice of selected options. Only for a plain Select or
    SelectMultiple (``core.forms.OptionsWrittenInPython`` checks that); raises ``_Unsupported`` otherwise."""
    chosen = widget.format_value(value)
    select_attrs = widget.build_attrs(widget.attrs, attrs)
    if widget.allow_multiple_selected:
        select_attrs["multiple"] = True
    parts = [f'<select name="{_text(name)}"{_attrs(select_attrs)}>']
    multiple = widget.allow_multiple_selected
    has_selected = False
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, list | tuple):
            if callable(option_value):
                raise _Unsupported
            group, choices = option_value, option_label
        else:
            group, choices = None, ((option_value, option_label),)
        if group:
            parts.append(f'\n  <optgroup label="{_text(group)}">')
        for subvalue, label in choices:
            text = str(subvalue)
            selected = (not has_selected or multiple) and text in chosen
            has_selected |= selected
            kind = type(subvalue)
            value_html = text if kind is int else html.escape(text) if kind is str else _formatted(subvalue)
            label_html = html.escape(label) if type(label) is str else _text(label)
            parts.append(f'\n  <option value="{value_html}"{" selected" if selected else ""}>{label_html}</option>\n')
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts).strip()


#: Django's widget templates that are ``input.html`` and nothing else (``{% include ".../input.html" %}``)
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
        "color", "checkbox", "file",
    )
)  # fmt: skip


def render_input(widget: dict[str, Any]) -> str:
    """``input.html`` and its ``attrs.html`` for the context's ``widget``: a filter card's search box and dates,
    and most of an edit form's fields, through two template includes each (about 300 Python calls an input)."""
    value = widget["value"]
    value_html = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 (the template's test)
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value_html}{_attrs(widget["attrs"])}>'


class FormRenderer(DjangoTemplates):
    """Django's default renderer (FORM_RENDERER), with selects and inputs written by ``render_select`` and
    ``render_input``."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        if request is None and (template_name == SELECT_TEMPLATE or template_name in INPUT_TEMPLATES):
            try:
                if template_name == SELECT_TEMPLATE:
                    return render_select(context["widget"])
                return render_input(context["widget"])
            except (_Unsupported, KeyError, TypeError, ValueError):
                pass  # the templates render it (and raise what they raise)
        return super().render(template_name, context, request=request)

"""``{% translate "text" %}`` written for fewer Python calls: a page's base layout and cards hold some forty of them.

Django's ``TranslateNode`` resolves the literal to a lazy translation, puts it through ``render_value_in_context``
(local time, localization, ``str`` of the lazy object, escaping) and restores its percent signs: about 90 Python
calls a tag (issue 16). For a quoted literal without a message context, filters or ``noop``, all of that comes to
the literal's translation, marked safe, with its percent signs restored: written here in one ``gettext``. Every
other form of the tag renders as Django renders it. Tested equal (core/tests/test_cheaper_cells.py).
"""

from __future__ import annotations

from typing import Any

from django.templatetags.i18n import TranslateNode
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

_DJANGO_RENDER = TranslateNode.render


def render_translate(self: TranslateNode, context: Any) -> str:
    """``TranslateNode.render``: a safe quoted literal translated straight, anything else Django's way."""
    expression = self.filter_expression
    var = expression.var
    literal = getattr(var, "literal", None)
    if (
        self.noop
        or self.message_context
        or expression.filters
        or getattr(var, "lookups", None) is not None
        or not isinstance(literal, SafeData)
    ):
        return _DJANGO_RENDER(self, context)
    # Variable.resolve doubles the percent signs of the msgid (the catalogue's form), the node restores them
    msgid = str.replace(literal, "%", "%%")  # type: ignore[arg-type]  # a SafeString, a str
    value = SafeString(gettext(mark_safe(msgid)).replace("%%", "%"))
    if self.asvar:
        context[self.asvar] = value
        return ""
    return value


def install() -> None:
    """Every ``{% translate %}`` (and ``{% trans %}``) of every template renders with ``render_translate``."""
    TranslateNode.render = render_translate  # type: ignore[method-assign]

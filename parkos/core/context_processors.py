"""Template context shared by every page: the navigation menu the user may see."""

from typing import Any

from django.http import HttpRequest

from parkos.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_menu": menu_for(getattr(request, "user", None))}

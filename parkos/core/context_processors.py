"""Template context shared by every page: the navigation menu the user may see."""

from parkos.core.navigation import menu_for


def navigation(request):
    return {"nav_menu": menu_for(getattr(request, "user", None))}

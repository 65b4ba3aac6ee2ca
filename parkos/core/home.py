"""The home page's panels: each app hands a user the queues of its work, and core renders them without importing it.

An app contributes with a ``home_panels(user)`` method on its AppConfig returning ``HomePanel`` objects, only
those the user's role and scope make theirs (a park manager gets its parks and expiries, the service desk its
queue). Each panel's ``count`` is the number of rows of the list at ``url``, and its ``items`` are the first
rows of that list, each linking to its object: the panel and the list it opens always add up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from parkos.core.actors import Actor

#: how many rows of its list a panel shows
QUEUE_LENGTH = 5


@dataclass
class QueueItem:
    """One row of a queue: what it is, where it opens, and the date it is due (or happened) by."""

    label: str
    url: str
    detail: StrOrPromise = ""
    when: datetime.date | datetime.datetime | None = None
    #: a figure shown where the date would be (a count, a rate), formatted by the app
    figure: str = ""
    #: "red" when the row is late, "orange" when it is close; "" otherwise
    tone: str = ""


@dataclass
class HomePanel:
    #: app and queue ("services.mine"): the page's anchor and the tests' handle
    key: str
    title: StrOrPromise
    count: int
    url: str
    items: list[QueueItem] = field(default_factory=list)
    #: what an empty queue says
    empty: StrOrPromise = ""
    #: small panels first: lower comes earlier
    order: int = 100
    #: whether the items are the first rows of the list at ``url`` (then a longer list offers "show all")
    rows: bool = True

    @property
    def anchor(self) -> str:
        return "panel-" + self.key.replace(".", "-").replace("_", "-")


def home_panels(user: Actor) -> list[HomePanel]:
    """Every app's panels for ``user``, in their order."""
    panels: list[HomePanel] = []
    for config in apps.get_app_configs():
        contribute = getattr(config, "home_panels", None)
        if contribute is not None:
            panels.extend(contribute(user))
    return sorted(panels, key=lambda panel: panel.order)

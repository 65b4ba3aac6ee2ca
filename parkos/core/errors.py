"""Domain errors that services raise; the pages (core.middleware) and the API (core.api.views) answer them."""


class NotFound(Exception):
    """The object does not exist, or lies outside the acting user's scope: both answer 404 alike."""

"""Test-wide settings: a fast password hasher (the real one is deliberately slow), plain HTTP, the default language."""

import pytest


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client speaks plain HTTP, whatever PARKOS_DEBUG says.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # Uploaded files (agreement documents) go to a throwaway folder, not the app's var/media.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="parkos-test-media-")
    # Sessions on SQLite live in files (settings.py): the tests' go to a throwaway folder too.
    if settings.CACHES.get("sessions", {}).get("BACKEND", "").endswith("FileBasedCache"):
        settings.CACHES["sessions"]["LOCATION"] = tempfile.mkdtemp(prefix="parkos-test-sessions-")
    # The cockpit's kept figures: per test process (a file cache would share them between test databases).
    settings.CACHES["cockpit"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cockpit",
        "OPTIONS": {"MAX_ENTRIES": 10_000},  # a warm-up keeps a page and its parts per audience, language, scope
    }
    # A user's grants and menu kept across requests (parkos.core.access): off, so each request's queries are those
    # the suite's exact counts were written for (a user's first request); parkos/core/tests/test_access_cache.py
    # turns it on. PARKOS_TEST_ACCESS_CACHE=1 runs the whole suite with it on.
    import os

    from parkos.core import access

    access.ENABLED = os.environ.get("PARKOS_TEST_ACCESS_CACHE") == "1"
    # PostgreSQL: the tests' commits (live-server browser tests, transaction tests, the flush after each of them) need
    # not wait for the disk; a crash loses nothing a test database needs. Saves the commit's fsync, not correctness.
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
    # Background tasks (evaluation runs) run at once, inside the test, instead of waiting for a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Test clients share one middleware chain; PARKOS_TEST_CHAIN_PER_CLIENT=1 builds one per client, as Django does.
    if os.environ.get("PARKOS_TEST_CHAIN_PER_CLIENT") != "1":
        _share_one_middleware_chain()


def _share_one_middleware_chain():
    """Every test client reuses the middleware chain the first one loaded, as a server process does.

    Django gives each Client (and APIClient) its own handler, which builds the whole chain at its first request;
    with DEBUG off (as in tests) WhiteNoise then walks every static file, about 0.2 s each time. A test made
    one or two clients, the standard suites fourteen per role check: more than half of their time. The middleware
    keep no per-client state (the CSRF switch is set on each request by the client's own handler), so one chain
    serves them all. A changed setting (override_settings, pytest-django's ``settings``) drops it: middleware
    read settings when they are built.
    """
    from django.core.signals import setting_changed
    from django.test.client import ClientHandler

    chains = {}
    load = ClientHandler.load_middleware

    def load_middleware(self, is_async=False):
        key = (type(self), is_async)
        if key not in chains:
            load(self, is_async)
            chains[key] = (
                self._view_middleware,
                self._template_response_middleware,
                self._exception_middleware,
                self._middleware_chain,
            )
        (
            self._view_middleware,
            self._template_response_middleware,
            self._exception_middleware,
            self._middleware_chain,
        ) = chains[key]

    def forget(**kwargs):
        chains.clear()

    ClientHandler.load_middleware = load_middleware
    setting_changed.connect(forget, weak=False, dispatch_uid="parkos-tests-forget-middleware-chain")


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A request in zh-Hans leaves its language active in the thread; the next test must not inherit it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _each_test_reads_the_users_grants_afresh():
    """A user's permissions, roles and menu are kept per process across requests (parkos.core.access); tests
    reuse user rows (setUpTestData) under rolled-back changes, so each starts with none kept."""
    from parkos.core import access

    access.clear()
    yield


@pytest.fixture(autouse=True)
def _each_test_starts_with_no_kept_figures():
    """Kept figures (parkos.core.kept) and their version tokens live in the process's cache; a test's rows are rolled
    back without a write the tokens would see, so figures kept in one test must not reach the next."""
    from parkos.core import kept

    kept.store().clear()
    yield

"""API fuzzing: schemathesis sends generated requests to every operation of /api/schema/ and checks each answer.

Every operation, as an operator admin and as a scoped role, with valid and with invalid input: no answer may
be a server error (5xx), and every status code, content type and body must be one the schema documents.

The run is bounded: PARKOS_FUZZ_EXAMPLES examples per operation, user and mode (default 5, the short run the
test suite makes); `make fuzz` makes a longer one. PARKOS_FUZZ_SEED fixes the examples (default 0, so the short
run is the same every time); PARKOS_FUZZ_SEED=random draws new ones; PARKOS_FUZZ_ONLY=text fuzzes only the
operations whose label ("POST /api/land/parcel-flags/") contains the text. The requests go straight to the WSGI
application (no server, no network), on the test database with a small demo loaded, login throttling off.
"""

import os
import time

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from parkos.demo.generator import load_demo
from parkos.wsgi import application

EXAMPLES = int(os.environ.get("PARKOS_FUZZ_EXAMPLES", "5"))
SEED = os.environ.get("PARKOS_FUZZ_SEED", "0")
#: only the operations whose label ("POST /api/land/parcel-flags/") contains this text, to reproduce a failure
ONLY = os.environ.get("PARKOS_FUZZ_ONLY", "")
#: the demo at its smallest: six parks, a few hundred enterprises, one account per role
DEMO_SCALE = 0.01
#: the operator admin reaches every object; the park manager is scoped to one brand's parks
USERS = ("admin", "manager")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def demo_tokens(django_db_setup, django_db_blocker):
    """The small demo and an API token per fuzzing user, rolled back when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(scale=DEMO_SCALE)
        users = get_user_model().objects.filter(username__in=USERS)
        yield {user.username: Token.objects.create(user=user).key for user in users}
        transaction.set_rollback(True)


@pytest.fixture
def fuzz_settings(settings):
    settings.AXES_ENABLED = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    settings.ALLOWED_HOSTS = ["*"]
    # The requests run inside the test's transaction: keep its connection open between them, as Django's test
    # client does (on PostgreSQL the end of a request would close it; an in-memory SQLite database never closes).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _run_operation(operation, mode: GenerationMode, headers: dict) -> str | None:
    """Fuzz one operation; the first failing example's report, or None."""
    run_settings = settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    @run_settings
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    if SEED != "random":
        fuzz = seed(int(SEED))(fuzz)
    try:
        fuzz()
    except (FailureGroup, Exception) as failure:  # a check's report, or hypothesis's, gathered for the summary
        if isinstance(failure, Unsatisfiable) and mode == GenerationMode.NEGATIVE and not _has_inputs(operation):
            return None  # an operation that takes nothing (no parameter, no body) has no invalid input to send
        return f"{type(failure).__name__}: {failure}"
    return None


def _has_inputs(operation) -> bool:
    """Whether the operation reads anything a client sends: a parameter (path, query, header) or a body."""
    definition = operation.definition.raw
    return bool(definition.get("parameters") or definition.get("requestBody"))


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_operation_answers_as_documented(username, demo_tokens, fuzz_settings, request):
    headers = {"Authorization": f"Token {demo_tokens[username]}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    failures, operations, started = {}, 0, time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        if ONLY not in operation.label:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _run_operation(operation, mode, headers)
            if failure:
                failures[f"{operation.label} [{mode.value}]"] = failure
    elapsed = time.monotonic() - started
    summary = f"fuzzed {operations} operations as {username}, {EXAMPLES} examples per mode, in {elapsed:.0f} s"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:  # not under xdist, whose workers have no terminal
        reporter.write_line(f"\n{summary}")
    report = "\n\n".join(f"== {label}\n{failure}" for label, failure in sorted(failures.items()))
    assert not failures, f"{len(failures)} of {2 * operations} operation runs failed:\n\n{report}"

"""Fuzz the whole API from its own OpenAPI schema (schemathesis): every operation, called by an
authenticated staff user with a few generated requests each, must never answer 500.

Small and deterministic on purpose (3 examples per operation, derandomized, no shrinking), so it
runs with the rest of the suite. Requests commit (a transactional test): examples may see what an
earlier one created, and the database is flushed afterwards. Operations that still answer 500 because of an app's
gap are listed in KNOWN_SERVER_ERRORS (xfail, not strict) with the reason."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

# Not one test transaction around the whole run: hundreds of generated requests inside one
# transaction exhaust PostgreSQL's lock table ("out of shared memory"); each request commits and
# the database is flushed after the test instead.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

# "METHOD /path" -> why it still answers 500 (an app's gap, reported to the app's engineer).
KNOWN_SERVER_ERRORS: dict[str, str] = {}


@pytest.fixture
def fuzz_token(staff_user, term, agency, make_deputy, council):
    """A staff user of a council with a term, an agency and a deputy, and an API token."""
    from rest_framework.authtoken.models import Token

    make_deputy(council, "Nguyễn Văn Thử")
    return Token.objects.create(user=staff_user).key


@pytest.fixture
def _wsgi_in_the_test_transaction(transactional_db):
    """The WSGI handler closes "old" connections at each request start and end, which would close
    the test's transaction; Django's own test client disconnects the same signal."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(_wsgi_in_the_test_transaction, fuzz_token):
    from hdnd_portal.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application,
                                          headers={"Authorization": f"Token {fuzz_token}"})


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=3, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error(case, fuzz_token, request):
    label = f"{case.method.upper()} {case.operation.path}"
    if label in KNOWN_SERVER_ERRORS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_SERVER_ERRORS[label], strict=False))
    response = case.call(headers={"Authorization": f"Token {fuzz_token}"})
    case.validate_response(response, checks=[not_a_server_error])

"""The session and the signed-in user read with one plain statement each (core/session_store.py):
the same user, the same sign-outs, two statements a request."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hdnd_portal.core.models import User
from hdnd_portal.core.session_store import DJANGO_BACKEND, PORTAL_BACKEND, SessionStore, UserBackend

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-Dai-12345"


@pytest.fixture
def user(make_user, council):
    user = make_user("thu_ky", council, "office_staff")
    user.set_password(PASSWORD)
    user.save()
    return user


def signed_in(user) -> Client:
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def signed_in_as_before(user) -> Client:
    """A session written before the portal's backend, naming Django's ModelBackend."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = DJANGO_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    client = Client()
    client.cookies["sessionid"] = store.session_key
    return client


def test_the_user_read_is_the_user_the_orm_reads(user):
    read = UserBackend().get_user(str(user.pk))
    expected = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert read._state.adding is False and read._state.db == "default"


@pytest.mark.parametrize("user_id", ["", "abc", "12x", "99999999", str(2**70)])
def test_a_user_id_that_names_no_user_is_no_user(user_id):
    assert UserBackend().get_user(user_id) is None


def test_an_inactive_user_is_no_user(user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert UserBackend().get_user(user.pk) is None


def test_signing_in_records_the_portal_backend_and_each_page_reads_two_rows(user):
    client = signed_in(user)
    session = SessionStore(client.cookies["sessionid"].value)
    assert session[BACKEND_SESSION_KEY] == PORTAL_BACKEND
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/password/")
    assert response.status_code == 200 and response.wsgi_request.user == user
    reads = [q["sql"] for q in queries.captured_queries[:2]]
    assert reads[0].startswith('SELECT session_data FROM "django_session"')
    assert reads[1].startswith('SELECT "id", "password"') and "LIMIT" not in reads[1]


def test_a_session_signed_in_before_stays_signed_in(user):
    client = signed_in_as_before(user)
    response = client.get("/password/")
    assert response.status_code == 200 and response.wsgi_request.user == user


def test_signing_out_ends_the_session(user):
    client = signed_in(user)
    key = client.cookies["sessionid"].value
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    stale = Client()
    stale.cookies["sessionid"] = key  # the old cookie, replayed
    assert stale.get("/password/").status_code == 302


def test_an_expired_session_is_signed_out(user):
    client = signed_in(user)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/password/").status_code == 302


@pytest.mark.parametrize("make_client", [signed_in, signed_in_as_before])
def test_a_password_changed_elsewhere_signs_the_session_out(user, make_client):
    client = make_client(user)
    assert client.get("/password/").status_code == 200
    user.set_password("mot-mat-khau-moi-678")
    user.save()
    assert client.get("/password/").status_code == 302


def test_a_deactivated_account_is_signed_out_on_its_next_request(user):
    client = signed_in(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/password/").status_code == 302


def test_a_malformed_session_cookie_is_a_visitor(user):
    client = Client()
    client.cookies["sessionid"] = "x'; DROP TABLE django_session; --"
    assert client.get("/password/").status_code == 302
    assert Session.objects.model._meta.db_table in connection.introspection.table_names()

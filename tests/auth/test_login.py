"""Login, logout, sessions, lockout and throttling."""
import datetime

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.auth.models import LoginAttempt, User
from tests import factories


def login(client, email, password=factories.PASSWORD, **kwargs):
    return client.post('/login', data={'email': email, 'password': password}, **kwargs)


def test_login_lands_on_home(client):
    """Does a user with the right password land on the home page?"""
    user = factories.make_user()
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.headers['Location'] == '/'
    home = client.get('/')
    assert home.status_code == 200
    assert user.name in home.text


def test_email_is_case_insensitive(client):
    """Can a user type their e-mail in capitals?"""
    user = factories.make_user(email='mixed@st-group.example')
    assert login(client, ' MIXED@st-group.example ').status_code == 302
    assert User.get_by_id(user.id).last_login_at is not None


def test_wrong_password_is_refused_with_a_generic_message(client):
    """Does a wrong password say nothing about whether the account exists?"""
    user = factories.make_user()
    wrong = login(client, user.email, 'not-the-password-123')
    unknown = login(client, 'nobody@st-group.example', 'not-the-password-123')
    assert wrong.status_code == unknown.status_code == 401
    assert 'The e-mail or password is not correct' in wrong.text
    assert wrong.text.count('not correct') == unknown.text.count('not correct')
    assert client.get('/').status_code == 302


def test_failed_logins_are_audited(client):
    """Are failed logins, with the address, in the audit log?"""
    factories.make_user(email='target@st-group.example')
    login(client, 'target@st-group.example', 'bad-password-xyz')
    event = AuditEvent.select().where(AuditEvent.action == 'login_failed').get()
    assert event.actor_email == 'target@st-group.example'
    assert event.ip == '127.0.0.1'


def test_empty_form_is_422_and_keeps_email(client):
    """Does a login without password keep the e-mail typed?"""
    response = client.post('/login', data={'email': 'someone@st-group.example'})
    assert response.status_code == 422
    assert 'value="someone@st-group.example"' in response.text


def test_next_only_to_same_host(client):
    """Is an open redirect through ``next`` refused?"""
    user = factories.make_user()
    for target in ('https://evil.example/', '//evil.example/x', '\\\\evil.example'):
        response = login(client, user.email, query_string={'next': target})
        assert response.headers['Location'] == '/'
        client.post('/logout')
    response = login(client, user.email, query_string={'next': '/audit-log/?page=1'})
    assert response.headers['Location'] == '/audit-log/?page=1'


def test_five_failures_lock_the_account_for_15_minutes(client, app):
    """Does the sixth attempt fail even with the right password, until the lock expires?"""
    user = factories.make_user()
    for _ in range(5):
        assert login(client, user.email, 'wrong-password-000').status_code == 401
    locked = User.get_by_id(user.id)
    assert locked.is_locked()
    assert login(client, user.email).status_code == 401
    assert AuditEvent.select().where(AuditEvent.action == 'lockout').count() == 1
    # The lock expires after 15 minutes.
    User.update(locked_until=datetime.datetime(2000, 1, 1)).where(User.id == user.id).execute()
    assert login(client, user.email).status_code == 302


def test_lock_holds_across_app_instances(client, app, tmp_path):
    """Is the lockout state in the database, not in one process?"""
    user = factories.make_user()
    for _ in range(5):
        login(client, user.email, 'wrong-password-000')
    other = app.test_client()  # a second client: no shared cookies or memory
    assert login(other, user.email).status_code == 401


def test_many_failures_from_one_address_are_throttled(client, app):
    """Are many failures from one client throttled, whatever the accounts?"""
    app.config['CLIENT_FAILURE_LIMIT'] = 4
    user = factories.make_user()
    for n in range(4):
        assert login(client, 'guess%d@st-group.example' % n, 'x' * 12).status_code == 401
    response = login(client, user.email)
    assert response.status_code == 429
    assert LoginAttempt.select().count() == 5
    other_address = login(client, user.email, environ_base={'REMOTE_ADDR': '10.9.8.7'})
    assert other_address.status_code == 302


def test_deactivated_user_cannot_login(client):
    """Is a deactivated account refused like a wrong password?"""
    user = factories.make_user()
    user.active = False
    user.save()
    assert login(client, user.email).status_code == 401


def test_logout_ends_session_on_server(client):
    """Is a session cookie copied before logout refused afterwards?"""
    user = factories.make_user()
    login(client, user.email)
    cookie = client.get_cookie('stintranet_session').value
    assert client.post('/logout').status_code == 303
    thief = client.application.test_client()
    thief.set_cookie('stintranet_session', cookie)
    response = thief.get('/')
    assert response.status_code == 302
    assert '/login' in response.headers['Location']


def test_logout_needs_post(client, login_as):
    """Is GET /logout a 405 (a link must not sign people out)?"""
    login_as('employee')
    assert client.get('/logout').status_code == 405


def test_idle_timeout(client, app):
    """Does a session idle for longer than the timeout end?"""
    user = factories.make_user()
    login(client, user.email)
    assert client.get('/').status_code == 200
    with client.session_transaction() as session:
        session['seen_at'] -= 31 * 60
    response = client.get('/')
    assert response.status_code == 302 and '/login' in response.headers['Location']


def test_absolute_lifetime(client):
    """Does a session end after 12 hours even when active?"""
    user = factories.make_user()
    login(client, user.email)
    with client.session_transaction() as session:
        session['login_at'] -= 12 * 3600 + 1
    assert client.get('/').status_code == 302


def test_htmx_unauthenticated_gets_hx_redirect(client):
    """Does an htmx request without a session get HX-Redirect to the login page?"""
    response = client.get('/audit-log/', headers={'HX-Request': 'true'})
    assert response.status_code == 401
    assert response.headers['HX-Redirect'].startswith('/login?next=')


def test_rehash_when_parameters_change(client, app):
    """Is a password re-hashed at login when the argon2 parameters change?"""
    user = factories.make_user()
    old_hash = user.password_hash
    app.config['ARGON2_MEMORY_COST'] = 2048
    assert login(client, user.email).status_code == 302
    new_hash = User.get_by_id(user.id).password_hash
    assert new_hash != old_hash and 'm=2048' in new_hash


def test_production_hash_parameters(app):
    """Are the default argon2id parameters time 2, 19 MiB, parallelism 1?"""
    from stintranet.config import DEFAULTS
    assert (DEFAULTS['ARGON2_TIME_COST'], DEFAULTS['ARGON2_MEMORY_COST'],
            DEFAULTS['ARGON2_PARALLELISM']) == (2, 19456, 1)
    from stintranet.auth.passwords import _hasher
    assert _hasher(2, 19456, 1).hash('x' * 12).startswith('$argon2id$v=19$m=19456,t=2,p=1$')


@pytest.mark.parametrize('method', ['put', 'delete', 'patch'])
def test_wrong_method_is_405(client, method):
    """Do unsupported methods get 405, not 500?"""
    assert getattr(client, method)('/login').status_code == 405

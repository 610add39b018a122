"""The password policy, changing one's own password, one-time passwords."""
import os

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.auth import passwords
from stintranet.auth.models import User
from stintranet.auth.services import set_one_time_password
from tests import factories

GOOD = 'Quiet-river-under-Fuji-88'


def login(client, email, password=factories.PASSWORD):
    return client.post('/login', data={'email': email, 'password': password})


def change(client, current, new, confirm=None):
    return client.post('/account/password', data={
        'current_password': current, 'new_password': new,
        'confirm': new if confirm is None else confirm})


@pytest.mark.parametrize('password,reason', [
    ('Short-pw-1', 'at least 12'),
    ('x' * 11, 'at least 12'),
    ('hanako.yamada-2026!', 'e-mail name'),
    ('My-HANAKO.YAMADA-pass', 'e-mail name'),
    ('password1234', 'too common'),
    ('Password12345', 'too common'),
    ('qwertyuiop123', 'too common'),
    ('aaaaaaaaaaaaaaaa', 'different characters'),
    ('x' * 300, 'at most 256'),
])
def test_policy_refuses(app, password, reason):
    """Is a password that is short, has the e-mail name, is common or repetitive refused?"""
    errors = ' '.join(passwords.policy_errors(password, 'hanako.yamada@st-group.example'))
    assert reason in errors


@pytest.mark.parametrize('password', [GOOD, 'maple leaves in Kyoto', 'Zq' * 3 + 'abcd1234'])
def test_policy_accepts_good_passwords(app, password):
    """Is a long, uncommon password without the e-mail name accepted?"""
    assert passwords.policy_errors(password, 'hanako.yamada@st-group.example') == []


@pytest.mark.parametrize('password', ['Password1234', 'IloveYou1234', 'QWERTYUIOP123',
                                      'P@ssw0rd1234', 'Welcome123456', 'Changeme1234!'])
def test_common_password_list_is_shipped(app, password):
    """Does the list shipped with the package refuse well-known long passwords?"""
    assert passwords.common_passwords() and os.path.exists(passwords.COMMON_PASSWORDS_FILE)
    assert 'too common' in ' '.join(passwords.policy_errors(password, 'x@st-group.example'))


def test_exactly_twelve_characters_is_enough(app):
    """Is the minimum inclusive (12 characters accepted, 11 refused)?"""
    assert passwords.policy_errors('Kx7-mP2q-Lw9', 'a@st-group.example') == []
    assert passwords.policy_errors('Kx7-mP2q-Lw', 'a@st-group.example')


def test_change_password_page_asks_current_password(client, login_as):
    """Does the change-password form ask for the current password?"""
    login_as('employee')
    page = client.get('/account/password')
    assert page.status_code == 200
    assert 'for="current_password"' in page.text
    assert 'for="new_password"' in page.text


def test_wrong_current_password_is_422(client, login_as):
    """Is a wrong current password refused with 422 and the hash unchanged?"""
    user = login_as('employee')
    response = change(client, 'not-my-password-at-all', GOOD)
    assert response.status_code == 422
    assert 'This is not your current password.' in response.text
    assert User.get_by_id(user.id).password_hash == user.password_hash


def test_weak_new_password_is_422(client, login_as):
    """Is a policy-breaking new password refused with the reason?"""
    user = login_as('employee')
    response = change(client, factories.PASSWORD, 'Password12345')
    assert response.status_code == 422
    assert 'too common' in response.text
    assert User.get_by_id(user.id).password_hash == user.password_hash


def test_mismatched_confirmation_is_422(client, login_as):
    """Is a differing confirmation refused?"""
    login_as('employee')
    response = change(client, factories.PASSWORD, GOOD, confirm=GOOD + 'x')
    assert response.status_code == 422
    assert 'The two passwords differ.' in response.text


def test_same_password_again_is_refused(client, login_as):
    """Must the new password differ from the current one?"""
    login_as('employee')
    response = change(client, factories.PASSWORD, factories.PASSWORD)
    assert response.status_code == 422
    assert 'different from the current one' in response.text


def test_change_password_succeeds_and_ends_other_sessions(client, app):
    """Does a password change keep this session but sign out the user's other sessions?"""
    user = factories.make_user()
    other = app.test_client()
    assert login(client, user.email).status_code == 302
    assert login(other, user.email).status_code == 302
    assert other.get('/').status_code == 200

    response = change(client, factories.PASSWORD, GOOD)
    assert response.status_code == 303
    changed = User.get_by_id(user.id)
    assert changed.password_hash != user.password_hash
    assert passwords.verify_password(changed.password_hash, GOOD)
    assert client.get('/').status_code == 200
    ended = other.get('/')
    assert ended.status_code == 302 and '/login' in ended.headers['Location']
    assert AuditEvent.select().where(AuditEvent.action == 'password_changed').count() == 1

    client.post('/logout')
    assert login(client, user.email).status_code == 401
    assert login(client, user.email, GOOD).status_code == 302


def test_change_password_needs_login(client):
    """Is the change-password page closed to anonymous visitors?"""
    response = client.get('/account/password')
    assert response.status_code == 302 and '/login' in response.headers['Location']


def test_one_time_password_forces_change(client, app):
    """After an admin's reset, does every page lead to the change page until it is changed?"""
    admin = factories.make_user(roles=('admin',))
    user = factories.make_user()
    set_one_time_password(user, 'OneTime-Secret-4711', admin)
    response = login(client, user.email, 'OneTime-Secret-4711')
    assert response.status_code == 302
    assert response.headers['Location'] == '/account/password'
    for path in ('/', '/audit-log/', '/admin/users'):
        forced = client.get(path)
        assert forced.status_code == 302, path
        assert forced.headers['Location'] == '/account/password'
    page = client.get('/account/password')
    assert page.status_code == 200 and 'one-time password' in page.text

    assert change(client, 'OneTime-Secret-4711', GOOD).status_code == 303
    assert User.get_by_id(user.id).must_change_password is False
    assert client.get('/').status_code == 200


def test_one_time_password_user_can_sign_out(client):
    """Can a user with a one-time password still sign out?"""
    user = factories.make_user(must_change_password=True)
    login(client, user.email)
    assert client.post('/logout').status_code == 303
    assert client.get('/account/password').status_code == 302


def test_reset_ends_existing_sessions(client, app):
    """Does an admin's reset sign the user out of sessions they already had?"""
    admin = factories.make_user(roles=('admin',))
    user = factories.make_user()
    login(client, user.email)
    assert client.get('/').status_code == 200
    set_one_time_password(user, 'OneTime-Secret-4711', admin)
    response = client.get('/')
    assert response.status_code == 302 and '/login' in response.headers['Location']

"""CSRF switched on: unsafe requests need a token, in the form or the X-CSRFToken header."""
import re

import pytest

from stintranet.auth.models import Department
from tests import factories


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token_from(html):
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'"X-CSRFToken": "([^"]+)"', html))
    assert match, 'no CSRF token on the page'
    return match.group(1)


def sign_in(client, user):
    token = token_from(client.get('/login').text)
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD,
                                           'csrf_token': token})
    assert response.status_code == 302, response.text
    return token_from(client.get('/').text)


def test_tokenless_login_is_400(client):
    """Is a login POST without a CSRF token refused with 400?"""
    user = factories.make_user()
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 400
    assert client.get('/').status_code == 302  # still signed out


def test_login_with_form_token_passes(client):
    """Does a login with the page's token sign in?"""
    sign_in(client, factories.make_user())
    assert client.get('/').status_code == 200


def test_tokenless_logout_is_400(client):
    """Is a tokenless logout (a cross-site form) refused, the session kept?"""
    sign_in(client, factories.make_user())
    response = client.post('/logout')
    assert response.status_code == 400
    assert client.get('/').status_code == 200


def test_logout_with_header_token_passes(client):
    """Does a POST with the token in the X-CSRFToken header pass?"""
    token = sign_in(client, factories.make_user())
    response = client.post('/logout', headers={'X-CSRFToken': token})
    assert response.status_code == 303
    assert client.get('/').status_code == 302


def test_wrong_header_token_is_400(client):
    """Is a made-up token in the header refused?"""
    sign_in(client, factories.make_user())
    response = client.post('/logout', headers={'X-CSRFToken': 'forged-token'})
    assert response.status_code == 400


def test_htmx_tokenless_post_gets_hx_refresh(client):
    """Does a tokenless htmx POST get 400 with HX-Refresh so the page reloads its token?"""
    sign_in(client, factories.make_user())
    response = client.post('/logout', headers={'HX-Request': 'true'})
    assert response.status_code == 400
    assert response.headers['HX-Refresh'] == 'true'
    assert '<html' not in response.text


def test_plain_tokenless_post_has_no_hx_refresh(client):
    """Is HX-Refresh kept for htmx requests only?"""
    response = client.post('/login', data={'email': 'x@st-group.example'})
    assert response.status_code == 400
    assert 'HX-Refresh' not in response.headers


def test_admin_form_needs_token(client):
    """Is an admin's tokenless department creation refused and nothing created?"""
    user = factories.make_user(roles=('admin',))
    token = sign_in(client, user)
    response = client.post('/admin/departments/new', data={'code': 'CSRFX', 'name': 'X'})
    assert response.status_code == 400
    assert not Department.select().where(Department.code == 'CSRFX').exists()
    response = client.post('/admin/departments/new',
                           data={'code': 'CSRFX', 'name': 'X', 'active': 'y',
                                 'csrf_token': token})
    assert response.status_code == 303
    assert Department.select().where(Department.code == 'CSRFX').exists()


def test_admin_action_accepts_header_token(client):
    """Does a one-button admin action accept the htmx header token instead of the form field?"""
    admin = factories.make_user(roles=('admin',))
    target = factories.make_user()
    token = sign_in(client, admin)
    refused = client.post('/admin/users/%d/deactivate' % target.id)
    assert refused.status_code == 400
    response = client.post('/admin/users/%d/deactivate' % target.id,
                           headers={'X-CSRFToken': token})
    assert response.status_code == 303
    from stintranet.auth.models import User
    assert User.get_by_id(target.id).active is False

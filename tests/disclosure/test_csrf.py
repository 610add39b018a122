"""With CSRF protection on: every form of the request pages carries a token, and a post
without one is refused."""
import re

import pytest

from stintranet.disclosure import catalogue as C
from tests import factories
from tests.disclosure.factories import make_request, reload


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


@pytest.fixture
def staff(client):
    """Customer Center staff signed in with the login page's token."""
    user = factories.make_user(roles=('employee', 'customer_center'), department='CC')
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get('/login').text).group(1)
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD,
                                           'csrf_token': token})
    assert response.status_code == 302
    return user


def test_every_form_has_a_token(client, staff):
    """Does each POST form on the request, intake and edit pages carry a CSRF token?"""
    req = make_request('verifying', proxy_kind=C.LEGAL_REPRESENTATIVE, actor=staff)
    for url in ('/requests/%d' % req.id, '/requests/new', '/requests/%d/edit' % req.id):
        text = client.get(url).text
        forms = re.findall(r'<form[^>]*method="post".*?</form>', text, flags=re.S)
        assert forms, url
        for form in forms:
            assert re.search(r'name="[a-z-]*csrf_token"', form), (url, form[:200])


def test_post_without_token_is_400(client, staff):
    """Is a tokenless state change refused with 400 and the request unchanged?"""
    req = make_request('received', actor=staff)
    response = client.post('/requests/%d/start-verification' % req.id,
                           data={'start-version': req.version})
    assert response.status_code == 400
    assert reload(req).status == C.RECEIVED


def test_htmx_checklist_with_header_token(client, staff):
    """Does an htmx checklist post pass with the token from <main hx-headers>?"""
    req = make_request('verifying', actor=staff)
    page = client.get('/requests/%d' % req.id).text
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = client.post('/requests/%d/checklist' % req.id,
                           data={'check-id_document_type': 'passport'},
                           headers={'HX-Request': 'true', 'X-CSRFToken': token})
    assert response.status_code == 200
    assert reload(req).id_document_type == 'passport'

"""With CSRF on: the pledge and quiz forms carry a token, and a tokenless POST is refused."""
import re

import pytest

from stintranet.pledges import services
from stintranet.pledges.models import PledgeSignature
from tests import factories


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token_in(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, 'no CSRF token in the form'
    return match.group(1)


def sign_in(client, user):
    token = token_in(client.get('/login').text)
    response = client.post('/login', data={'email': user.email,
                                           'password': factories.PASSWORD,
                                           'csrf_token': token})
    assert response.status_code == 302


def test_signing_needs_the_form_token(client):
    """Is a signature without the CSRF token refused with 400, and accepted with it?"""
    version = services.publish_version('Pledge', 'I will keep secrets.', '', None, 0)
    user = factories.make_user(name='Alice')
    sign_in(client, user)
    data = {'typed_name': 'Alice', 'version': '1', 'text_sha256': version.text_sha256}
    assert client.post('/pledges/sign', data=data).status_code == 400
    assert PledgeSignature.select().count() == 0
    data['csrf_token'] = token_in(client.get('/pledges/').text)
    assert client.post('/pledges/sign', data=data).status_code == 303
    assert PledgeSignature.select().count() == 1

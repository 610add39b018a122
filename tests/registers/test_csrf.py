"""With CSRF protection on, register writes need the page's token."""
import re

import pytest

from stintranet.registers.models import Asset, CarryOut
from stintranet.timezone import today_local
from tests import factories
from tests.registers.factories import make_asset, manager_of


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token_from(html):
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'"X-CSRFToken": "([^"]+)"', html))
    assert match, 'no CSRF token on the page'
    return match.group(1)


def test_tokenless_posts_are_400_and_tokened_ones_pass(client, departments):
    """Is a carry-out request without a token refused (400, htmx told to refresh), and one
    with the form's token accepted?"""
    manager = manager_of('SALES')
    token = token_from(client.get('/login').text)
    client.post('/login', data={'email': manager.email, 'password': factories.PASSWORD,
                                'csrf_token': token})
    asset = make_asset('SALES', actor=manager, encrypted=True)
    url = '/registers/assets/%d/carry-outs/new' % asset.id
    data = {'requested_by': str(factories.make_user(department='SALES').id),
            'out_on': today_local().isoformat(), 'expected_return_on': today_local().isoformat(),
            'destination': 'Osaka', 'purpose': 'Fair'}
    assert client.post(url, data=data).status_code == 400
    htmx = client.post(url, data=data, headers={'HX-Request': 'true'})
    assert htmx.status_code == 400 and htmx.headers.get('HX-Refresh') == 'true'
    assert not CarryOut.select().exists()
    data['csrf_token'] = token_from(client.get(url).text)
    assert client.post(url, data=data).status_code == 303
    assert Asset.get_by_id(asset.id).state == 'in_service' and CarryOut.select().count() == 1

"""With CSRF protection on, the door needs the page's token."""
import re

import pytest

from stintranet.serverarea.models import AreaEntry
from tests import factories


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token_from(html):
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'"X-CSRFToken": "([^"]+)"', html))
    assert match, 'no CSRF token on the page'
    return match.group(1)


def test_door_posts_need_the_token(client, room, operator, it_manager):
    """Is an entry without a token refused (400, htmx told to refresh), and one with the
    door form's token recorded? Does an exit need it too?"""
    token = token_from(client.get('/login').text)
    client.post('/login', data={'email': it_manager.email, 'password': factories.PASSWORD,
                                'csrf_token': token})
    url = '/server-area/%d/door' % room.id
    data = {'purpose': 'backup', 'person': str(operator.id)}
    assert client.post(url, data=data).status_code == 400
    htmx = client.post(url, data=data, headers={'HX-Request': 'true'})
    assert htmx.status_code == 400 and htmx.headers.get('HX-Refresh') == 'true'
    assert not AreaEntry.select().exists()
    data['csrf_token'] = token_from(client.get(url).text)
    assert client.post(url, data=data).status_code == 303
    entry = AreaEntry.get()
    exit_url = '/server-area/%d/entries/%d/exit' % (room.id, entry.id)
    assert client.post(exit_url).status_code == 400
    assert client.post(exit_url, data={'csrf_token': data['csrf_token']}).status_code == 303

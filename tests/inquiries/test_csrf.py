"""With CSRF protection on, inquiry writes need the page's token."""
import re

import pytest

from stintranet.inquiries.models import Inquiry
from stintranet.timezone import today_local
from tests import factories
from tests.inquiries.factories import make_inquiry


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token_from(html):
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'"X-CSRFToken": "([^"]+)"', html))
    assert match, 'no CSRF token on the page'
    return match.group(1)


def test_answer_needs_the_token(client, cc):
    """Is an answer without a token refused (400, htmx told to refresh), and one with the
    page's token recorded?"""
    token = token_from(client.get('/login').text)
    client.post('/login', data={'email': cc.email, 'password': factories.PASSWORD,
                                'csrf_token': token})
    inquiry = make_inquiry(cc)
    url = '/inquiries/%d/answer' % inquiry.id
    data = {'answer': 'Explained.', 'answered_on': today_local().isoformat(), 'version': '1'}
    assert client.post(url, data=data).status_code == 400
    htmx = client.post(url, data=data, headers={'HX-Request': 'true'})
    assert htmx.status_code == 400 and htmx.headers.get('HX-Refresh') == 'true'
    assert Inquiry.get_by_id(inquiry.id).status == 'open'
    data['csrf_token'] = token_from(client.get('/inquiries/%d' % inquiry.id).text)
    assert client.post(url, data=data).status_code == 303
    assert Inquiry.get_by_id(inquiry.id).status == 'answered'

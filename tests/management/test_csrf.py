"""With CSRF protection on, the management review's forms need the page's token."""
import re

import pytest

from stintranet.management.models import ManagementReview, ReviewDecision
from tests import factories
from tests.management.factories import make_review


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token_from(html):
    match = re.search(r'name="[a-z]*-?csrf_token"[^>]*value="([^"]+)"', html) \
        or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match, 'no CSRF token on the page'
    return match.group(1)


def test_posts_need_the_token(client, chair):
    """Is a decision or a new review without a token refused (400, htmx told to refresh),
    and one with the page's token recorded?"""
    token = token_from(client.get('/login').text)
    client.post('/login', data={'email': chair.email, 'password': factories.PASSWORD,
                                'csrf_token': token})
    review = make_review(chair)
    url = '/management-reviews/%d/decisions/law' % review.id
    data = {'law-decision': '対応不要。', 'law-version': ''}
    assert client.post(url, data=data).status_code == 400
    htmx = client.post(url, data=data, headers={'HX-Request': 'true'})
    assert htmx.status_code == 400 and htmx.headers.get('HX-Refresh') == 'true'
    assert client.post('/management-reviews/new', data={'title': 'x'}).status_code == 400
    assert ManagementReview.select().count() == 1 and not ReviewDecision.select().exists()
    page = client.get('/management-reviews/%d' % review.id).text
    data['law-csrf_token'] = re.search(r'name="law-csrf_token"[^>]*value="([^"]+)"',
                                       page).group(1)
    assert client.post(url, data=data, headers={'HX-Request': 'true'}).status_code == 200
    assert ReviewDecision.select().count() == 1

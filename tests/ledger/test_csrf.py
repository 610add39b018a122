"""With CSRF protection on, ledger writes need the form's token."""
import re

import pytest

from stintranet.ledger.models import LedgerEntry
from tests import factories
from tests.ledger.factories import form_data


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def token(text):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)


def test_ledger_posts_need_the_token(client):
    """Is a tokenless POST refused with 400, and the same POST with the token accepted?"""
    user = factories.make_user(roles=('employee', 'manager'), department='SALES')
    login_page = client.get('/login')
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD,
                                'csrf_token': token(login_page.text)})
    data = form_data(department=str(user.department_id), responsible=str(user.id),
                     title='Needs a token')
    refused = client.post('/ledger/new', data=data)
    assert refused.status_code == 400
    assert LedgerEntry.select().count() == 0
    form = client.get('/ledger/new')
    accepted = client.post('/ledger/new', data=dict(data, csrf_token=token(form.text)))
    assert accepted.status_code == 303
    assert client.post('/ledger/import', data={}).status_code == 400

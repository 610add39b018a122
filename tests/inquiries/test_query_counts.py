"""The inquiries' list pages read the same few queries at 10 and at 1,000 rows."""
import datetime
import uuid

import pytest
from playhouse.test_utils import assert_query_count, count_queries

from stintranet.db import database, utcnow
from stintranet.inquiries.models import Inquiry
from stintranet.timezone import today_local
from tests import factories

CEILING = 8
HTMX = {'HX-Request': 'true'}


def grow(creator, start, stop):
    """Inquiries with their plain columns only (the encrypted ones stay empty)."""
    now, today = utcnow(), today_local()
    with database.atomic():
        Inquiry.insert_many([{
            'uid': uuid.uuid4().hex, 'kind': ('inquiry', 'complaint')[n % 2],
            'channel': 'phone', 'received_at': now - datetime.timedelta(hours=n * 7),
            'subject': 'Question %d' % n,
            'category': ('policy', 'purpose', 'handling', 'request', 'other')[n % 5],
            'due_on': today + datetime.timedelta(days=7 - n % 20),
            'status': ('open', 'answered', 'closed')[n % 3],
            'answered_at': now if n % 3 else None, 'created_by': creator.id,
            'created_at': now, 'updated_at': now,
        } for n in range(start, stop)]).execute()


CASES = [
    ('open', '/inquiries/', False, True),
    ('all', '/inquiries/?status=all', False, True),
    ('overdue-htmx', '/inquiries/?status=overdue&kind=complaint&q=Question', True, True),
    ('trends', '/inquiries/trends', False, False),
]


@pytest.mark.parametrize('name,url,htmx,paged', CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize('role', ['customer_center', 'committee'])
def test_list_pages_are_constant_at_10_and_1000_rows(client, cc, role, name, url, htmx,
                                                     paged):
    """Does the page use at most eight queries, the same at 10 rows as at 1,000?"""
    user = cc if role == 'customer_center' else factories.make_user(
        roles=('employee', 'committee'), department='LEGAL')
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    headers = HTMX if htmx else {}
    grow(cc, 0, 10)
    client.get(url, headers=headers)
    with count_queries() as counter:
        assert client.get(url, headers=headers).status_code == 200
    small = counter.count
    assert small <= CEILING, (name, small)
    grow(cc, 10, 1000)
    with assert_query_count(small):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert ('rel="next"' in response.text) == paged

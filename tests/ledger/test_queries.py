"""The list, health view, home panel and export issue the same number of queries at 10
entries as at 10,000 (``count_queries`` from playhouse.test_utils)."""
import datetime

import pytest
from playhouse.test_utils import count_queries

from stintranet.auth.models import Department
from stintranet.crypto import new_uid
from stintranet.db import database
from stintranet.ledger.models import LedgerEntry, LedgerEntryItem
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry

BIG = 10_000


def bulk_entries(n, department, responsible):
    """``n`` plain entries, inserted in bulk (no encrypted values, so insert_many is fine)."""
    today = today_local()
    offset = LedgerEntry.select().count()
    rows = [{
        'uid': new_uid(), 'department': department.id, 'title': 'Bulk process %05d' % (offset + i),
        'category': ('customer', 'employee', 'applicant')[i % 3], 'purposes': 'Bulk.',
        'person_band': 1 + i % 4, 'medium': 'electronic', 'storage_country': 'JP',
        'status': 'active', 'responsible': responsible.id, 'special_care': i % 7 == 0,
        'last_reviewed_on': today, 'next_review_due': today + datetime.timedelta(days=i % 400),
    } for i in range(n)]
    with database.atomic():
        before = {e.id for e in LedgerEntry.select(LedgerEntry.id)}
        for start in range(0, n, 500):
            LedgerEntry.insert_many(rows[start:start + 500]).execute()
        ids = [e.id for e in LedgerEntry.select(LedgerEntry.id) if e.id not in before]
        items = [{'entry': entry_id, 'code': code, 'label': ''}
                 for entry_id in ids for code in ('name', 'email')]
        for start in range(0, len(items), 1000):
            LedgerEntryItem.insert_many(items[start:start + 1000]).execute()


def queries(client, url):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return counter.count


URLS = ['/ledger/', '/ledger/?sort=-next_review&review=due', '/ledger/?q=bulk',
        '/ledger/?item=name&category=customer', '/ledger/health', '/']


@pytest.mark.parametrize('role', ['manager', 'committee'])
def test_query_count_is_constant(client, login_as, role):
    """Is the number of queries the same at 10 entries and at 10,000?"""
    sales = factories.make_department('SALES')
    if role == 'manager':
        user = login_as('employee', 'manager', department='SALES')
    else:
        user = login_as('employee', 'committee', department='LEGAL')
    for _n in range(5):
        make_entry('SALES', responsible=user)
    bulk_entries(5, sales, user)  # incomplete entries, so the health view has rows
    small = {url: queries(client, url) for url in URLS}
    bulk_entries(BIG - 10, sales, user)
    assert LedgerEntry.select().count() == BIG
    big = {url: queries(client, url) for url in URLS}
    assert big == small
    # A list page reads the session user, its filters' choices, a count and a page, and
    # (the health view) the counts and the page's items.
    assert all(count <= 8 for url, count in small.items() if url != '/'), small


def test_export_query_count_is_constant(client, login_as):
    """Does the export fetch entries and items in a constant number of queries?"""
    user = login_as('employee', 'committee', department='LEGAL')
    for _n in range(3):
        make_entry('SALES', responsible=user)
    few = queries(client, '/ledger/export.csv')
    for _n in range(30):
        make_entry('HR', responsible=user)
    assert queries(client, '/ledger/export.csv') == few
    assert Department.select().count() >= 2

"""The management reviews' list page reads the same few queries at 10 and at 1,000 reviews,
for the committee and the auditors, plain and htmx, and so does its export."""
import datetime

import pytest
from playhouse.test_utils import assert_query_count, count_queries

from stintranet.corrective.models import CorrectiveAction
from stintranet.db import database, utcnow
from stintranet.management.models import ManagementReview, ReviewDecision
from stintranet.timezone import today_local
from tests import factories

CEILING = 8
HTMX = {'HX-Request': 'true'}


def grow(actor, start, stop):
    """Reviews (held every other one) with two decisions each and an action on one."""
    now, today = utcnow(), today_local()
    with database.atomic():
        ids = []
        for n in range(start, stop):
            day = today - datetime.timedelta(days=n)
            ids.append(ManagementReview.insert(
                title='Review %d' % n, period_start=day - datetime.timedelta(days=365),
                period_end=day, planned_on=day, held_on=day if n % 2 else None,
                status=('draft', 'held', 'closed')[n % 3], created_by=actor.id,
                updated_by=actor.id, created_at=now, updated_at=now).execute())
        decisions = []
        for review_id in ids:
            for area in ('audits', 'ledger'):
                decisions.append(ReviewDecision.insert(
                    review=review_id, area=area, decision='OK', decided_by=actor.id,
                    created_at=now, updated_at=now).execute())
        CorrectiveAction.insert_many([{
            'source_type': 'review_decision', 'source_id': d, 'title': 'Action', 'owner': actor.id,
            'due_on': today, 'status': 'open', 'created_at': now, 'updated_at': now}
            for d in decisions[::2]]).execute()


CASES = [
    ('all', '/management-reviews/', False),
    ('held-htmx', '/management-reviews/?status=held', True),
    ('year', '/management-reviews/?year=%d', False),
]


@pytest.mark.parametrize('name,url,htmx', CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize('role', ['committee', 'auditor'])
def test_list_page_is_constant_at_10_and_1000_rows(client, departments, role, name, url,
                                                   htmx):
    """Does the list use at most eight queries, the same at 10 reviews as at 1,000?"""
    user = factories.make_user(roles=('employee', role), department='AUDIT')
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    url = url % today_local().year if '%d' in url else url
    headers = HTMX if htmx else {}
    grow(user, 0, 10)
    client.get(url, headers=headers)
    with count_queries() as counter:
        assert client.get(url, headers=headers).status_code == 200
    small = counter.count
    assert small <= CEILING, (name, small)
    grow(user, 10, 1000)
    with assert_query_count(small):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    if name == 'all':
        assert 'rel="next"' in response.text


def test_review_page_is_constant_in_its_decisions_and_actions(client, departments):
    """Does a review's page cost the same with one decision as with every area decided and
    many actions?"""
    from stintranet.management import catalogue as C
    from stintranet.management import services
    from tests.management.factories import make_review
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    client.post('/login', data={'email': chair.email, 'password': factories.PASSWORD})
    review = make_review(chair)
    services.decide(review, 'audits', 'OK', None, chair)
    url = '/management-reviews/%d' % review.id
    client.get(url)
    with count_queries() as counter:
        client.get(url)
    for area in C.AREA_CODES[1:]:
        for n in range(3):
            services.decide(review, area, 'OK %d' % n, n or None, chair, action={
                'title': 'Action %d' % n, 'owner': chair, 'due_on': today_local()})
    with assert_query_count(counter.count):
        assert client.get(url).status_code == 200

"""The home work lists: the committee's management review to hold, to close or due; a
manager's ledger entries without a current risk assessment."""
import datetime

from stintranet.dashboard import worklist
from stintranet.db import utcnow
from stintranet.ledger.models import add_months
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry
from tests.management.factories import make_review


def items_of(user, kind):
    from flask import current_app
    with current_app.test_request_context('/'):
        found = worklist.for_user(user, today_local(), utcnow())
    return [i for i in found.items if i.kind.name == kind]


def test_committee_sees_the_review_to_hold_then_to_close(client, signed_in):
    """Does the chair's home show the review in preparation with its meeting date, then
    the held one to close, and no longer once it is closed?"""
    review = make_review(signed_in, planned_on=today_local() + datetime.timedelta(days=5))
    home = client.get('/').text
    assert review.reference in home and 'Planned in 5 days' in home
    assert '1 management review needs you' in home
    from stintranet.management import services
    review = services.hold(review, today_local(), review.version, signed_in)
    (item,) = items_of(signed_in, 'management-review')
    assert item.state == 'waiting' and 'close it' in item.title
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    assert not items_of(auditor, 'management-review')


def test_committee_is_told_when_the_yearly_review_is_due(signed_in):
    """With the last review closed a year less ten days ago and none in hand, is the
    yearly review due in ten days, linked to a new review?"""
    held_on = add_months(today_local(), -12) + datetime.timedelta(days=10)
    make_review(signed_in, held_on=held_on, end=held_on - datetime.timedelta(days=2),
                closed=True)
    (item,) = items_of(signed_in, 'management-review')
    assert item.due_on == add_months(held_on, 12) and item.state == 'later'
    assert item.phrase == 'Due in 10 days'
    assert item.url == '/management-reviews/new'


def test_managers_see_their_entries_without_a_current_assessment(client, login_as,
                                                                   departments):
    """Does a manager's home name the entries of their departments never assessed or not
    confirmed for a year, and not the assessed ones nor other departments'?"""
    from stintranet.ledger.risk.models import RiskAssessment
    manager = login_as('employee', 'manager', department='SALES', manages=('SALES',))
    make_entry(title='Never assessed', assessed=False)
    old = make_entry(title='Assessed long ago')
    RiskAssessment.update(assessed_on=add_months(today_local(), -14)).where(
        RiskAssessment.entry == old.id).execute()
    make_entry(title='All assessed')
    make_entry('HR', title='Other department', assessed=False)
    home = client.get('/').text
    assert 'Never assessed (SALES)' in home and 'Not assessed yet' in home
    assert 'Assessed long ago (SALES)' in home and 'not confirmed since' in home
    assert 'All assessed' not in home and 'Other department' not in home
    assert '2 ledger entries without a current risk assessment' in home
    assert items_of(manager, 'ledger-risk')[0].url.endswith('#ledger-risk')

"""The ledger's daily reminder: reviews due and overdue."""
import datetime

from stintranet.ledger import jobs
from stintranet.ledger.models import LedgerEntry
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_ledger_review_due_and_overdue_reach_the_department_managers(app):
    """Do the entry's department managers hear 30 days before the review and once it is overdue?"""
    manager = factories.make_user(roles=('employee', 'manager'), manages=('SALES',))
    other = factories.make_user(roles=('employee', 'manager'), department='HR', manages=('HR',))
    today = today_local()
    entry = LedgerEntry(department=factories.make_department('SALES'), title='Web shop',
                        status='active', next_review_due=today + datetime.timedelta(days=30))
    entry.save()
    jobs.ledger_reviews(today - datetime.timedelta(days=1))
    assert not keys_of(manager)
    jobs.ledger_reviews(today)
    jobs.ledger_reviews(today + datetime.timedelta(days=31))
    jobs.ledger_reviews(today + datetime.timedelta(days=32))
    due = entry.next_review_due.isoformat()
    assert keys_of(manager) == {'ledger:%d:review-due:%s' % (entry.id, due),
                                'ledger:%d:review-overdue:%s' % (entry.id, due)}
    assert not keys_of(other)

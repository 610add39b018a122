"""The daily reminder of the yearly management review: to the committee, 30 days ahead and
once overdue, never while one is in hand... and once when none was ever held."""
import datetime

from stintranet.ledger.models import add_months
from stintranet.management import jobs
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.management.factories import make_review


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_the_committee_hears_when_the_review_falls_due(chair):
    """Does the committee hear once 30 days before a year has passed since the last review
    held, once when it is overdue, and nobody else?"""
    manager = factories.make_user(roles=('employee', 'manager'), department='SALES')
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    today = today_local()
    held_on = add_months(today, -11)
    make_review(chair, held_on=held_on, end=held_on - datetime.timedelta(days=3), closed=True)
    due = add_months(held_on, 12)
    assert jobs.remind_review(due - datetime.timedelta(days=31)) == '0 notifications'
    jobs.remind_review(due - datetime.timedelta(days=30))
    jobs.remind_review(due - datetime.timedelta(days=2))
    assert keys_of(chair) == {'management-review:due:%s' % due}
    jobs.remind_review(due + datetime.timedelta(days=1))
    jobs.remind_review(due + datetime.timedelta(days=9))
    assert keys_of(chair) == {'management-review:due:%s' % due,
                              'management-review:overdue:%s' % due}
    assert not keys_of(manager) and not keys_of(auditor)
    note = Notification.get(Notification.key == 'management-review:overdue:%s' % due)
    assert due.isoformat() in note.subject and note.link == '/management-reviews/'


def test_a_new_review_held_starts_the_year_again(chair):
    """Once this year's review is held, does the reminder wait for next year's due date?"""
    today = today_local()
    make_review(chair, held_on=today - datetime.timedelta(days=400),
                end=today - datetime.timedelta(days=410), closed=True)
    jobs.remind_review(today)
    assert len(keys_of(chair)) == 1
    make_review(chair, held_on=today)
    assert jobs.remind_review(today + datetime.timedelta(days=10)) == '0 notifications'


def test_none_held_yet_is_told_once(chair):
    """With no review ever held, does the committee hear once, not every day?"""
    today = today_local()
    jobs.remind_review(today)
    jobs.remind_review(today + datetime.timedelta(days=1))
    assert keys_of(chair) == {'management-review:never'}

"""The inquiries' daily reminders: due tomorrow and overdue, once each, to the Customer
Center only."""
import datetime

from stintranet.inquiries import jobs
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.inquiries.factories import answer, make_inquiry


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_due_tomorrow_and_overdue_reach_the_customer_center_once(cc):
    """Does the Customer Center hear the day before the due date and once it is overdue, and
    never of an answered inquiry? Does anyone else hear?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    today = today_local()
    inquiry = make_inquiry(cc, received=today - datetime.timedelta(days=6))
    done = make_inquiry(cc, received=today - datetime.timedelta(days=6))
    answer(done, cc)
    due = inquiry.due_on.isoformat()
    jobs.remind_inquiries(today - datetime.timedelta(days=1))
    assert not keys_of(cc)
    jobs.remind_inquiries(today)
    jobs.remind_inquiries(today)
    assert keys_of(cc) == {'inquiries:%d:due-tomorrow:%s' % (inquiry.id, due)}
    jobs.remind_inquiries(today + datetime.timedelta(days=1))
    jobs.remind_inquiries(today + datetime.timedelta(days=2))
    jobs.remind_inquiries(today + datetime.timedelta(days=3))
    assert keys_of(cc) == {'inquiries:%d:due-tomorrow:%s' % (inquiry.id, due),
                           'inquiries:%d:overdue:%s' % (inquiry.id, due)}
    assert not keys_of(chair)
    note = Notification.get(Notification.key == 'inquiries:%d:overdue:%s' % (inquiry.id, due))
    assert inquiry.reference in note.subject and 'Hanako' not in note.subject
    assert note.link == '/inquiries/%d' % inquiry.id

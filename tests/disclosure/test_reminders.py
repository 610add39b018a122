"""Daily reminders of the internal due date to Customer Center staff."""
import datetime

from stintranet.disclosure.jobs import remind_due_requests
from stintranet.disclosure.models import DisclosureRequest
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.disclosure.factories import cc_user, make_request


def test_due_and_overdue_requests_are_reminded_once(app):
    """Are staff told once when a request is due within three days and once when overdue,
    with the reference but never the requester's name?"""
    staff = cc_user()
    colleague = factories.make_user(roles=('employee', 'customer_center'), department='CC')
    outsider = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    today = today_local()
    req = make_request('verifying', received_on=today - datetime.timedelta(days=13),
                       name='Reminder Person')
    make_request('responded', received_on=today - datetime.timedelta(days=30))
    make_request('received', received_on=today)

    assert remind_due_requests(today) == '2 notifications'
    assert remind_due_requests(today) == '0 notifications'
    notes = list(Notification.select().order_by(Notification.id))
    assert {n.user_id for n in notes} == {staff.id, colleague.id}
    assert outsider.id not in {n.user_id for n in notes}
    assert notes[0].subject == '%s: Request for Disclosure due on %s' % (
        req.reference, req.due_on.isoformat())
    assert notes[0].link == '/requests/%d' % req.id
    assert all('Reminder' not in n.subject + n.body for n in notes)

    later = today + datetime.timedelta(days=3)
    assert remind_due_requests(later) == '2 notifications'
    latest = Notification.select().order_by(Notification.id.desc()).first()
    assert 'overdue since' in latest.subject
    assert remind_due_requests(later + datetime.timedelta(days=1)) == '0 notifications'


def test_request_due_in_three_days_reaches_customer_center_once(app):
    """Does Customer Center staff hear of a request 3 days before its due date, once, without the requester?"""
    cc_user()
    req = make_request(name='Hanako Yamada')
    due = DisclosureRequest.get_by_id(req.id).due_on
    remind_due_requests(due - datetime.timedelta(days=4))
    assert not Notification.select().where(Notification.key.startswith('disclosure:')).exists()
    remind_due_requests(due - datetime.timedelta(days=3))
    remind_due_requests(due - datetime.timedelta(days=2))
    notes = list(Notification.select().where(Notification.key == 'disclosure:%d:due-soon' % req.id))
    assert len(notes) == len({n.user_id for n in notes}) >= 1
    assert all(req.reference in n.subject and 'Yamada' not in n.subject for n in notes)

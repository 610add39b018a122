"""Issue 14 for Requests for Disclosure: the documents' "kept until" day is the Civil Code
period's last day, the same on the request page, the list, the letter, the export and the
reminder, and the documents go the day after."""
import datetime
import html

import pytest

from stintranet.disclosure import services
from stintranet.disclosure.jobs import remind_documents_kept_until
from stintranet.notifications.models import Notification
from tests.disclosure.factories import cc_user, make_request, reload

D = datetime.date


@pytest.fixture
def staff(login_as):
    return login_as('customer_center', department='CC')


def test_every_page_shows_the_same_kept_until_day(client, staff):
    """Completed on 30 June: do the request page, the list, the letter and the export all
    say kept until 31 December, the page explaining the count?"""
    req = make_request('completed', received_on=D(2026, 6, 10), completed_on=D(2026, 6, 30))
    assert req.destroy_after == D(2026, 12, 31)
    detail = html.unescape(client.get('/requests/%d' % req.id).text)
    kept = detail[detail.index('id="requests-kept-until"'):]
    assert kept.startswith('id="requests-kept-until">kept until 2026-12-31')
    assert ('day 1 = the day after completion, 2026-07-01; the 6 months end on 2026-12-31; '
            'destroyed from 2027-01-01' in kept)
    listing = html.unescape(client.get('/requests/?status=completed').text)
    assert 'kept until 2026-12-31' in listing
    letter = html.unescape(client.get('/requests/%d/letter' % req.id).text)
    assert ('The documents you sent us with your request are kept until 2026-12-31 and '
            'destroyed after that day.' in letter)
    export = client.get('/requests/export.csv?status=completed').text
    assert '2026-12-31' in export
    timeline = [e.note for e in req.events]
    assert 'documents kept until 2026-12-31' in timeline


def test_month_without_the_day_is_explained(client, staff):
    """Completed on 30 August: does the page say the period ends on the last day of
    February, which has no 31st?"""
    req = make_request('completed', received_on=D(2026, 8, 20), completed_on=D(2026, 8, 30))
    assert req.destroy_after == D(2027, 2, 28)
    detail = html.unescape(client.get('/requests/%d' % req.id).text)
    assert '(that month has no day 31: its last day)' in detail


def test_letter_before_completion_names_the_period(client, staff):
    """Before completion, does the letter say how long the documents are kept?"""
    req = make_request('responded')
    letter = html.unescape(client.get('/requests/%d/letter' % req.id).text)
    assert ('kept for 6 months after your request is completed, the day of completion not '
            'counted' in letter)


def test_reminder_a_week_ahead_names_both_days(app):
    """Do Customer Center staff hear once, a week ahead, the kept-until day and the day the
    documents are destroyed from, and are the documents kept through that day?"""
    staff = cc_user()
    req = make_request('completed', received_on=D(2026, 6, 10), completed_on=D(2026, 6, 30))
    assert remind_documents_kept_until(D(2026, 12, 23)) == '0 notifications'
    assert remind_documents_kept_until(D(2026, 12, 24)) == '1 notifications'
    assert remind_documents_kept_until(D(2026, 12, 25)) == '0 notifications'
    note = Notification.get(Notification.user == staff.id)
    assert note.subject == '%s: documents kept until 2026-12-31, destroyed from 2027-01-01' % (
        req.reference)
    services.destroy_due(D(2026, 12, 31))
    assert reload(req).destroyed_at is None
    services.destroy_due(D(2027, 1, 1))
    assert reload(req).destroyed_at is not None
    assert remind_documents_kept_until(D(2026, 12, 30)) == '0 notifications'

"""The incidents' daily reminders: new reports, reportable cases and the PPC clocks."""
import datetime

from stintranet.incidents import jobs
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.incidents.factories import make_incident


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def subjects_of(user):
    return [n.subject for n in Notification.select().where(Notification.user == user.id)]


def test_new_report_reaches_committee_and_reporters_managers_only(app):
    """Does a new report reach the committee and the reporter's department managers, and not another department's?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    sales = factories.make_user(roles=('employee', 'manager'), manages=('SALES',))
    hr = factories.make_user(roles=('employee', 'manager'), department='HR', manages=('HR',))
    incident = make_incident(department='SALES')
    for _ in range(2):
        jobs.new_reports(today_local())
    key = 'incident:%d:reported' % incident.id
    assert key in keys_of(member) and key in keys_of(sales)
    assert key not in keys_of(hr)
    assert Notification.select().where(Notification.key == key).count() == 2


def test_reportable_case_half_time_and_one_day_left(app):
    """Does the committee hear once that a case is reportable, at half-time and the day before a clock runs out?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = make_incident(special_care=True)
    assert incident.reportable
    final = incident.deadlines()['final'].due_on
    start = final - datetime.timedelta(days=30)
    jobs.reportable_and_clocks(start + datetime.timedelta(days=16))
    jobs.reportable_and_clocks(start + datetime.timedelta(days=17))
    jobs.reportable_and_clocks(final - datetime.timedelta(days=1))
    jobs.reportable_and_clocks(final - datetime.timedelta(days=1))
    keys = keys_of(member)
    assert 'incident:%d:reportable' % incident.id in keys
    assert 'incident:%d:final:half-time:%s' % (incident.id, final) in keys
    assert 'incident:%d:final:one-day-left:%s' % (incident.id, final) in keys
    assert len([k for k in keys if k.startswith('incident:%d:final:' % incident.id)]) == 2
    assert all(incident.reference in s for s in subjects_of(member) if 'INC-' in s)

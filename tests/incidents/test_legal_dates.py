"""Issue 14 on the incident pages: each PPC deadline says how it was counted, and the page,
the report pack, the export, the overdue filter and the reminders use the same dates."""
import datetime
import html
from zoneinfo import ZoneInfo

import pytest

from stintranet.incidents import appi
from stintranet.incidents.jobs import remind_clocks
from stintranet.incidents.models import Incident
from stintranet.notifications.models import Notification
from tests import factories
from tests.incidents.factories import make_incident

D = datetime.date
TOKYO = ZoneInfo('Asia/Tokyo')


def tokyo(y, m, d, hh=9, mm=0):
    """A naive UTC datetime from a Japan-time wall clock."""
    local = datetime.datetime(y, m, d, hh, mm, tzinfo=TOKYO)
    return local.astimezone(datetime.timezone.utc).replace(tzinfo=None)


@pytest.fixture
def member(login_as):
    return login_as('employee', 'committee', department='LEGAL')


def page_text(response):
    assert response.status_code == 200
    return html.unescape(response.text)


def test_incident_page_says_how_each_deadline_was_counted(client, member):
    """Does each clock show its date and one line: day 1, day N and, when moved, from which
    closed day to the next open day?"""
    incident = make_incident(status='triage', special_care=True, aware_at=tokyo(2026, 4, 7),
                             noticed_at=tokyo(2026, 4, 7, 8), reported_at=tokyo(2026, 4, 7))
    page = page_text(client.get('/incidents/%d' % incident.id))
    clocks = page[page.index('id="incident-clocks"'):]
    final = clocks[clocks.index('id="incident-clock-final"'):]
    assert 'by the end of 2026-05-07' in final
    assert ('day 1 = the day of awareness, 2026-04-07; day 30 = 2026-05-06; moved from '
            'Wednesday 2026-05-06 (a substitute holiday) to the next open day, 2026-05-07'
            in final)
    target = clocks[clocks.index('id="incident-clock-preliminary_target"'):]
    assert 'by the end of 2026-04-09' in target
    assert 'day 1 = the day of awareness, 2026-04-07; day 3 = 2026-04-09</span>' in target
    latest = clocks[clocks.index('id="incident-clock-preliminary_max"'):]
    assert 'by the end of 2026-04-13' in latest
    assert ('day 5 = 2026-04-11; moved from Saturday 2026-04-11 to the next open day, '
            '2026-04-13' in latest)
    notice = clocks[clocks.index('id="incident-clock-notice"'):]
    assert 'by the end of 2026-04-11' in notice
    assert 'an internal target, not moved for closed days' in notice
    assert 'the law\'s word is "promptly"; these two dates are guides' in clocks
    assert 'applied to these guides too' in clocks


def test_year_end_closure_and_wrongful_purpose_on_the_page(client, member):
    """Does day 60 in the year-end closure move to the first open day of January, the page
    naming the closure?"""
    incident = make_incident(status='investigating', wrongful_purpose=True,
                             aware_at=tokyo(2026, 10, 31), noticed_at=tokyo(2026, 10, 31, 8),
                             reported_at=tokyo(2026, 10, 31))
    page = page_text(client.get('/incidents/%d' % incident.id))
    final = page[page.index('id="incident-clock-final"'):]
    assert 'by the end of 2027-01-04' in final
    assert ('day 1 = the day of awareness, 2026-10-31; day 60 = 2026-12-29; moved from '
            'Tuesday 2026-12-29 (the year-end closure, 29 December to 3 January) to the next '
            'open day, 2027-01-04' in final)


def test_report_pack_export_and_reminder_use_the_same_dates(client, member, app):
    """Do the PPC report pack, the CSV export and the daily reminder show the dates the
    incident page shows?"""
    incident = make_incident(status='triage', special_care=True, aware_at=tokyo(2026, 4, 7),
                             noticed_at=tokyo(2026, 4, 7, 8), reported_at=tokyo(2026, 4, 7),
                             preliminary_sent_on=D(2026, 4, 8), notice_sent_on=D(2026, 4, 9),
                             handler=factories.make_user(roles=('employee', 'committee'),
                                                         department='LEGAL'))
    pack = page_text(client.get('/incidents/%d/ppc-report' % incident.id))
    assert 'final report due by 2026-05-07' in pack
    export = client.get('/incidents/export.csv').text
    assert 'Final report 2026-05-07' in export
    remind_clocks(D(2026, 5, 7))
    subjects = [n.subject for n in Notification.select()]
    assert any('final report to the PPC due (by 2026-05-07)' in s for s in subjects), subjects
    assert not any('2026-05-06' in s for s in subjects)


AWARE_DAYS = [D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 4), D(2026, 4, 7), D(2026, 4, 8),
              D(2026, 10, 31), D(2026, 11, 27), D(2026, 11, 30), D(2026, 12, 1)]


@pytest.mark.parametrize('today', [D(2026, 5, 1), D(2026, 5, 7), D(2026, 5, 8),
                                   D(2026, 12, 29), D(2027, 1, 4), D(2027, 1, 5)])
def test_overdue_filter_agrees_with_the_clocks(app, today):
    """Does the list's "overdue" SQL pick exactly the cases whose clock shows overdue at the
    start of a day, across Golden Week and the year-end closure?"""
    cases = []
    for day in AWARE_DAYS:
        for wrongful in (False, True):
            cases.append(make_incident(
                status='investigating', special_care=True, wrongful_purpose=wrongful,
                aware_at=tokyo(day.year, day.month, day.day, 23, 30),
                noticed_at=tokyo(day.year, day.month, day.day, 8),
                reported_at=tokyo(day.year, day.month, day.day, 23, 30),
                preliminary_sent_on=day, notice_sent_on=day))
    start = tokyo(today.year, today.month, today.day, 0)
    found = {i.id for i in Incident.select(Incident.id).where(
        Incident.overdue_condition(today))}
    expected = {i.id for i in cases if i.is_overdue(start)}
    assert found == expected


def test_encrypted_case_with_an_unknown_key_runs_its_clocks(client, member):
    """Does an encrypted case whose key nobody has asked about run the PPC clocks?"""
    incident = make_incident(status='triage', special_care=True, advanced_encryption=True,
                             encryption_note='AES-256', aware_at=tokyo(2026, 6, 1),
                             noticed_at=tokyo(2026, 6, 1, 8), reported_at=tokyo(2026, 6, 1))
    assert incident.key_leaked == appi.KEY_UNKNOWN and incident.reportable
    page = page_text(client.get('/incidents/%d' % incident.id))
    assert 'day 1 = the day of awareness, 2026-06-01; day 30 = 2026-06-30' in page
    assert 'may the key or password have leaked too? Not known yet' in page
    Incident.update(key_leaked=appi.KEY_SAFE).where(Incident.id == incident.id).execute()
    assert not Incident.get_by_id(incident.id).assessment().reportable

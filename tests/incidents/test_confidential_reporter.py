"""A reporter who asks not to be named stays confidential: the audit log's page, export and
home panel show their steps with the date only and out of sequence (never next to their
sign-in), the stored event keeps its exact time, and their department's managers hear of
and see the report only once the committee has triaged it."""
import csv
import io
import re

import pytest

from stintranet import auditlog
from stintranet.auditlog.models import AuditEvent
from stintranet.incidents import jobs, services
from stintranet.incidents.models import Incident
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.incidents.factories import make_incident
from tests.incidents.test_report import report_data


def sign_in(client, user):
    client.post('/logout')
    assert client.post('/login', data={'email': user.email,
                                       'password': factories.PASSWORD}).status_code == 302


@pytest.fixture
def filed(client):
    """Hanako signs in and files a confidential report at once; then others act."""
    reporter = factories.make_user(name='Hanako Yamada', department='SALES',
                                   email='hanako@st-group.example')
    sign_in(client, reporter)
    response = client.post('/incidents/new', data=report_data(name_shown='no'))
    assert response.status_code == 303
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    sign_in(client, auditor)  # a later event on the same day
    return reporter, Incident.get(), auditor


def created(incident):
    return AuditEvent.get((AuditEvent.action == 'create') & (AuditEvent.object_type == 'incident')
                          & (AuditEvent.object_id == str(incident.id)))


def test_the_log_page_shows_the_creation_with_its_date_only(client, filed):
    """Does the audit-log page show the report's creation with the date only, above the
    day's later events rather than next to the reporter's sign-in, and no sequence
    numbers, while the stored event keeps its exact time?"""
    reporter, incident, auditor = filed
    event = created(incident)
    assert event.at.microsecond or event.at.second or event.at.minute  # an exact moment
    assert auditlog.verify().ok
    page = client.get('/audit-log/').text
    rows = re.findall(r'<tr class="auditlog-row[^"]*"[^>]*>(.*?)</tr>', page, re.S)
    actions = [re.findall(r'<td>([a-z_]+)</td>', row)[0] for row in rows]
    whens = [re.search(r'<td>(\d{4}-\d\d-\d\d[^<]*)', row).group(1).strip() for row in rows]
    creation = next(i for i, row in enumerate(rows) if 'INC-' in row and
                    actions[i] == 'create')
    assert re.fullmatch(r'\d{4}-\d\d-\d\d', whens[creation])
    assert '(time withheld: confidential reporter)' in rows[creation]
    # The reporter's own steps come first among the day's events, before the auditor's
    # later sign-in; her sign-in and sign-out keep their places, away from them.
    login_rows = [i for i, a in enumerate(actions) if a == 'login']
    assert creation < min(login_rows)
    next_named = next(row for row in rows[creation + 1:] if 'time withheld' not in row)
    assert reporter.email not in next_named
    assert not re.search(r'<td>\d+</td>', page)  # no sequence numbers to find a gap in


def test_the_export_shows_the_date_only_and_no_sequence(client, filed):
    """Does the CSV export hold the creation's date only, and no sequence column?"""
    reporter, incident, auditor = filed
    text = client.get('/audit-log/export.csv').data.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == 'When' and 'Sequence' not in rows[0]
    [creation] = [r for r in rows[1:] if r[2] == 'create' and r[3] == 'incident']
    assert re.fullmatch(r'\d{4}-\d\d-\d\d', creation[0])
    logins = [r for r in rows[1:] if r[2] == 'login']
    assert all(re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d', r[0]) for r in logins)
    assert rows.index(creation) < min(rows.index(r) for r in logins)


def test_the_home_panel_shows_the_date_only(client, filed):
    """Does the home page's latest-events panel show the creation without its time?"""
    reporter, incident, auditor = filed
    panel = client.get('/home/panels/auditlog', headers={'HX-Request': 'true'}).text
    row = next(r for r in re.findall(r'<tr>(.*?)</tr>', panel, re.S)
               if '<td>create</td>' in r and 'incident' in r)
    assert re.search(r'<td class="nowrap">\d\d-\d\d</td>', row)


def manager_of(department):
    return factories.make_user(roles=('employee', 'manager'), department=department,
                               manages=(department,))


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_managers_hear_of_a_confidential_report_only_after_triage(client, app):
    """Is the reporter's department manager told of, and shown, a confidential report
    only once the committee has started its investigation (a named one at once)?"""
    manager = manager_of('SALES')
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    confidential = make_incident(department='SALES', name_shown=False)
    named = make_incident(department='SALES', name_shown=True)
    jobs.new_reports(today_local())
    assert keys_of(manager) == {'incident:%d:reported' % named.id}
    sign_in(client, manager)
    assert client.get('/incidents/%d' % confidential.id).status_code == 404
    assert 'INC-' in client.get('/incidents/').text
    assert confidential.reference not in client.get('/incidents/').text

    services.transition(confidential, 'triage', actor=member)
    jobs.new_reports(today_local())
    assert 'incident:%d:reported' % confidential.id not in keys_of(manager)
    incident = Incident.get_by_id(confidential.id)
    services.update_triage(incident, actor=member, handler=member, severity='low')
    services.transition(Incident.get_by_id(confidential.id), 'investigate', actor=member)
    jobs.new_reports(today_local())
    assert 'incident:%d:reported' % confidential.id in keys_of(manager)
    assert client.get('/incidents/%d' % confidential.id).status_code == 200


def test_a_dismissed_confidential_report_never_reaches_the_managers(client, app):
    """Is a confidential report dismissed in triage kept from the department's managers?"""
    manager = manager_of('SALES')
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    confidential = make_incident(department='SALES', name_shown=False)
    services.transition(confidential, 'dismiss', actor=member, note='Not an incident.')
    jobs.new_reports(today_local())
    assert keys_of(manager) == set()
    sign_in(client, manager)
    assert client.get('/incidents/%d' % confidential.id).status_code == 404

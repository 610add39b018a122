"""The committee's review: triage facts, awareness, reports sent, the PPC pack, the list."""
import datetime

import pytest
from playhouse.test_utils import count_queries

from stintranet import legaldates
from stintranet.db import utcnow
from stintranet.incidents import services
from stintranet.incidents.models import Incident, IncidentEvent, IncidentLedgerLink
from stintranet.incidents.services import utc_to_local
from tests import factories
from tests.incidents.factories import make_action, make_entry, make_incident


@pytest.fixture
def member(login_as):
    return login_as('employee', 'committee', department='LEGAL')


def triage_data(incident, **changes):
    data = {'version': incident.version, 'handler': '', 'kind': incident.kind, 'severity': '',
            'summary': '', 'data_items': '', 'persons_affected': ''}
    data.update(changes)
    return data


def test_triage_makes_a_case_reportable_and_shows_clocks(client, member):
    """Does recording more than 1,000 persons make the case reportable, with deadlines shown?"""
    handler = factories.make_user(roles=('employee', 'manager'), department='IT')
    incident = make_incident()
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, handler=str(handler.id), severity='high', persons_affected='1001',
        summary='Mail to wrong customer', data_items='Name\nAddress'))
    assert response.status_code == 303
    incident = Incident.get_by_id(incident.id)
    assert incident.reportable and incident.handler_id == handler.id
    assert incident.item_list == ['Name', 'Address']
    page = client.get('/incidents/%d' % incident.id).text
    assert 'Reportable to the PPC: more than 1,000 persons are affected (1,001)' in page
    assert 'Preliminary report to the PPC (target)' in page
    assert 'Final report to the PPC' in page
    event = IncidentEvent.select().where(IncidentEvent.kind == 'triage').get()
    assert 'REPORTABLE' in event.summary


def test_wrongful_purpose_gives_sixty_days(client, member):
    """Does a wrongful purpose make the final report due on day 60, the day of awareness
    being day 1 (or the next open day), and does the page say how it was counted?"""
    incident = make_incident()
    client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, wrongful_purpose='y'))
    incident = Incident.get_by_id(incident.id)
    aware_day = utc_to_local(incident.aware_at).date()
    day_60 = aware_day + datetime.timedelta(days=59)
    due_on, _closed = legaldates.next_open_day(day_60)
    assert incident.deadlines()['final'].due_on == due_on
    page = client.get('/incidents/%d' % incident.id).text
    assert 'by the end of %s' % due_on.isoformat() in page
    assert 'day 1 = the day of awareness, %s; day 60 = %s' % (
        aware_day.isoformat(), day_60.isoformat()) in page


def test_encryption_exemption_needs_a_description(client, member):
    """Is the encryption exemption refused without saying how the data was protected?"""
    incident = make_incident()
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, special_care='y', advanced_encryption='y', key_leaked='no'))
    assert response.status_code == 422
    assert 'Say how the data was protected' in response.text
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, special_care='y', advanced_encryption='y', key_leaked='no',
        encryption_note='AES-256 full-disk encryption, key kept separately'))
    assert response.status_code == 303
    assert not Incident.get_by_id(incident.id).reportable


@pytest.mark.parametrize('key_leaked, words', [
    ('yes', 'the key or password may also have leaked'),
    ('unknown', 'whether the key or password may also have leaked is not known yet'),
])
def test_encryption_does_not_exempt_when_the_key_may_have_leaked(client, member, key_leaked,
                                                                   words):
    """Does triage ask whether the key may have leaked, and does "yes" or "not known yet"
    make an encrypted case reportable, the page saying why?"""
    incident = make_incident()
    form = client.get('/incidents/%d/triage' % incident.id).text
    assert 'May the key or password have leaked too?' in form and 'Not known yet' in form
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, special_care='y', advanced_encryption='y', key_leaked=key_leaked,
        encryption_note='AES-256 full-disk encryption'))
    assert response.status_code == 303
    incident = Incident.get_by_id(incident.id)
    assert incident.reportable and incident.key_leaked == key_leaked
    page = client.get('/incidents/%d' % incident.id).text
    assert 'Reportable to the PPC: special-care-required personal information' in page
    assert words in page and 'judged as if the data were unencrypted' in page
    assert 'Final report to the PPC' in page
    event = IncidentEvent.select().where(IncidentEvent.kind == 'triage').get()
    assert 'REPORTABLE' in event.summary
    assert ('key_leaked' in event.summary) is (key_leaked != 'unknown')  # 'unknown': the default
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, special_care='y', advanced_encryption='y', key_leaked='perhaps',
        encryption_note='AES-256 full-disk encryption'))
    assert response.status_code == 422 and 'Not a valid choice' in response.text


@pytest.mark.parametrize('changes, message', [
    ({'persons_affected': '-5'}, 'from 0 up'),
    ({'data_being_acquired': 'y'}, 'only when a wrongful purpose'),
    ({'handler': '999999'}, 'Choose the handler from the list'),
    ({'kind': 'rumour'}, 'Not a valid choice'),
])
def test_bad_triage_input(client, member, changes, message):
    """Is bad triage input a 422 with the message and the input kept?"""
    incident = make_incident()
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, summary='Kept title', **changes))
    assert response.status_code == 422
    assert message in response.text and 'Kept title' in response.text
    assert Incident.get_by_id(incident.id).version == incident.version


def test_stale_triage_is_409(client, member):
    """Does a triage form sent over someone else's change get 409 and keep the input?"""
    incident = make_incident()
    response = client.post('/incidents/%d/triage' % incident.id, data=triage_data(
        incident, version=incident.version + 3, summary='My title'))
    assert response.status_code == 409
    assert 'Someone else changed this case' in response.text and 'My title' in response.text


def local(moment):
    return utc_to_local(moment).strftime('%Y-%m-%dT%H:%M')


def test_earlier_awareness_moves_the_clocks(client, member):
    """Does setting an earlier awareness time, with a reason, move every deadline?"""
    incident = make_incident(special_care=True)
    earlier = incident.reported_at - datetime.timedelta(days=2)
    response = client.post('/incidents/%d/awareness' % incident.id, data={
        'version': incident.version, 'aware_at': local(earlier),
        'reason': 'IT saw the alert two days earlier'})
    assert response.status_code == 303
    incident = Incident.get_by_id(incident.id)
    assert abs(incident.aware_at - earlier) < datetime.timedelta(minutes=1)
    assert incident.aware_reason == 'IT saw the alert two days earlier'
    aware_day = utc_to_local(incident.aware_at).date()
    assert incident.deadlines()['preliminary_target'].due_on == \
        legaldates.ppc_preliminary_report(aware_day, 3).deadline
    assert incident.deadlines()['final'].count.day_one == aware_day


@pytest.mark.parametrize('when, reason, message', [
    (datetime.timedelta(days=3), 'because', 'cannot be in the future'),
    (datetime.timedelta(minutes=3), 'because', 'cannot be after the report'),
    (-datetime.timedelta(days=1), '', 'Give the reason'),
])
def test_bad_awareness_input(client, member, when, reason, message):
    """Is an awareness time after the report (or in the future, or without reason) refused?"""
    incident = make_incident(noticed_ago=datetime.timedelta(hours=3))
    Incident.update(reported_at=utcnow() - datetime.timedelta(hours=1),
                    aware_at=utcnow() - datetime.timedelta(hours=1)).where(
        Incident.id == incident.id).execute()
    incident = Incident.get_by_id(incident.id)
    response = client.post('/incidents/%d/awareness' % incident.id, data={
        'version': incident.version, 'aware_at': local(incident.reported_at + when),
        'reason': reason})
    assert response.status_code == 422
    assert message in response.text
    assert Incident.get_by_id(incident.id).aware_at == incident.aware_at


def test_recording_reports_stops_the_clocks(client, member):
    """Do recorded report and notice dates turn the clocks to done?"""
    incident = make_incident(special_care=True)
    today = utc_to_local(utcnow()).date().isoformat()
    response = client.post('/incidents/%d/reports' % incident.id, data={
        'version': incident.version, 'preliminary_sent_on': today, 'final_sent_on': today,
        'notice_sent_on': today, 'notice_count': '35', 'notice_method': 'Letter',
        'announcement_on': '', 'announcement_note': ''})
    assert response.status_code == 303
    incident = Incident.get_by_id(incident.id)
    assert {c.state for c in incident.clocks()} == {'done'}
    assert incident.notice_count == 35


@pytest.mark.parametrize('changes, message', [
    ({'preliminary_sent_on': '2999-01-01'}, 'This date is in the future'),
    ({'preliminary_sent_on': '2001-01-01'}, 'before the company became aware'),
    ({'final_sent_on': 'TODAY'}, 'Record the preliminary report first'),
    ({'notice_sent_on': 'TODAY'}, 'Say how many individuals were notified'),
    ({'notice_sent_on': 'TODAY', 'notice_count': '-3', 'notice_method': 'mail'}, 'from 0 up'),
    ({'notice_count': '3'}, 'Give the date of the notice as well'),
])
def test_bad_report_dates(client, member, changes, message):
    """Are impossible report dates refused with 422 and the input kept?"""
    incident = make_incident(special_care=True)
    today = utc_to_local(utcnow()).date().isoformat()
    data = {'version': incident.version, 'notice_method': 'Kept method'}
    data.update({k: (today if v == 'TODAY' else v) for k, v in changes.items()})
    response = client.post('/incidents/%d/reports' % incident.id, data=data)
    assert response.status_code == 422
    assert message in response.text


def test_ppc_report_pack_has_the_nine_items(client, member):
    """Does the printable pack fill the nine items of the PPC report from the case?"""
    incident = make_incident(special_care=True, persons_affected=40,
                             data_items='Name\nHealth-check results')
    services.update_pack(incident, actor=member, report_cause='Wrong address label',
                         report_recurrence='Two-person check')
    make_action(incident, member, title='Introduce a two-person check')
    page = client.get('/incidents/%d/ppc-report' % incident.id).text
    for heading in ('Overview', 'Items of personal data concerned',
                    'Number of persons whose data is concerned', 'Cause',
                    'Secondary damage or its risk', 'Response to the individuals',
                    'Status of the public announcement', 'Measures against recurrence',
                    'Other matters for reference'):
        assert heading in page
    for fact in ('Health-check results', 'Wrong address label', 'Two-person check',
                 'Introduce a two-person check', incident.narrative):
        assert fact in page


def test_linking_a_ledger_entry_prefills_the_facts(client, member):
    """Does linking an entry fill data items and special care, ask which number of persons
    applies (the whole data set chosen here), and record it?"""
    incident = make_incident()
    entry = make_entry('HR', 'Health checks', items=['Name', 'Blood type'], special_care=True,
                       person_band=3)
    search = client.get('/incidents/%d/ledger?q=Health' % incident.id,
                        headers={'HX-Request': 'true'})
    assert search.status_code == 200 and '<html' not in search.text
    assert entry.reference in search.text
    asked = client.post('/incidents/%d/ledger' % incident.id, data={
        'version': incident.version, 'entry': str(entry.id)})
    assert asked.status_code == 200 and 'How many persons does this incident concern?' in \
        asked.text
    assert not IncidentLedgerLink.select().exists()
    response = client.post('/incidents/%d/ledger' % incident.id, data={
        'version': incident.version, 'entry': str(entry.id), 'persons': 'data_set'})
    assert response.status_code == 303
    incident = Incident.get_by_id(incident.id)
    assert sorted(incident.item_list) == ['Blood type', 'Name']
    assert incident.special_care and incident.persons_affected == 9999 and incident.reportable
    again = client.post('/incidents/%d/ledger' % incident.id, data={
        'version': incident.version, 'entry': str(entry.id), 'persons': 'undecided'})
    assert again.status_code == 409 and 'linked already' in again.text
    link = IncidentLedgerLink.get()
    assert client.post('/incidents/%d/ledger/%d/unlink' % (incident.id, link.id), data={
        'version': incident.version}).status_code == 303
    assert IncidentLedgerLink.select().count() == 0


@pytest.mark.parametrize('filters, expected', [
    ({}, {'A', 'B', 'C', 'D'}),
    ({'status': 'open'}, {'A', 'B', 'D'}),
    ({'status': 'closed'}, {'C'}),
    ({'reportable': 'yes'}, {'B', 'C', 'D'}),
    ({'reportable': 'no'}, {'A'}),
    ({'overdue': '1'}, {'D'}),
    ({'department': 'HR'}, {'B'}),
    ({'handler': 'H'}, {'B'}),
    ({'handler': 'none'}, {'A', 'C', 'D'}),
])
def test_list_filters(client, member, filters, expected):
    """Do the status, reportable, overdue, department and handler filters select the right cases?"""
    handler = factories.make_user(roles=('employee', 'manager'), department='IT')
    cases = {
        'A': make_incident(summary='case-A'),
        'B': make_incident(department='HR', summary='case-B', special_care=True, handler=handler,
                           status='investigating'),
        'C': make_incident(summary='case-C', persons_affected=5000, status='closed'),
        'D': make_incident(summary='case-D', property_damage_risk=True, status='contained'),
    }
    Incident.update(aware_at=utcnow() - datetime.timedelta(days=9)).where(
        Incident.id == cases['D'].id).execute()
    if 'department' in filters:
        filters['department'] = factories.make_department('HR').id
    if filters.get('handler') == 'H':
        filters['handler'] = handler.id
    response = client.get('/incidents/', query_string=filters)
    assert response.status_code == 200
    shown = {key for key in cases if 'case-%s' % key in response.text}
    assert shown == expected
    if filters.get('overdue'):
        assert 'OVERDUE' in response.text


def test_list_is_constant_in_queries(client, member):
    """Does the list page cost the same number of queries (at most 8) for 2 or 20 cases?"""
    handler = factories.make_user(roles=('employee', 'manager'), department='IT')

    def measure():
        with count_queries() as counter:
            assert client.get('/incidents/?status=open').status_code == 200
        return counter.count

    for _ in range(2):
        make_incident(handler=handler, special_care=True)
    small = measure()
    for _ in range(18):
        make_incident(handler=handler, persons_affected=2000)
    assert measure() == small <= 8


def test_list_htmx_returns_rows_only(client, member):
    """Does a filtered htmx request get the rows fragment and Vary: HX-Request?"""
    make_incident(summary='case-X')
    response = client.get('/incidents/?status=reported', headers={'HX-Request': 'true'})
    assert '<html' not in response.text and 'case-X' in response.text
    assert 'HX-Request' in response.headers['Vary']


def test_home_panel_is_constant_in_queries(client, member):
    """Does the committee's home page cost the same for 1 or 12 open cases?"""
    make_incident()

    def measure():
        with count_queries() as counter:
            assert client.get('/').status_code == 200
        return counter.count

    small = measure()
    for _ in range(11):
        make_incident(special_care=True)
    assert measure() == small
    assert 'Open incidents' in client.get('/').text


def test_linking_keeps_the_reporters_count_unless_asked(client, member):
    """Is the reporter's count kept when the committee says it applies (a 5,000-person
    data set does not make a 30-person case reportable), and is a bad answer a 422?"""
    incident = make_incident(estimated_persons=30)
    entry = make_entry('SALES', 'Customer list', person_estimate=5000)
    asked = client.post('/incidents/%d/ledger' % incident.id, data={
        'version': incident.version, 'entry': str(entry.id)})
    assert "The reporter's count (30)" in asked.text
    assert 'The whole data set of the entry (5,000)' in asked.text
    bad = client.post('/incidents/%d/ledger' % incident.id, data={
        'version': incident.version, 'entry': str(entry.id), 'persons': 'everyone'})
    assert bad.status_code == 422 and not IncidentLedgerLink.select().exists()
    response = client.post('/incidents/%d/ledger' % incident.id, data={
        'version': incident.version, 'entry': str(entry.id), 'persons': 'reporter'})
    assert response.status_code == 303
    incident = Incident.get_by_id(incident.id)
    assert incident.persons_affected == 30 and not incident.reportable

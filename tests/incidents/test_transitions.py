"""The state machine: each transition by each role, forbidden and stale changes."""
import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.incidents.models import Incident, IncidentEvent
from stintranet.timezone import today_local
from tests import factories
from tests.incidents.factories import make_incident

SOURCE = {'triage': 'reported', 'investigate': 'triage', 'contain': 'investigating',
          'reopen': 'contained', 'close': 'contained', 'dismiss': 'triage'}
TARGET = {'triage': 'triage', 'investigate': 'investigating', 'contain': 'contained',
          'reopen': 'investigating', 'close': 'closed', 'dismiss': 'dismissed'}

# Who may make each transition: 303 done, 403 refused, 404 not even visible.
EXPECTED = {
    'committee': {t: 303 for t in SOURCE},
    'handler': {'triage': 403, 'investigate': 403, 'contain': 303, 'reopen': 303,
                'close': 403, 'dismiss': 403},
    'manager': {t: 403 for t in SOURCE},
    'auditor': {t: 403 for t in SOURCE},
    'reporter': {t: 403 for t in SOURCE},
    'employee': {t: 404 for t in SOURCE},
    'customer_center': {t: 404 for t in SOURCE},
    'admin': {t: 403 for t in SOURCE},
}


def sign_in(client, user):
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 302


def actor_for(role, reporter, handler):
    if role == 'reporter':
        return reporter
    if role == 'handler':
        return handler
    if role == 'committee':
        return factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    if role == 'manager':
        return factories.make_user(roles=('employee', 'manager'), department='SALES')
    if role == 'auditor':
        return factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    if role == 'customer_center':
        return factories.make_user(roles=('employee', 'customer_center'), department='CC')
    if role == 'admin':
        return factories.make_user(roles=('admin',), department='IT')
    return factories.make_user(department='SALES')


@pytest.mark.parametrize('role', list(EXPECTED))
@pytest.mark.parametrize('step', list(SOURCE))
def test_each_transition_by_each_role(client, app, role, step):
    """May this role make this transition (and does a refusal change nothing)?"""
    reporter = factories.make_user(department='SALES')
    handler = factories.make_user(roles=('employee', 'manager'), department='IT')
    incident = make_incident(reporter, status=SOURCE[step], handler=handler, severity='high')
    sign_in(client, actor_for(role, reporter, handler))
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': step, 'version': incident.version, 'note': 'Reason for the step'})
    expected = EXPECTED[role][step]
    assert response.status_code == expected, response.text[:500]
    after = Incident.get_by_id(incident.id)
    if expected == 303:
        assert after.status == TARGET[step]
        event = IncidentEvent.select().where(IncidentEvent.kind == 'transition').get()
        assert (event.from_status, event.to_status) == (SOURCE[step], TARGET[step])
        assert AuditEvent.select().where(AuditEvent.action == 'transition').count() == 1
    else:
        assert after.status == SOURCE[step] and after.version == incident.version


@pytest.mark.parametrize('status', ['closed', 'dismissed'])
@pytest.mark.parametrize('step', list(SOURCE))
def test_no_transition_from_a_final_state(client, login_as, status, step):
    """Is every step from a closed or dismissed case a 409 with a message?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident(status=status)
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': step, 'version': incident.version, 'note': 'try'})
    assert response.status_code == 409
    assert 'it cannot move to' in response.text
    assert Incident.get_by_id(incident.id).status == status


def test_wrong_state_is_409_with_message(client, login_as):
    """Does closing a case that is only reported answer 409 and say why?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'close', 'version': incident.version, 'note': 'done'})
    assert response.status_code == 409
    assert 'A case in &#34;Reported&#34; cannot move to &#34;Closed&#34;' in response.text


def test_stale_version_is_409_and_keeps_the_note(client, login_as):
    """Does a transition sent from an outdated page get 409, the note kept, nothing changed?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident(status='triage')
    seen = incident.version
    Incident.update(version=Incident.version + 1).where(Incident.id == incident.id).execute()
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'dismiss', 'version': seen, 'note': 'My careful note'})
    assert response.status_code == 409
    assert 'Someone else changed this case' in response.text
    assert 'My careful note' in response.text
    assert Incident.get_by_id(incident.id).status == 'triage'


def test_dismiss_needs_a_reason(client, login_as):
    """Is dismissing without a note refused with 422?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'dismiss', 'version': incident.version, 'note': ''})
    assert response.status_code == 422
    assert 'Give the reason in the note' in response.text


def test_investigation_needs_handler_and_severity(client, login_as):
    """Does starting the investigation without a handler say what is missing?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident(status='triage')
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'investigate', 'version': incident.version})
    assert response.status_code == 409
    assert 'a handler and a severity' in response.text


def test_reportable_case_closes_only_after_reports(client, login_as):
    """Can a reportable case be closed only once the reports and the notice are recorded?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident(status='contained', special_care=True)
    assert incident.reportable
    data = {'step': 'close', 'version': incident.version, 'note': 'All done'}
    response = client.post('/incidents/%d/transition' % incident.id, data=data)
    assert response.status_code == 409
    assert 'the date of the preliminary report' in response.text
    today = today_local()
    Incident.update(preliminary_sent_on=today, final_sent_on=today,
                    notice_sent_on=today).where(Incident.id == incident.id).execute()
    assert client.post('/incidents/%d/transition' % incident.id,
                       data=data).status_code == 303
    assert Incident.get_by_id(incident.id).status == 'closed'


def test_unknown_step_is_400(client, login_as):
    """Is a made-up step refused?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'teleport', 'version': incident.version})
    assert response.status_code == 400


def test_htmx_transition_swaps_the_status_panel(client, login_as):
    """Does an htmx transition return the status fragment and trigger incident-changed?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    response = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'triage', 'version': incident.version}, headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text and 'id="incident-status"' in response.text
    assert response.headers['HX-Trigger'] == 'incident-changed'
    stale = client.post('/incidents/%d/transition' % incident.id, data={
        'step': 'investigate', 'version': incident.version, 'note': 'n'},
        headers={'HX-Request': 'true'})
    assert stale.status_code == 409 and '<html' not in stale.text


def test_committee_edits_of_a_closed_case_are_409(client, login_as):
    """Are triage, awareness and report edits refused on a closed case, nothing lost?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident(status='closed')
    for path in ('triage', 'awareness', 'reports', 'report-texts'):
        response = client.post('/incidents/%d/%s' % (incident.id, path), data={
            'version': incident.version, 'summary': 'x'})
        assert response.status_code == 409, path
        assert 'can no longer be changed' in response.text
    assert client.post('/incidents/%d/comments' % incident.id,
                       data={'body': 'late note'}).status_code == 409

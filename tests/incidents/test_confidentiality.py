"""Who sees what: department scoping, the confidential reporter, encryption at rest."""
import json

from stintranet import db as dbmod
from stintranet.auditlog.models import AuditEvent
from stintranet.incidents import services
from stintranet.incidents.models import Incident
from tests import factories
from tests.incidents.factories import make_entry, make_incident

NARRATIVE = 'Tanaka-san left the unique-marker-7731 binder on the train.'


def sign_in(client, user):
    assert client.post('/login', data={'email': user.email,
                                       'password': factories.PASSWORD}).status_code == 302


def test_narrative_and_identity_are_encrypted_at_rest(app):
    """Are the narrative and the reporter's identity unreadable in the database?"""
    reporter = factories.make_user(name='Hanako Yamada')
    incident = make_incident(reporter, narrative=NARRATIVE)
    row = dbmod.database.execute_sql(
        'SELECT narrative, reporter_identity, reporter_ref FROM incident WHERE id = %s'
        % incident.id).fetchone()
    raw = b''.join(bytes(v) for v in row[:2])
    assert b'unique-marker-7731' not in raw and b'Yamada' not in raw
    assert str(reporter.id) != row[2] and 'Yamada' not in row[2]
    assert Incident.get_by_id(incident.id).narrative == NARRATIVE


def test_confidential_reporter_is_hidden_from_committee_and_manager(client):
    """Does a reporter who asked not to be named stay unnamed for every reviewer (the
    department's manager reads a confidential report once it is triaged)?"""
    reporter = factories.make_user(name='Hanako Yamada', department='SALES')
    incident = make_incident(reporter, name_shown=False, narrative=NARRATIVE,
                             status='investigating')
    for roles, dept in ((('employee', 'committee'), 'LEGAL'), (('employee', 'manager'), 'SALES'),
                        (('employee', 'auditor'), 'AUDIT')):
        sign_in(client, factories.make_user(roles=roles, department=dept))
        page = client.get('/incidents/%d' % incident.id)
        assert page.status_code == 200
        assert 'unique-marker-7731' in page.text
        assert 'Hanako Yamada' not in page.text and reporter.email not in page.text
        assert 'Confidential' in page.text
        client.post('/logout')


def test_named_reporter_is_shown_to_reviewers_and_the_read_is_logged(client, login_as):
    """Is a reporter who agreed shown, and is the read of the identity audit-logged?"""
    reporter = factories.make_user(name='Hanako Yamada')
    incident = make_incident(reporter, name_shown=True)
    member = login_as('employee', 'committee', department='LEGAL')
    assert 'Hanako Yamada' in client.get('/incidents/%d' % incident.id).text
    read = (AuditEvent.select().where((AuditEvent.action == 'read')
                                      & (AuditEvent.actor_id == member.id)).get())
    fields = json.loads(read.details)['fields']
    assert 'narrative' in fields and 'reporter_identity' in fields
    assert 'Hanako' not in read.details


def test_confidential_reporters_steps_are_not_named_in_the_audit_log(client):
    """Does the audit log keep a confidential reporter's own steps without their name?"""
    reporter = factories.make_user(name='Hanako Yamada')
    sign_in(client, reporter)
    client.post('/incidents/new', data={
        'narrative': NARRATIVE, 'noticed_at': '2020-01-01T09:00', 'kind': 'loss',
        'entry': '', 'estimated_persons': '', 'name_shown': 'no'})
    incident = Incident.get()
    client.get('/incidents/%d' % incident.id)
    events = list(AuditEvent.select().where(AuditEvent.object_type == 'incident'))
    assert {e.action for e in events} >= {'create', 'read'}
    for e in events:
        assert e.actor_id is None and e.actor_email == '' and e.ip == ''
        assert 'confidential reporter' in e.details
        assert 'Yamada' not in e.details and reporter.email not in e.details


def test_reporter_sees_status_but_never_committee_notes(client, login_as):
    """Does the reporter follow the status without the committee's notes and comments?"""
    reporter = factories.make_user()
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = make_incident(reporter)
    services.transition(incident, 'triage', actor=member, note='secret-note-1')
    services.add_comment(Incident.get_by_id(incident.id), actor=member, body='secret-comment-2')
    services.update_triage(Incident.get_by_id(incident.id), actor=member, severity='high',
                           special_care=True, summary='secret-title-3')
    sign_in(client, reporter)
    page = client.get('/incidents/%d' % incident.id).text
    assert 'Triage' in page
    for secret in ('secret-note-1', 'secret-comment-2', 'secret-title-3', 'Severity',
                   'APPI clocks', member.name):
        assert secret not in page
    listing = client.get('/incidents/').text
    assert incident.reference in listing and 'secret-title-3' not in listing


def test_reporter_adds_information_visible_to_reviewers(client, login_as):
    """Can the reporter add information that the committee then reads?"""
    reporter = factories.make_user()
    incident = make_incident(reporter)
    sign_in(client, reporter)
    assert client.post('/incidents/%d/comments' % incident.id,
                       data={'body': 'It was the blue binder.'}).status_code == 303
    client.post('/logout')
    login_as('employee', 'committee', department='LEGAL')
    assert 'It was the blue binder.' in client.get('/incidents/%d' % incident.id).text


def test_other_departments_incident_is_404_for_a_manager(client, login_as):
    """Does a manager get 404 for another department's incident, and see their own?"""
    hr_case = make_incident(department='HR')
    sales_case = make_incident(department='SALES')
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    assert client.get('/incidents/%d' % hr_case.id).status_code == 404
    assert client.get('/incidents/%d' % sales_case.id).status_code == 200
    listing = client.get('/incidents/').text
    assert sales_case.reference in listing and hr_case.reference not in listing


def test_manager_sees_a_case_linked_to_their_departments_entry(client, login_as):
    """Does a linked ledger entry of the manager's department make the case visible?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = make_incident(department='SALES')
    entry = make_entry('HR', 'Payroll')
    services.link_entry(incident, entry, actor=member)
    login_as('employee', 'manager', department='HR', manages=('HR',))
    assert client.get('/incidents/%d' % incident.id).status_code == 200


def test_employees_see_only_their_own_reports(client, login_as):
    """Does an employee get 404 for a colleague's report in the same department?"""
    colleague_case = make_incident(department='SALES')
    user = login_as('employee', department='SALES')
    own = make_incident(user)
    assert client.get('/incidents/%d' % colleague_case.id).status_code == 404
    assert client.get('/incidents/%d' % own.id).status_code == 200


def test_admin_only_account_sees_no_incident_content(client, login_as):
    """Is an administrator kept out of every incident page (separation of duties)?"""
    incident = make_incident()
    login_as('admin', department='IT')
    for path in ('/incidents/', '/incidents/%d' % incident.id, '/incidents/new',
                 '/incidents/%d/ppc-report' % incident.id, '/corrective-actions/'):
        assert client.get(path).status_code == 403, path
    assert Incident.visible_to(factories.make_user(roles=('admin',))).count() == 0

"""Findings become corrective actions in the model incidents use; managers move them,
auditors check their effectiveness, and the finding closes when they are effective."""
import datetime

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.audits.models import Finding
from stintranet.corrective import services as corrective
from stintranet.corrective.models import CorrectiveAction
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.audits.factories import make_auditor, raise_action, reported_inspection, sign_in
from tests.incidents.factories import make_action, make_incident


def future(days=14):
    return (today_local() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def finding(departments, auditor):
    return reported_inspection(lead=auditor)[1]


def test_auditor_raises_an_action_on_a_finding(client, finding, auditor, sales_manager):
    """Can an auditor raise an action (owner, due date) from the finding page, told to the owner?"""
    sign_in(client, auditor)
    page = client.get('/audits/findings/%d' % finding.id)
    assert 'Raise a corrective action' in page.text
    url = '/corrective-actions/new?source=finding:%d' % finding.id
    assert client.get(url).status_code == 200
    response = client.post(url, data={'title': 'Encrypt the USB drives',
                                      'owner': str(sales_manager.id), 'due_on': future()})
    assert response.status_code == 303
    assert response.headers['Location'].endswith('/audits/findings/%d' % finding.id)
    action = CorrectiveAction.get()
    assert (action.source_type, action.source_id) == ('finding', finding.id)
    assert Notification.select().where(Notification.user == sales_manager.id).count() >= 1
    assert 'Encrypt the USB drives' in client.get('/audits/findings/%d' % finding.id).text


def test_bad_action_on_a_finding_is_422(client, finding, auditor, sales_manager):
    """Is an action with a past due date refused with 422 and the input kept?"""
    sign_in(client, auditor)
    response = client.post('/corrective-actions/new?source=finding:%d' % finding.id, data={
        'title': 'Kept action title', 'owner': str(sales_manager.id), 'due_on': '2001-01-01'})
    assert response.status_code == 422
    assert 'cannot be in the past' in response.text and 'Kept action title' in response.text
    assert CorrectiveAction.select().count() == 0


def test_incidents_and_findings_share_the_action_model(client, finding, auditor,
                                                       sales_manager):
    """Do incident and finding actions live in one table and one list for the owner?"""
    raise_action(finding, sales_manager, auditor, title='Finding action')
    make_action(make_incident(), sales_manager, title='Incident action')
    assert {a.source_type for a in CorrectiveAction.select()} == {'finding', 'incident'}
    sign_in(client, sales_manager)
    mine = client.get('/corrective-actions/').text
    assert 'Finding action' in mine and 'Incident action' in mine
    assert 'Audit finding' in mine


def test_manager_completes_an_action_owned_by_a_colleague(client, finding, auditor,
                                                          sales_manager):
    """Can the manager of the department complete an action someone in it owns?"""
    alice = factories.make_user(department='SALES')
    action = raise_action(finding, alice, auditor)
    sign_in(client, sales_manager)
    page = client.get('/corrective-actions/%d' % action.id)
    assert page.status_code == 200 and 'Evidence of what was done' in page.text
    assert 'Re-plan' not in page.text
    response = client.post('/corrective-actions/%d/complete' % action.id, data={
        'evidence': 'All five drives encrypted; ticket IT-1234', 'version': '1'})
    assert response.status_code == 303
    assert CorrectiveAction.get_by_id(action.id).status == 'done'
    replan = client.post('/corrective-actions/%d/replan' % action.id, data={
        'owner': str(alice.id), 'due_on': future(60), 'version': '2'})
    assert replan.status_code == 403


def test_manager_of_another_department_sees_nothing(client, finding, auditor, sales_manager):
    """Is a finding's action a 404 for the manager of another department?"""
    action = raise_action(finding, sales_manager, auditor)
    sign_in(client, factories.make_user(roles=('employee', 'manager'), department='HR'))
    assert client.get('/corrective-actions/%d' % action.id).status_code == 404
    assert client.get('/audits/findings/%d' % finding.id).status_code == 404
    assert client.post('/corrective-actions/%d/complete' % action.id,
                       data={'evidence': 'x'}).status_code == 404


def test_managers_may_not_raise_actions_on_findings(client, finding, sales_manager):
    """Are raising actions and checking effectiveness left to the auditors (403)?"""
    sign_in(client, sales_manager)
    assert 'Raise a corrective action' not in client.get(
        '/audits/findings/%d' % finding.id).text
    assert client.get('/corrective-actions/new?source=finding:%d'
                      % finding.id).status_code == 403


def test_auditor_checks_effectiveness_and_the_finding_closes(client, finding, auditor,
                                                             sales_manager):
    """Does a verified action close the finding, and a rejected one keep it open, logged?"""
    first = raise_action(finding, sales_manager, auditor, title='Encrypt')
    second = raise_action(finding, sales_manager, auditor, title='Register the drives')
    for action in (first, second):
        corrective.complete(CorrectiveAction.get_by_id(action.id), evidence='Done',
                            actor=sales_manager)
    sign_in(client, auditor)
    response = client.post('/corrective-actions/%d/verify' % first.id, data={
        'check': 'Checked two drives', 'effective': 'yes', 'version': '2'})
    assert response.status_code == 303
    assert Finding.get_by_id(finding.id).closed_at is None
    response = client.post('/corrective-actions/%d/verify' % second.id, data={
        'check': 'Register not updated', 'effective': 'no', 'version': '2'})
    assert response.status_code == 303
    assert Finding.get_by_id(finding.id).closed_at is None
    corrective.complete(CorrectiveAction.get_by_id(second.id), evidence='Register updated',
                        actor=sales_manager)
    response = client.post('/corrective-actions/%d/verify' % second.id, data={
        'check': 'Register checked', 'effective': 'yes', 'version': '4'})
    assert response.status_code == 303
    assert Finding.get_by_id(finding.id).closed_at is not None
    assert AuditEvent.select().where((AuditEvent.object_type == 'finding')
                                     & (AuditEvent.action == 'close')).count() == 1
    assert 'Closed' in client.get('/audits/findings/%d' % finding.id).text
    # A closed finding takes no more actions.
    more = client.get('/corrective-actions/new?source=finding:%d' % finding.id)
    assert more.status_code == 303


def test_an_auditor_of_the_department_may_not_verify(client, finding, auditor,
                                                     sales_manager):
    """Is an auditor from the finding's own department refused the effectiveness check?"""
    action = raise_action(finding, sales_manager, auditor)
    corrective.complete(action, evidence='Done', actor=sales_manager)
    sign_in(client, make_auditor(department='SALES'))
    response = client.post('/corrective-actions/%d/verify' % action.id, data={
        'check': 'x', 'effective': 'yes', 'version': '2'})
    assert response.status_code == 403
    assert CorrectiveAction.get_by_id(action.id).status == 'done'


def test_the_committee_reads_but_does_not_change(client, finding, auditor, sales_manager):
    """Does the committee see a finding's action without being able to verify it?"""
    action = raise_action(finding, sales_manager, auditor)
    corrective.complete(action, evidence='Done', actor=sales_manager)
    sign_in(client, factories.make_user(roles=('employee', 'committee'), department='LEGAL'))
    assert client.get('/corrective-actions/%d' % action.id).status_code == 200
    assert client.post('/corrective-actions/%d/verify' % action.id, data={
        'check': 'x', 'effective': 'yes', 'version': '2'}).status_code == 403

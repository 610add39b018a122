"""Corrective actions: raised on an incident, done by the owner, verified by the committee."""
import datetime

import pytest

from stintranet.corrective import services, sources
from stintranet.corrective.models import CorrectiveAction
from stintranet.incidents.models import IncidentEvent
from stintranet.timezone import today_local
from tests import factories
from tests.incidents.factories import make_action, make_incident


def sign_in(client, user):
    assert client.post('/login', data={'email': user.email,
                                       'password': factories.PASSWORD}).status_code == 302


def future(days=14):
    return (today_local() + datetime.timedelta(days=days)).isoformat()


def test_committee_raises_an_action_on_an_incident(client, login_as):
    """Can the committee add an action with owner and due date, recorded on the timeline?"""
    login_as('employee', 'committee', department='LEGAL')
    owner = factories.make_user(roles=('employee', 'manager'), department='IT')
    incident = make_incident()
    page = client.get('/corrective-actions/new?source=incident:%d' % incident.id)
    assert page.status_code == 200 and 'for="owner"' in page.text
    response = client.post('/corrective-actions/new?source=incident:%d' % incident.id, data={
        'title': 'Encrypt USB drives', 'owner': str(owner.id), 'due_on': future()})
    assert response.status_code == 303
    action = CorrectiveAction.get()
    assert (action.source_type, action.source_id, action.owner_id) == ('incident', incident.id,
                                                                       owner.id)
    assert IncidentEvent.select().where(IncidentEvent.kind == 'action').count() == 1
    assert 'Encrypt USB drives' in client.get('/incidents/%d' % incident.id).text


@pytest.mark.parametrize('data, message', [
    ({'title': '', 'due_on': 'FUTURE'}, 'This field is required'),
    ({'title': 'x', 'due_on': '2001-01-01'}, 'cannot be in the past'),
    ({'title': 'x', 'due_on': 'soon'}, 'Not a valid date value'),
])
def test_bad_action_input(client, login_as, data, message):
    """Is a bad action form answered with 422 and a message?"""
    login_as('employee', 'committee', department='LEGAL')
    owner = factories.make_user()
    incident = make_incident()
    data = dict(data, owner=str(owner.id))
    if data['due_on'] == 'FUTURE':
        data['due_on'] = future()
    response = client.post('/corrective-actions/new?source=incident:%d' % incident.id, data=data)
    assert response.status_code == 422 and message in response.text
    assert CorrectiveAction.select().count() == 0


def test_only_the_committee_raises_actions_on_incidents(client, login_as):
    """Is a manager refused when adding an action to an incident they can see?"""
    incident = make_incident(department='SALES')
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    assert client.get('/corrective-actions/new?source=incident:%d'
                      % incident.id).status_code == 403


def test_unknown_or_invisible_source_is_404(client, login_as):
    """Does a made-up or invisible source give 404?"""
    incident = make_incident(department='HR')
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    for source in ('nothing:1', 'incident:abc', 'incident:%d' % incident.id):
        assert client.get('/corrective-actions/new?source=' + source).status_code == 404


def test_owner_starts_and_completes_committee_verifies(client):
    """Does an action go open → in progress → done → verified, each by the right person?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    owner = factories.make_user(department='IT')
    incident = make_incident()
    action = make_action(incident, owner, created_by=member)
    sign_in(client, owner)
    assert 'Encrypt the USB drives' in client.get('/corrective-actions/').text
    assert client.post('/corrective-actions/%d/start' % action.id,
                       data={'version': '1'}).status_code == 303
    missing = client.post('/corrective-actions/%d/complete' % action.id,
                          data={'version': '2', 'evidence': ''})
    assert missing.status_code == 422
    assert client.post('/corrective-actions/%d/complete' % action.id, data={
        'version': '2', 'evidence': 'All 12 drives replaced; ticket IT-881.'}).status_code == 303
    # The owner cannot verify their own work.
    assert client.post('/corrective-actions/%d/verify' % action.id, data={
        'version': '3', 'check': 'fine', 'effective': 'yes'}).status_code == 403
    client.post('/logout')
    sign_in(client, member)
    assert client.post('/corrective-actions/%d/verify' % action.id, data={
        'version': '3', 'check': 'Sampled 3 drives: all encrypted.',
        'effective': 'yes'}).status_code == 303
    action = CorrectiveAction.get_by_id(action.id)
    assert action.status == 'verified' and action.verified_by_id == member.id
    assert action.done_evidence.startswith('All 12 drives')
    words = [e.summary for e in IncidentEvent.select().where(IncidentEvent.kind == 'action')]
    assert any('verified effective' in w for w in words)


def test_ineffective_action_goes_back_to_the_owner(app):
    """Does a failed effectiveness check send the action back to in progress?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    owner = factories.make_user()
    action = make_action(make_incident(), owner, status='done')
    services.verify(action, check='Two drives still unencrypted.', effective=False,
                    actor=member)
    assert CorrectiveAction.get_by_id(action.id).status == 'in_progress'


def test_stale_or_finished_changes_are_409(client):
    """Is a stale version or a second completion answered with 409 and the page?"""
    owner = factories.make_user()
    action = make_action(make_incident(), owner, status='done')
    sign_in(client, owner)
    response = client.post('/corrective-actions/%d/complete' % action.id,
                           data={'version': '1', 'evidence': 'again'})
    assert response.status_code == 409 and 'already done' in response.text
    response = client.post('/corrective-actions/%d/start' % action.id, data={'version': '7'})
    assert response.status_code == 409 and 'changed this action meanwhile' in response.text


def test_strangers_cannot_see_an_action(client, login_as):
    """Is another person's action on an invisible incident a 404?"""
    action = make_action(make_incident(department='HR'), factories.make_user(department='HR'))
    login_as('employee', department='SALES')
    assert client.get('/corrective-actions/%d' % action.id).status_code == 404
    assert client.post('/corrective-actions/%d/start' % action.id,
                       data={'version': '1'}).status_code == 404


def test_sources_can_be_registered_by_other_capabilities(app):
    """Can another capability (the audit findings) register its own source type?"""
    class Finding(sources.Source):
        type, label = 'finding-test', 'Finding'

        def exists(self, source_id):
            return True

        def can_manage(self, user, source_id):
            return user.has_role('auditor')

    sources.register(Finding())
    try:
        auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
        action = services.create('finding-test', 7, title='Lock the cabinet', owner=auditor,
                                 due_on=today_local(), actor=auditor)
        assert CorrectiveAction.get_by_id(action.id).source_type == 'finding-test'
        with pytest.raises(services.ActionError):
            services.create('finding-test', 7, title='x', owner=auditor,
                            due_on=today_local(), actor=factories.make_user())
    finally:
        sources._sources.pop('finding-test', None)

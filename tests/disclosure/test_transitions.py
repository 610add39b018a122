"""The state machine: each transition by each role, from each state, stale and destroyed."""
import datetime
import html

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.disclosure import catalogue as C
from stintranet.disclosure import services
from stintranet.disclosure.models import DisclosureEvent, DisclosureRequest
from stintranet.timezone import today_local
from tests.disclosure.factories import ALL_CHECKS, make_request, reload

ROLES = ['employee', 'manager', 'committee', 'customer_center', 'auditor', 'admin']

# action: (url suffix, form prefix, the state to start from, extra form data, resulting state)
TRANSITIONS = {
    'start_verification': ('start-verification', 'start', 'received', {}, C.VERIFYING),
    'confirm_identity': ('confirm-identity', 'confirm', 'verifying_checked',
                         {'verified_on': 'TODAY'}, C.IN_PROGRESS),
    'accept': ('accept', 'accept', 'in_progress', {'decided_on': 'TODAY'}, C.IN_PROGRESS),
    'refuse': ('refuse', 'refuse', 'verifying',
               {'refusal_reason': 'not_retained', 'explanation': 'We hold no data on you.',
                'decided_on': 'TODAY'}, C.REFUSED),
    'respond': ('response', 'response', 'accepted',
                {'response_method': 'electronic', 'responded_on': 'TODAY'}, C.RESPONDED),
    'complete': ('complete', 'complete', 'responded', {'completed_on': 'TODAY'}, C.COMPLETED),
}


def build(state):
    if state == 'verifying_checked':
        req = make_request('verifying')
        services.update_checklist(req.id, None or _actor(req), ALL_CHECKS, 'passport')
        return reload(req)
    return make_request(state)


def _actor(req):
    return req.created_by


def post(client, req, action, version=None):
    suffix, prefix, _state, data, _to = TRANSITIONS[action]
    today = today_local().isoformat()
    form = {'%s-%s' % (prefix, k): (today if v == 'TODAY' else v) for k, v in data.items()}
    form['%s-version' % prefix] = str(req.version if version is None else version)
    return client.post('/requests/%d/%s' % (req.id, suffix), data=form)


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('action', list(TRANSITIONS))
def test_each_transition_by_each_role(client, login_as, action, role):
    """Does only Customer Center staff move a request, and does everyone else get 403?"""
    req = build(TRANSITIONS[action][2])
    before = (req.status, req.decision, req.version)
    login_as(role, department='CC' if role == 'customer_center' else 'SALES')
    response = post(client, req, action)
    after = reload(req)
    if role == 'customer_center':
        assert response.status_code == 303, response.text
        assert after.status == TRANSITIONS[action][4]
        assert after.version == req.version + 1
        event = AuditEvent.search(object_type='disclosure_request',
                                  object_id=str(req.id)).first()
        assert event.action == action
        assert DisclosureEvent.timeline(req.id)[-1].action == action
    else:
        assert response.status_code == 403
        assert (after.status, after.decision, after.version) == before


SOURCES = {
    'start_verification': {'received'},
    'confirm_identity': {'verifying'},
    'accept': {'in_progress'},
    'refuse': {'received', 'verifying', 'in_progress', 'accepted'},
    'respond': {'accepted', 'refused'},
    'complete': {'responded', 'refused_notified'},
}
ALL_STATES = ['received', 'verifying', 'in_progress', 'accepted', 'responded', 'refused',
              'refused_notified', 'completed', 'refused_completed']


@pytest.mark.parametrize('action', list(TRANSITIONS))
def test_forbidden_transitions_get_409(client, login_as, action):
    """From every state the action does not start from, is the answer 409 with a message?"""
    login_as('customer_center', department='CC')
    for state in ALL_STATES:
        if state in SOURCES[action]:
            continue
        req = make_request(state)
        response = post(client, req, action)
        assert response.status_code in (409, 422), (action, state, response.status_code)
        if response.status_code == 422:
            # Only a form that cannot even be valid here (none expected today).
            pytest.fail('%s from %s answered 422' % (action, state))
        assert 'role="alert"' in response.text
        after = reload(req)
        assert (after.status, after.version) == (req.status, req.version)


def test_confirm_identity_with_open_items_is_409(client, login_as):
    """Is confirming an identity with documents missing refused, naming what is missing?"""
    login_as('customer_center', department='CC')
    req = make_request('verifying', proxy_kind=C.LEGAL_REPRESENTATIVE, documents=[
        ('application_form',) + _doc('application_form'),
        ('relationship_document',) + _doc('relationship_document')])
    response = post(client, req, 'confirm_identity')
    assert response.status_code == 409
    assert "Legal representative's own identity document" in html.unescape(response.text)
    assert reload(req).status == C.VERIFYING


def _doc(kind):
    from tests.disclosure.factories import document
    return document(kind)[1:]


def test_stale_version_is_409_and_keeps_input(client, login_as):
    """Does a form from an older version get 409, the input kept and the version refreshed?"""
    login_as('customer_center', department='CC')
    req = make_request('verifying')
    response = post(client, req, 'refuse', version=req.version - 1)
    assert response.status_code == 409
    assert 'Someone else changed' in response.text
    assert 'We hold no data on you.' in response.text
    assert 'name="refuse-version" type="hidden" value="%d"' % req.version in response.text
    assert reload(req).status == C.VERIFYING


def test_completion_without_response_is_409(client, login_as):
    """Can a refused request whose notice was never recorded be completed? (no: 409)"""
    login_as('customer_center', department='CC')
    req = make_request('refused')
    response = post(client, req, 'complete')
    assert response.status_code == 409
    assert 'Record when the response or the refusal notice was sent' in response.text


def test_refused_request_completes_after_notice(client, login_as):
    """Does a refused request complete once its notice is recorded, keeping the reason?"""
    login_as('customer_center', department='CC')
    req = make_request('refused_notified')
    assert post(client, req, 'complete').status_code == 303
    after = reload(req)
    assert after.status == C.COMPLETED
    assert after.refusal_reason == 'identity_not_confirmed'
    assert after.explanation


def test_refusal_needs_reason_and_explanation(client, login_as):
    """Is a refusal without a reason or an explanation a 422 with the typed input kept?"""
    login_as('customer_center', department='CC')
    req = make_request('verifying')
    response = client.post('/requests/%d/refuse' % req.id, data={
        'refuse-version': req.version, 'refuse-refusal_reason': '',
        'refuse-explanation': 'Kept text', 'refuse-decided_on': today_local().isoformat()})
    assert response.status_code == 422
    assert 'Choose the reason notified to the requester.' in response.text
    assert 'Kept text' in response.text
    response = client.post('/requests/%d/refuse' % req.id, data={
        'refuse-version': req.version, 'refuse-refusal_reason': 'other_legal',
        'refuse-explanation': '   ', 'refuse-decided_on': today_local().isoformat()})
    assert response.status_code == 422
    assert 'Explain the refusal to the requester.' in response.text
    assert reload(req).status == C.VERIFYING


def test_response_before_receipt_is_422(client, login_as):
    """Is a response dated before the request was received refused with a clear message?"""
    login_as('customer_center', department='CC')
    received = today_local() - datetime.timedelta(days=5)
    req = make_request('accepted', received_on=received)
    response = client.post('/requests/%d/response' % req.id, data={
        'response-version': req.version, 'response-response_method': 'electronic',
        'response-responded_on': (received - datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert 'A response cannot be sent before the request was received' in response.text
    assert reload(req).status == C.IN_PROGRESS


def test_response_before_decision_is_409(client, login_as):
    """Can a response be recorded for a request nobody accepted yet? (no: 409)"""
    login_as('customer_center', department='CC')
    req = make_request('in_progress')
    response = post(client, req, 'respond')
    assert response.status_code == 409
    assert 'Decide first' in response.text


def test_paper_instead_of_electronic_needs_reason(client, login_as):
    """When an electronic record was asked for, does answering on paper need the reason?"""
    login_as('customer_center', department='CC')
    req = make_request('accepted', requested_method=C.ELECTRONIC)
    data = {'response-version': req.version, 'response-response_method': 'paper',
            'response-responded_on': today_local().isoformat()}
    response = client.post('/requests/%d/response' % req.id, data=data)
    assert response.status_code == 422
    assert 'give the reason for answering on paper' in response.text
    data['response-paper_reason'] = 'The records are on microfilm only.'
    assert client.post('/requests/%d/response' % req.id, data=data).status_code == 303
    after = reload(req)
    assert after.response_method == C.PAPER
    assert after.paper_reason == 'The records are on microfilm only.'


def test_future_dates_are_422(client, login_as):
    """Is a completion dated tomorrow refused?"""
    login_as('customer_center', department='CC')
    req = make_request('responded')
    response = client.post('/requests/%d/complete' % req.id, data={
        'complete-version': req.version,
        'complete-completed_on': (today_local() + datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert 'The date cannot be in the future.' in response.text
    assert reload(req).status == C.RESPONDED


def test_completion_sets_destroy_after(client, login_as):
    """Does completing set destroy-after to completion + 6 months?"""
    login_as('customer_center', department='CC')
    req = make_request('responded', received_on=datetime.date(2025, 8, 20))
    response = client.post('/requests/%d/complete' % req.id, data={
        'complete-version': req.version, 'complete-completed_on': '2025-08-31'})
    assert response.status_code == 303
    after = reload(req)
    assert after.completed_on == datetime.date(2025, 8, 31)
    assert after.destroy_after == datetime.date(2026, 2, 28)


def test_service_rejects_unknown_roles_and_states(app):
    """Does the service itself (not only the views) refuse a committee member and a wrong
    state?"""
    from tests import factories
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    req = make_request('received')
    with pytest.raises(services.NotPermitted):
        services.start_verification(req.id, committee, req.version)
    with pytest.raises(services.Conflict):
        services.complete(req.id, req.created_by, req.version, today_local())
    assert reload(req).status == C.RECEIVED


def test_full_path_timeline(client, login_as):
    """Does a request walk received → verifying → in progress → responded → completed with a
    timeline entry and an audit event per step?"""
    login_as('customer_center', department='CC')
    req = make_request('completed')
    steps = [e.action for e in DisclosureEvent.timeline(req.id)]
    assert steps[0] == 'create'
    assert [s for s in steps if s not in ('create', 'upload')] == [
        'start_verification', 'confirm_identity', 'accept', 'respond', 'complete']
    actions = [e.action for e in AuditEvent.select().where(
        (AuditEvent.object_type == 'disclosure_request')
        & (AuditEvent.object_id == str(req.id))).order_by(AuditEvent.seq)]
    for step in ('create', 'start_verification', 'checklist', 'confirm_identity', 'accept',
                 'respond', 'complete'):
        assert step in actions
    assert DisclosureRequest.get_by_id(req.id).status == C.COMPLETED

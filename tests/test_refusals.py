"""Refused access is on the record: each 403, and each 404 for a record that exists outside
the person's scope, is one audit-log event holding only what the person sent; repeated
refusals notify the committee once per window."""
import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.db import utcnow
from stintranet.incidents import services
from stintranet.incidents.models import Incident
from stintranet.notifications.models import Notification
from tests import factories
from tests.ledger.factories import make_entry


def refusals():
    return list(AuditEvent.select().where(AuditEvent.action == 'access_refused')
                .order_by(AuditEvent.seq))


@pytest.fixture
def hr_entry(app):
    responsible = factories.make_user(roles=('employee', 'manager'), department='HR',
                                      manages=('HR',))
    return make_entry('HR', responsible=responsible, title='Annual health checks')


def test_another_departments_entry_is_a_recorded_404(client, login_as, hr_entry):
    """Does a SALES manager asking for an HR entry get 404, leaving one event that names
    the id asked for and nothing of the entry?"""
    manager = login_as('employee', 'manager', department='SALES', manages=('SALES',))
    response = client.get('/ledger/%d' % hr_entry.id)
    assert response.status_code == 404
    [event] = refusals()
    assert (event.actor_id, event.actor_email) == (manager.id, manager.email)
    assert (event.object_type, event.object_id) == ('ledger_entry', str(hr_entry.id))
    assert event.ip == '127.0.0.1'
    assert event.details_dict == {'status': 404, 'method': 'GET',
                                  'path': '/ledger/%d' % hr_entry.id,
                                  'endpoint': 'ledger.entry'}
    assert 'health' not in event.details and 'HR' not in event.details


def test_an_id_that_does_not_exist_is_not_recorded(client, login_as, hr_entry):
    """Is a 404 for a record that does not exist left out of the log (nothing was refused)?"""
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    assert client.get('/ledger/%d' % (hr_entry.id + 1000)).status_code == 404
    assert client.get('/ledger/2147483647').status_code == 404
    assert refusals() == []


def test_a_403_is_recorded_once_with_the_object_asked_for(client, login_as):
    """Does an employee posting to another account's admin page leave exactly one event,
    naming that account's id?"""
    other = factories.make_user(department='HR')
    employee = login_as('employee')
    assert client.post('/admin/users/%d/unlock' % other.id).status_code == 403
    [event] = refusals()
    assert event.actor_id == employee.id
    assert (event.object_type, event.object_id) == ('user', str(other.id))
    assert event.details_dict['endpoint'] == 'admin.user_unlock'
    assert event.details_dict['status'] == 403


def test_another_reporters_incident_is_recorded(client, login_as):
    """Does an employee opening someone else's incident leave a refusal event?"""
    reporter = factories.make_user(department='HR')
    incident = services.report(reporter, narrative='Lost a USB stick.',
                               noticed_at=utcnow(), kind='loss',
                               estimated_persons=None, name_shown=True)
    login_as('employee', department='SALES')
    assert client.get('/incidents/%d' % incident.id).status_code == 404
    [event] = refusals()
    assert (event.object_type, event.object_id) == (Incident._meta.table_name,
                                                    str(incident.id))


@pytest.mark.parametrize('app_config', [{'REFUSAL_ALERT_COUNT': 3,
                                         'REFUSAL_ALERT_MINUTES': 10}])
def test_repeated_refusals_notify_the_committee_once(client, login_as, app_config):
    """Do three refusals within ten minutes (the setting) notify each committee member
    once, and do further refusals in the same window not notify again?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    prober = login_as('employee')
    for _n in range(2):
        client.get('/admin/users')
    assert Notification.select().count() == 0
    for _n in range(4):
        client.get('/admin/users')
    [notice] = list(Notification.select())
    assert notice.user_id == chair.id
    assert notice.subject == 'Account #%d was refused access 3 times within 10 minutes' \
        % prober.id
    assert 'action=access_refused' in notice.link and 'actor=%d' % prober.id in notice.link
    assert len(refusals()) == 6

"""Planning an inspection: the form, the independence rule, re-planning, cancelling."""
import datetime

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.audits import services
from stintranet.audits.models import Inspection, InspectionDepartment, InspectionMember
from stintranet.timezone import today_local
from tests import factories
from tests.audits.factories import make_auditor, make_inspection, sign_in


def in_days(n):
    return (today_local() + datetime.timedelta(days=n)).isoformat()


def plan_data(departments, lead, team=(), **extra):
    data = {'title': 'Annual inspection of Sales', 'planned_on': in_days(10),
            'departments': [str(departments[c].id) for c in ('SALES',)],
            'lead': str(lead.id), 'team': [str(u.id) for u in team],
            'objective': 'Policy and JIS Q 15001'}
    data.update(extra)
    return data


def test_auditor_plans_an_inspection(client, departments, auditor):
    """Does an auditor plan an inspection with scope, lead and team, logged?"""
    colleague = make_auditor(name='Ken Mori')
    sign_in(client, auditor)
    page = client.get('/audits/new')
    assert page.status_code == 200
    for field in ('title', 'planned_on', 'lead', 'objective'):
        assert 'for="%s"' % field in page.text
    response = client.post('/audits/new', data=plan_data(departments, auditor, [colleague]))
    assert response.status_code == 303
    inspection = Inspection.get()
    assert inspection.reference == 'AUD-%s-001' % in_days(10)[:4]
    assert inspection.status == 'planned' and inspection.lead_id == auditor.id
    assert inspection.department_ids() == [departments['SALES'].id]
    assert inspection.member_ids() == [colleague.id]
    event = AuditEvent.select().where(AuditEvent.object_type == 'inspection').get()
    assert event.action == 'create' and event.details_dict['departments'] == ['SALES']
    shown = client.get(response.headers['Location']).text
    assert 'Ken Mori' in shown and 'Sales' in shown


@pytest.mark.parametrize('who', ['lead', 'team'])
def test_nobody_inspects_their_own_department(client, departments, auditor, who):
    """Is a scope holding the lead's or a team member's own department refused with 422?"""
    sales_auditor = make_auditor(department='SALES', name='Jun Sales')
    sign_in(client, auditor)
    if who == 'lead':
        data = plan_data(departments, sales_auditor, title='Kept title 42')
    else:
        data = plan_data(departments, auditor, [sales_auditor], title='Kept title 42')
    response = client.post('/audits/new', data=data)
    assert response.status_code == 422
    assert 'Nobody may inspect their own department' in response.text
    assert 'Jun Sales' in response.text and 'Kept title 42' in response.text
    assert Inspection.select().count() == 0


def test_an_auditor_who_manages_the_department_is_refused(client, departments, auditor):
    """Does the rule also cover a department the auditor manages?"""
    dual = factories.make_user(roles=('employee', 'auditor', 'manager'), department='AUDIT',
                               manages=('SALES',), name='Dual Role')
    sign_in(client, auditor)
    response = client.post('/audits/new', data=plan_data(departments, dual))
    assert response.status_code == 422 and 'Dual Role' in response.text


def test_the_service_checks_independence_too(departments, auditor):
    """Does the service refuse an own-department scope even without the form?"""
    sales_auditor = make_auditor(department='SALES')
    with pytest.raises(services.AuditError) as caught:
        services.create_inspection(auditor, title='x', planned_on=today_local(),
                                   departments=[departments['SALES']], lead=sales_auditor)
    assert caught.value.status == 422


@pytest.mark.parametrize('change, message', [
    ({'departments': []}, 'Choose at least one department'),
    ({'title': ''}, 'This field is required'),
    ({'planned_on': 'next week'}, 'planned date as YYYY-MM-DD'),
    ({'lead': '0'}, 'Choose the lead auditor'),
    ({'lead': 'LEAD-AS-TEAM'}, 'already on the inspection'),
    ({'lead': 'NOT-AUDITOR'}, 'Not a valid choice'),
])
def test_bad_plans_are_422(client, departments, auditor, change, message):
    """Is each bad plan refused with 422, its message and the input kept?"""
    employee = factories.make_user(department='HR')
    sign_in(client, auditor)
    data = plan_data(departments, auditor, [auditor] if change.get('lead') == 'LEAD-AS-TEAM'
                     else [], objective='Objective kept 77')
    if change.get('lead') == 'LEAD-AS-TEAM':
        change = {}
    if change.get('lead') == 'NOT-AUDITOR':
        change = {'lead': str(employee.id)}
    data.update(change)
    response = client.post('/audits/new', data=data)
    assert response.status_code == 422
    assert message in response.text and 'Objective kept 77' in response.text
    assert Inspection.select().count() == 0


def test_replanning_changes_scope_and_team(client, departments, auditor):
    """Can the lead re-plan a planned inspection (scope, team, date), logged with the changes?"""
    colleague = make_auditor(name='Ken Mori')
    inspection = make_inspection(lead=auditor, departments=('SALES',), team=[colleague])
    sign_in(client, auditor)
    page = client.get('/audits/%d/edit' % inspection.id)
    assert page.status_code == 200 and 'value="%d"' % inspection.version in page.text
    data = plan_data(departments, auditor, [], planned_on=in_days(20),
                     version=str(inspection.version))
    data['departments'] = [str(departments['HR'].id), str(departments['IT'].id)]
    response = client.post('/audits/%d/edit' % inspection.id, data=data)
    assert response.status_code == 303
    inspection = Inspection.get_by_id(inspection.id)
    assert sorted(inspection.department_ids()) == sorted([departments['HR'].id,
                                                          departments['IT'].id])
    assert inspection.member_ids() == [] and inspection.version == 2
    event = AuditEvent.select().where(AuditEvent.action == 'update').get()
    assert set(event.details_dict['changes']) >= {'planned_on', 'departments', 'team_ids'}


def test_stale_replan_is_409_with_input_kept(client, departments, auditor):
    """Does a re-plan from an outdated form get 409, the current state and the input?"""
    inspection = make_inspection(lead=auditor)
    services.update_plan(Inspection.get_by_id(inspection.id), auditor, title='Changed meanwhile',
                         planned_on=inspection.planned_on,
                         departments=[departments['SALES']], lead=auditor)
    sign_in(client, auditor)
    data = plan_data(departments, auditor, title='My late edit', version='1')
    response = client.post('/audits/%d/edit' % inspection.id, data=data)
    assert response.status_code == 409
    assert 'Someone else changed' in response.text and 'My late edit' in response.text
    assert 'As saved now' in response.text and 'Changed meanwhile' in response.text
    assert Inspection.get_by_id(inspection.id).title == 'Changed meanwhile'


def test_only_the_team_replans(client, departments, auditor):
    """Is another auditor, outside the team, refused with 403?"""
    inspection = make_inspection(lead=auditor)
    sign_in(client, make_auditor())
    assert client.get('/audits/%d/edit' % inspection.id).status_code == 403
    response = client.post('/audits/%d/cancel' % inspection.id, data={'reason': 'x'})
    assert response.status_code == 403


def test_cancel_needs_a_reason(client, departments, auditor):
    """Is a cancel without reason 422, and with one does the inspection end, logged?"""
    inspection = make_inspection(lead=auditor)
    sign_in(client, auditor)
    response = client.post('/audits/%d/cancel' % inspection.id,
                           data={'reason': ' ', 'version': inspection.version})
    assert response.status_code == 422 and 'Say why' in response.text
    response = client.post('/audits/%d/cancel' % inspection.id,
                           data={'reason': 'Merged into the group audit',
                                 'version': inspection.version})
    assert response.status_code == 303
    assert Inspection.get_by_id(inspection.id).status == 'cancelled'
    assert AuditEvent.select().where(AuditEvent.action == 'cancel').count() == 1
    again = client.post('/audits/%d/cancel' % inspection.id, data={
        'reason': 'again', 'version': Inspection.get_by_id(inspection.id).version})
    assert again.status_code == 409 and 'Only a planned inspection' in again.text


def test_replanning_after_start_is_409(client, departments, auditor):
    """Is the plan frozen once the inspection has started?"""
    inspection = make_inspection(lead=auditor)
    services.start(Inspection.get_by_id(inspection.id), auditor,
                   performed_on=today_local())
    sign_in(client, auditor)
    response = client.post('/audits/%d/edit' % inspection.id,
                           data=plan_data(departments, auditor, title='Too late'))
    assert response.status_code == 409 and 'Too late' in response.text
    assert InspectionDepartment.select().count() == 1
    assert InspectionMember.select().count() == 0

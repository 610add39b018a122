"""Audit test data: inspections made through the services, as the auditors would."""
import datetime

from stintranet.audits import checklist as C
from stintranet.audits import services
from stintranet.audits.models import ChecklistAnswer, Inspection
from stintranet.corrective import services as corrective
from stintranet.timezone import today_local
from tests import factories


def make_auditor(department='AUDIT', **kwargs):
    return factories.make_user(roles=('employee', 'auditor'), department=department, **kwargs)


def make_inspection(lead=None, departments=('SALES',), team=(), title='Annual inspection',
                    planned_in_days=7, objective=''):
    lead = lead or make_auditor()
    return services.create_inspection(
        lead, title=title,
        planned_on=today_local() + datetime.timedelta(days=planned_in_days),
        departments=[factories.make_department(code) for code in departments], lead=lead,
        team=list(team), objective=objective)


def start(inspection, actor=None):
    inspection = Inspection.get_by_id(inspection.id)
    return services.start(inspection, actor or inspection.lead,
                          performed_on=today_local())


def answer_all(inspection, actor=None, results=None, results_for=None):
    """Answer every item of every scope department: conform unless ``results`` says
    otherwise ({item key: result}) for the department coded ``results_for`` (all if None)."""
    inspection = Inspection.get_by_id(inspection.id)
    actor = actor or inspection.lead
    for department_id in inspection.department_ids():
        applies = results_for is None or \
            factories.make_department(results_for).id == department_id
        chosen = (results or {}) if applies else {}
        answers = ChecklistAnswer.for_department(inspection, department_id)
        services.save_answers(inspection, department_id, actor, {
            a.item_key: (chosen.get(a.item_key, C.CONFORM),
                         'Seen on site.' if chosen.get(a.item_key, C.CONFORM) != C.CONFORM
                         else '', a.version) for a in answers})
    return inspection


def add_finding(inspection, actor=None, department='SALES', item_key='media_encrypted',
                severity=C.MAJOR, title='Unencrypted USB drives',
                description='Two USB drives were not encrypted.'):
    inspection = Inspection.get_by_id(inspection.id)
    return services.add_finding(inspection, actor or inspection.lead,
                                department_id=factories.make_department(department).id,
                                item_key=item_key, severity=severity, title=title,
                                description=description)


def reported_inspection(lead=None, departments=('SALES',), with_finding=True):
    """An inspection answered, with one major finding on media, and reported."""
    inspection = make_inspection(lead=lead, departments=departments)
    start(inspection)
    finding = None
    if with_finding:
        answer_all(inspection, results={'media_encrypted': C.MAJOR},
                   results_for=departments[0])
        finding = add_finding(inspection, department=departments[0])
    else:
        answer_all(inspection)
    inspection = Inspection.get_by_id(inspection.id)
    services.report(inspection, inspection.lead, performed_on=today_local(),
                    summary='Mostly in order.')
    return Inspection.get_by_id(inspection.id), finding


def raise_action(finding, owner, actor, due_in_days=14, title='Encrypt the USB drives'):
    return corrective.create('finding', finding.id, title=title, owner=owner,
                             due_on=today_local() + datetime.timedelta(days=due_in_days),
                             actor=actor)


def sign_in(client, user):
    response = client.post('/login', data={'email': user.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302, response.text
    return user

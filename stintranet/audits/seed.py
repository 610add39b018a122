"""Demo inspections: a reported one of SALES with findings and a corrective action
owned by manager.sales, and one of HR and IT planned for the coming weeks."""
import datetime

from .. import seed
from ..corrective import services as corrective
from ..db import utcnow
from ..timezone import today_local
from . import checklist as C
from . import services
from .models import ChecklistAnswer, Finding, Inspection

D = datetime.timedelta(days=1)

SALES_ANSWERS = {
    'media_encrypted': (C.MAJOR, 'Two of the five USB drives in the sales office held '
                                 'customer lists and were not encrypted; neither was in the '
                                 'devices and media register.'),
    'clear_desk': (C.MINOR, 'Order forms with customer names and addresses were left on two '
                            'unattended desks over lunch.'),
    'training_done': (C.OBSERVATION, 'All staff completed the training, but a third of them '
                                     'in the last week before the deadline.'),
    'external_environment': (C.NOT_APPLICABLE, 'No personal data of the department is stored '
                                               'or processed abroad.'),
}

SALES_FINDINGS = [
    ('media_encrypted', C.MAJOR, 'Unencrypted USB drives held customer lists',
     'Two of five USB drives checked held customer lists without encryption and were not '
     'registered. Requirement: portable media holding personal data are registered and '
     'encrypted (security measures policy; PPC Guidelines 10-5).'),
    ('clear_desk', C.MINOR, 'Order forms left on unattended desks',
     'Order forms with customer names and addresses lay on two desks while their users were '
     'at lunch. Requirement: clear desk when unattended.'),
    ('training_done', C.OBSERVATION, 'Training completed late in the period',
     'Consider reminders a month before the deadline so that staff are not rushed.'),
]


@seed.register(600)
def seed_audits(context):
    users, departments = context['users'], context['departments']
    auditor = users['auditor']
    today = today_local()

    inspection = services.create_inspection(
        auditor, title='Annual inspection of the Sales Department',
        planned_on=today - 40 * D, departments=[departments['SALES']], lead=auditor,
        objective='Compliance of the Sales Department with the personal information '
                  'protection policy and JIS Q 15001, with a focus on portable media and '
                  'customer documents.')
    services.start(inspection, auditor, performed_on=today - 38 * D)
    answers = ChecklistAnswer.for_department(inspection, departments['SALES'].id)
    services.save_answers(inspection, departments['SALES'].id, auditor, {
        a.item_key: SALES_ANSWERS.get(a.item_key, (C.CONFORM, '')) + (a.version,)
        for a in answers})
    findings = {}
    for key, severity, title, description in SALES_FINDINGS:
        findings[key] = services.add_finding(
            inspection, auditor, department_id=departments['SALES'].id, item_key=key,
            severity=severity, title=title, description=description)
    action = corrective.create(
        'finding', findings['media_encrypted'].id,
        title='Encrypt or replace the USB drives of the sales office and register them',
        owner=users['manager.sales'], due_on=today + 20 * D, actor=auditor)
    corrective.start(action, actor=users['manager.sales'])
    services.report(inspection, auditor, performed_on=today - 38 * D, summary=(
        'The Sales Department handles personal information largely as the policy requires. '
        'Portable media are the main weakness: unencrypted USB drives held customer lists. '
        'The department is asked to encrypt and register its media and to keep desks clear; '
        'the Audit Department will check the corrective actions within two months.'))
    reported_at = utcnow() - 30 * D
    Inspection.update(reported_at=reported_at, created_at=utcnow() - 60 * D,
                      updated_at=reported_at).where(Inspection.id == inspection.id).execute()
    Finding.update(created_at=utcnow() - 38 * D).where(
        Finding.inspection == inspection.id).execute()

    services.create_inspection(
        auditor, title='Inspection of the HR and IT Departments',
        planned_on=today + 14 * D, departments=[departments['HR'], departments['IT']],
        lead=auditor, objective='Access rights to the personnel and account systems, '
                                'pledges of new joiners, disposal of old PCs.')

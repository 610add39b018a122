"""The inspection report as a PDF (issue 19): the report read back in Japanese and
English, A4 and fonts, the file name, the audit row, and what each reader may get."""
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.audits import checklist as C
from tests import factories, pdfcheck
from tests.audits.factories import (
    add_finding,
    answer_all,
    make_inspection,
    reported_inspection,
    sign_in,
    start,
)


def report(client, inspection):
    return client.get('/audits/%d/report.pdf' % inspection.id)


def test_report_in_japanese(client, departments, auditor):
    """Does the lead auditor's Japanese report read back with its reference, its finding,
    the stamp boxes under the glossary's names, on A4 with the fonts embedded?"""
    auditor.locale = 'ja'
    auditor.save()
    inspection, _finding = reported_inspection(lead=auditor)
    sign_in(client, auditor)
    response = report(client, inspection)
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    for expected in (inspection.reference, '内部監査報告書', '主任監査員', '被監査部門',
                     'UnencryptedUSBdrives', 'YumiTakahashi', 'Mostlyinorder.', '指摘事項'):
        assert expected in text, expected
    assert '監査責任者' not in text
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    day = inspection.performed_on.isoformat()
    assert pdfcheck.file_names(response) == (
        '%s_Inspection-report_%s.pdf' % (inspection.reference, day),
        '%s_内部監査報告書_%s.pdf' % (inspection.reference, day))
    event = pdfcheck.last_export()
    details = json.loads(event.details)
    assert (event.object_type, event.object_id) == ('inspection', str(inspection.id))
    assert details['report'] == 'inspection_report' and details['issued'] is True
    assert details['pages'] == len(reader.pages) and details['locale'] == 'ja'


def test_english_draft_report(client, departments, auditor):
    """Is a report made before it is issued marked as a draft, in English, with the
    Japanese name of the form beside its title?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    text = pdfcheck.text(pdfcheck.read(report(client, inspection)))
    assert 'DRAFT: the report has not been issued' in text
    assert 'Inspection report 内部監査報告書' in text and inspection.reference in text


def test_manager_gets_their_departments_only(client, departments, auditor, sales_manager):
    """Does a manager's PDF hold their department's findings and not another's?"""
    inspection = make_inspection(lead=auditor, departments=('SALES', 'HR'))
    start(inspection)
    answer_all(inspection, results={'media_encrypted': C.MAJOR})
    add_finding(inspection, department='SALES', title='Sales drives')
    add_finding(inspection, department='HR', title='Health files on a desk')
    sign_in(client, sales_manager)
    text = pdfcheck.text(pdfcheck.read(report(client, inspection)))
    assert 'Sales drives' in text and 'Health files on a desk' not in text
    assert json.loads(pdfcheck.last_export().details)['departments'] == [
        departments['SALES'].id]


@pytest.mark.parametrize('roles, department, manages, status', [
    (('employee', 'manager'), 'HR', ('HR',), 404),
    (('employee',), 'SALES', (), 403),
    (('employee', 'customer_center'), 'CC', (), 403),
    (('admin',), 'IT', (), 403),
    (('employee', 'committee'), 'LEGAL', (), 200),
])
def test_who_may_make_the_report(client, departments, auditor, roles, department, manages,
                                 status):
    """Is the PDF refused, on the record, as the print view is: 404 for another
    department's manager, 403 for the roles that read no inspection?"""
    inspection, _finding = reported_inspection(lead=auditor)
    sign_in(client, factories.make_user(roles=roles, department=department, manages=manages))
    assert report(client, inspection).status_code == status
    assert client.get('/audits/%d/print' % inspection.id).status_code == status
    if status != 200:
        assert not AuditEvent.select().where(AuditEvent.action == 'export').exists()
        assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()


def test_pages_link_the_pdf(client, departments, auditor):
    """Do the inspection page and its print view link the PDF?"""
    inspection, _finding = reported_inspection(lead=auditor)
    sign_in(client, auditor)
    link = '/audits/%d/report.pdf' % inspection.id
    assert link in client.get('/audits/%d' % inspection.id).text
    assert link in client.get('/audits/%d/print' % inspection.id).text
    assert client.get('/audits/999/report.pdf').status_code == 404

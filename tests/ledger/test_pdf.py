"""The ledger as PDFs (issue 19): one entry, and a department's register (個人情報管理台帳)
on landscape A4, one row per entry in force; the text read back, fonts, file names,
the audit rows, the department scoping and a constant number of queries."""
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.ledger import services
from stintranet.ledger.models import LedgerEntry
from tests import pdfcheck
from tests.exporting import queries_of
from tests.ledger.factories import make_entry

JAPANESE = dict(title='顧客注文管理', purposes='商品の配送、代金の請求及びアフターサービスのため。',
                storage_location='東京データセンターの受注管理サーバー',
                access_persons='受注担当（4名）')


def register(client, department):
    return client.get('/ledger/register/%d.pdf' % department.id)


def test_entry_as_a_pdf_in_japanese(client, manager, departments):
    """Does an entry read back in Japanese with its reference, its fields (the encrypted
    ones too), the approval boxes, on A4 with the fonts embedded; are the read and the
    export logged?"""
    manager.locale = 'ja'
    manager.save()
    entry = make_entry('SALES', **JAPANESE)
    response = client.get('/ledger/%d/entry.pdf' % entry.id)
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    for expected in (entry.reference, '個人情報管理台帳', '顧客注文管理', '商品の配送、代金の請求及びアフターサービスのため。',
                     '東京データセンターの受注管理サーバー', '受注担当（4名）', '承認', '保管場所・保管方法'):
        assert expected in text, expected
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    ascii_name, name = pdfcheck.file_names(response)
    assert name.startswith(entry.reference + '_台帳登録_')
    assert ascii_name.startswith(entry.reference + '_Ledger-entry_')
    read = AuditEvent.select().where(AuditEvent.action == 'read').order_by(
        AuditEvent.seq.desc()).first()
    assert json.loads(read.details)['view'] == 'pdf'
    export = json.loads(pdfcheck.last_export().details)
    assert export['report'] == 'ledger_entry' and 'storage_location' in export['fields']
    assert '東京' not in pdfcheck.last_export().details


def test_register_is_a_landscape_row_per_entry(client, manager, departments):
    """Is the register landscape A4 with one row per entry in force of the department
    (retired ones and other departments' left out), its encrypted columns read, and the
    export row naming the entries?"""
    first = make_entry('SALES', **JAPANESE)
    second = make_entry('SALES', title='Newsletter subscribers')
    retired = make_entry('SALES', title='Old campaign')
    services.retire_entry(retired, expected_version=retired.version, actor=manager,
                          reason='Campaign ended.')
    make_entry('HR', title='Annual health checks')
    response = register(client, departments['SALES'])
    reader = pdfcheck.read(response)
    text = pdfcheck.text(reader)
    flat = pdfcheck.flat(reader)
    pdfcheck.assert_a4(reader, landscape=True)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    assert first.reference in text and second.reference in text
    assert retired.reference not in text and 'Annual health checks' not in text
    assert '東京データセンターの受注管理サーバー' in flat and '受注担当（4名）' in flat
    assert '2 entries in force' in text and 'Personal information management ledger' in text
    assert pdfcheck.file_names(response)[0].startswith(
        'SALES_Personal-information-management-ledger_')
    details = json.loads(pdfcheck.last_export().details)
    assert details['report'] == 'ledger_register' and details['department'] == 'SALES'
    assert details['entries'] == [first.id, second.id]
    assert details['fields'] == ['storage_location', 'access_persons']


def test_register_in_japanese(client, manager, departments):
    """Does the register read in Japanese, its file named 部門_個人情報管理台帳_日付?"""
    manager.locale = 'ja'
    manager.save()
    make_entry('SALES', **JAPANESE)
    response = register(client, departments['SALES'])
    text = pdfcheck.flat(pdfcheck.read(response))
    for expected in ('個人情報管理台帳', '業務名', '利用目的', 'アクセス権限者', '顧客注文管理'):
        assert expected in text, expected
    assert pdfcheck.file_names(response)[1].startswith('SALES_個人情報管理台帳_')


def test_register_queries_do_not_grow(client, manager, departments):
    """Does the register read the same number of queries for 1 entry and for 5?"""
    make_entry('SALES')
    url = '/ledger/register/%d' % departments['SALES'].id
    one = queries_of(client, url)
    for number in range(4):
        make_entry('SALES', title='Process %d' % number)
    assert queries_of(client, url) == one
    assert LedgerEntry.select().count() == 5


def test_registers_page_lists_the_managed_departments(client, manager, departments):
    """Does a manager's list of registers show their departments only, with the links?"""
    make_entry('SALES')
    page = client.get('/ledger/register/')
    assert page.status_code == 200
    assert '/ledger/register/%d.pdf' % departments['SALES'].id in page.text
    assert '/ledger/register/%d.pdf' % departments['HR'].id not in page.text
    assert '/ledger/register/' in client.get('/ledger/').text


@pytest.mark.parametrize('roles, department, manages, status', [
    (('employee', 'manager'), 'HR', ('HR',), 404),
    (('employee',), 'SALES', (), 403),
    (('employee', 'customer_center'), 'CC', (), 403),
    (('admin',), 'IT', (), 403),
    (('employee', 'auditor'), 'AUDIT', (), 200),
])
def test_who_may_make_the_ledgers_pdfs(client, login_as, departments, roles, department,
                                       manages, status):
    """Are the entry's and the register's PDFs refused, on the record, as the entry page
    is: 404 for another department's manager, 403 for the roles that read no ledger?"""
    entry = make_entry('SALES')
    login_as(*roles, department=department, manages=manages)
    assert client.get('/ledger/%d/entry.pdf' % entry.id).status_code == status
    assert register(client, departments['SALES']).status_code == status
    assert client.get('/ledger/register/%d' % departments['SALES'].id).status_code == status
    if status != 200:
        assert not AuditEvent.select().where(AuditEvent.action == 'export').exists()
        assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()
    assert client.get('/ledger/register/999.pdf').status_code in (403, 404)

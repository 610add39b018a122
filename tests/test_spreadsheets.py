""".xlsx imports cannot exhaust the server: the archive is checked before it is opened,
and only the header's columns are read (stintranet/spreadsheets.py), for the ledger and
the training imports alike. The hostile workbooks are built here, in code."""
import datetime
import io
import os
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from stintranet import spreadsheets
from stintranet.ledger.exporting import COLUMNS
from stintranet.ledger.models import LedgerEntry, LedgerImport
from stintranet.training.models import TrainingImport
from tests import factories
from tests.training.factories import make_course

LEDGER_ROW = {
    'department': 'SALES', 'title': 'Imported process', 'category': 'customer',
    'items': 'name; email', 'purposes': 'Answering inquiries.',
    'acquisition_route': 'direct_written', 'acquisition_method': 'Web form.',
    'notice_method': 'consent', 'person_band': '100-999', 'person_estimate': '300',
    'medium': 'electronic', 'storage_location': 'Inquiry system.', 'storage_country': 'JP',
    'access_persons': 'Support team.', 'use_period_months': '12',
    'retention_period_months': '24', 'disposal_methods': 'secure_deletion',
    'security_measures': 'access_control; password', 'outsourced': 'no',
    'third_party_provision': 'no', 'status': 'active',
}


def workbook_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(content, replace=None, add=()):
    """``content`` (an .xlsx) with members replaced ({name: bytes}) and members added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=9)
        for name, data in add:
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def shared_strings_bomb(content, inflated=4 * 1024 * 1024):
    """The workbook with a shared-strings part that inflates to ``inflated`` bytes."""
    body = b'A' * inflated
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
               b'.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + body +
               b'</t></si></sst>')
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        present = 'xl/sharedStrings.xml' in source.namelist()
    if present:
        return rewritten(content, replace={'xl/sharedStrings.xml': strings})
    return rewritten(content, add=[('xl/sharedStrings.xml', strings)])


def huge_dimension(content):
    """The workbook whose first sheet declares the largest possible dimension and carries
    a stray value far to the right of every row."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        sheet = source.read('xl/worksheets/sheet1.xml').decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    end = sheet.index('"', start)
    sheet = sheet[:start] + 'A1:XFD1048576' + sheet[end:]
    return rewritten(content, replace={'xl/worksheets/sheet1.xml': sheet.encode()})


def ledger_workbook(responsible=''):
    row = dict(LEDGER_ROW, responsible=responsible)
    return workbook_bytes([list(COLUMNS)] + [[row.get(c, '') for c in COLUMNS]])


def training_workbook(day):
    return workbook_bytes([['email', 'course_code', 'completed_on', 'score'],
                           ['alice@st-group.example', 'MEDIA', day, None]])


@pytest.fixture
def ledger_manager(login_as):
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


def upload_ledger(client, content, name='ledger.xlsx'):
    return client.post('/ledger/import', data={'file': (io.BytesIO(content), name)},
                       content_type='multipart/form-data')


def upload_training(client, content, name='completions.xlsx'):
    return client.post('/training/imports/new', data={'file': (io.BytesIO(content), name)},
                       content_type='multipart/form-data')


def test_shared_strings_bomb_is_refused_before_it_is_opened(app):
    """Is a 10 KB workbook that inflates to 4 MB of shared strings refused from its
    directory alone, for its ratio?"""
    bomb = shared_strings_bomb(ledger_workbook())
    assert len(bomb) < 40 * 1024
    with pytest.raises(spreadsheets.WorkbookRefused, match='compressed more than 100 to 1'):
        spreadsheets.check_archive(bomb)


def test_a_part_larger_than_the_limit_is_refused(app):
    """Is a part that unpacks beyond IMPORT_MAX_UNCOMPRESSED_BYTES refused, even when it
    does not compress well?"""
    noise = os.urandom(300 * 1024)
    content = rewritten(ledger_workbook(), add=[('xl/media/noise.bin', noise)])
    with pytest.raises(spreadsheets.WorkbookRefused, match='unpacks to'):
        spreadsheets.check_archive(content, limit=200 * 1024)
    spreadsheets.check_archive(content, limit=1024 * 1024)


def test_many_parts_together_beyond_the_limit_are_refused(app):
    """Are parts that each fit but together exceed the limit refused?"""
    parts = [('xl/media/part%d.bin' % n, os.urandom(60 * 1024)) for n in range(5)]
    content = rewritten(ledger_workbook(), add=parts)
    with pytest.raises(spreadsheets.WorkbookRefused, match='This workbook unpacks to'):
        spreadsheets.check_archive(content, limit=200 * 1024)


def test_too_many_parts_are_refused(app):
    """Is an archive with hundreds of members refused by their number?"""
    parts = [('xl/media/p%d.bin' % n, b'x') for n in range(spreadsheets.MAX_MEMBERS + 1)]
    content = rewritten(ledger_workbook(), add=parts)
    with pytest.raises(spreadsheets.WorkbookRefused, match='parts'):
        spreadsheets.check_archive(content)


def test_a_huge_declared_dimension_is_not_trusted(app):
    """Does a sheet declaring A1:XFD1048576 read as its header's width, in little memory?
    (Sized by the declaration, 400 rows would take some 50 MB.)"""
    content = huge_dimension(workbook_bytes([['email', 'course_code']]
                                            + [['a@st-group.example', 'MEDIA']] * 400))
    tracemalloc.start()
    try:
        number, header, rows = spreadsheets.read_table(content, 5000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert number == 1 and header == ['email', 'course_code']
    assert len(rows) == 400 and all(len(cells) == 2 for _n, cells in rows)
    assert peak < 10 * 1024 * 1024, peak


def test_only_the_named_columns_and_capped_rows_are_read(app):
    """Are cells right of the header's last name left unread, and at most the cap + 1
    rows returned?"""
    rows = [['email', 'course_code', None, None]] + [['a', 'b', None, 'far'] for _ in range(30)]
    number, header, data = spreadsheets.read_table(workbook_bytes(rows), 10)
    assert header == ['email', 'course_code']
    assert len(data) == 11
    assert all(cells == ['a', 'b'] for _n, cells in data)


def test_ledger_import_refuses_a_bomb_with_422_and_saves_nothing(client, ledger_manager):
    """Does the ledger import answer a zip bomb with 422, a clear message, nothing kept?"""
    response = upload_ledger(client, shared_strings_bomb(ledger_workbook()))
    assert response.status_code == 422
    assert 'compressed more than 100 to 1' in response.text
    assert LedgerImport.select().count() == 0 and LedgerEntry.select().count() == 0


def test_ledger_import_reads_a_huge_dimension_workbook(client, ledger_manager):
    """Is an honest workbook with a lying dimension still imported (its preview kept)?"""
    response = upload_ledger(client, huge_dimension(ledger_workbook(ledger_manager.email)))
    assert response.status_code == 303, response.text[-800:]
    assert LedgerImport.select().count() == 1


def test_ledger_import_limit_is_a_setting(client, app, ledger_manager):
    """Does IMPORT_MAX_UNCOMPRESSED_BYTES bound the ledger import?"""
    app.config['IMPORT_MAX_UNCOMPRESSED_BYTES'] = 2048
    response = upload_ledger(client, ledger_workbook())
    assert response.status_code == 422
    assert 'an import may take' in response.text
    assert LedgerImport.select().count() == 0


def test_training_import_accepts_xlsx(client, login_as):
    """Does the training import read an .xlsx workbook like a CSV file?"""
    factories.make_user(email='alice@st-group.example')
    today = datetime.date.today()
    make_course(code='MEDIA', today=today)
    login_as('committee', department='LEGAL')
    response = upload_training(client, training_workbook(today))
    assert response.status_code == 303, response.text[-800:]
    assert TrainingImport.get().row_count == 1


def test_training_import_refuses_a_bomb_with_422_and_saves_nothing(client, login_as):
    """Does the training import answer a zip bomb with 422, a clear message, nothing kept?"""
    login_as('committee', department='LEGAL')
    bomb = shared_strings_bomb(training_workbook(datetime.date.today()))
    response = upload_training(client, bomb)
    assert response.status_code == 422
    assert 'compressed more than 100 to 1' in response.text
    assert TrainingImport.select().count() == 0

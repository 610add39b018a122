"""Export to CSV/XLSX, import with a preview, all-or-nothing commit, and the round trip."""
import csv
import datetime
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from stintranet.auditlog.models import AuditEvent
from stintranet.db import database, utcnow
from stintranet.ledger import importing, services
from stintranet.ledger.exporting import COLUMNS
from stintranet.ledger.models import LedgerEntry, LedgerImport, LedgerRevision
from tests import factories
from tests.ledger.factories import entry_data, make_entry


def upload(client, filename, content):
    return client.post('/ledger/import', data={'file': (io.BytesIO(content), filename)},
                       content_type='multipart/form-data')


def csv_bytes(rows, header=COLUMNS, encoding='utf-8-sig'):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, '') for c in header])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(c, '') for c in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse_csv(data):
    text = data.decode('utf-8-sig')
    return list(csv.DictReader(io.StringIO(text)))


def new_row(department='SALES', responsible='', **overrides):
    row = {
        'department': department, 'title': 'Imported process', 'category': 'customer',
        'items': 'name; email', 'purposes': 'Answering inquiries.',
        'acquisition_route': 'direct_written', 'acquisition_method': 'Web form.',
        'notice_method': 'consent', 'person_band': '100-999', 'person_estimate': '300',
        'medium': 'electronic', 'storage_location': 'Inquiry system.', 'storage_country': 'JP',
        'access_persons': 'Support team.', 'use_period_months': '12',
        'retention_period_months': '24', 'disposal_methods': 'secure_deletion',
        'security_measures': 'access_control; password', 'outsourced': 'no',
        'third_party_provision': 'no', 'responsible': responsible, 'status': 'active',
    }
    row.update(overrides)
    return row


@pytest.fixture
def variety(departments, manager):
    """Entries with every kind of value: special care, abroad, override, free items."""
    return [
        make_entry(responsible=manager, title='Plain orders'),
        make_entry(responsible=manager, title='Health follow-up', category='employee',
                   items=['health', 'name'], free_items=['Clinic notes', 'Sick leave days']),
        make_entry(responsible=manager, title='=HYPERLINK("http://evil")',
                   storage_country='SG', foreign_note='PDPA; contract clauses.\nSecond line.',
                   outsourced=True, outsourcing_note='CRM vendor.',
                   third_party_provision=True, third_party_note='Group company; joint use.'),
        make_entry(responsible=manager, title='Override', special_care_override='yes',
                   special_care_reason='May reveal creed.', disposal_methods='other,shredding',
                   disposal_note='Returned in sealed boxes.', person_band=1,
                   person_estimate=None, status='draft'),
    ]


def snapshot_without_identity(entry):
    return {k: v for k, v in LedgerEntry.get_by_id(entry.id).snapshot().items()}


def test_export_csv_has_every_field_and_is_audited(client, manager, variety):
    """Does the CSV export hold every column and row, and record an export event?"""
    response = client.get('/ledger/export.csv')
    assert response.status_code == 200
    assert response.headers['Content-Type'].startswith('text/csv')
    assert 'attachment; filename="ledger-' in response.headers['Content-Disposition']
    assert response.data.startswith('\ufeff'.encode())
    rows = parse_csv(response.data)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 4
    health = next(r for r in rows if r['title'] == 'Health follow-up')
    assert health['items'] == 'health; name'
    assert health['special_care'] == 'yes'
    assert health['storage_location'] == 'Order database on server db01, Tokyo data centre.'
    evil = next(r for r in rows if 'HYPERLINK' in r['title'])
    assert evil['title'].startswith("'=")  # neutralised for spreadsheets
    event = AuditEvent.get(AuditEvent.action == 'export')
    details = json.loads(event.details)
    assert details['count'] == 4 and details['format'] == 'csv'
    assert 'db01' not in event.details


def test_export_follows_the_filters(client, manager, variety):
    """Does the export hold the current filtered view only?"""
    rows = parse_csv(client.get('/ledger/export.csv?special_care=yes').data)
    assert sorted(r['title'] for r in rows) == ['Health follow-up', 'Override']
    assert client.get('/ledger/export.csv?status=bogus').status_code == 422


def test_export_xlsx_types_text_as_text(client, manager, variety):
    """Does the XLSX export hold the same rows, with formulas stored as plain text?"""
    response = client.get('/ledger/export.xlsx')
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook['Ledger']
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 5
    title_col = COLUMNS.index('title') + 1
    cells = [sheet.cell(row=r, column=title_col) for r in range(2, 6)]
    evil = next(c for c in cells if 'HYPERLINK' in str(c.value))
    assert evil.data_type == 's'
    assert 'Items' in workbook.sheetnames


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_round_trip_gives_the_same_entries(client, manager, variety, fmt):
    """Does exporting and importing again give the same entries (unchanged, and as copies)?"""
    exported = client.get('/ledger/export.%s' % fmt).data
    # 1. Importing the export unchanged changes nothing.
    response = upload(client, 'ledger.%s' % fmt, exported)
    assert response.status_code == 303, response.text
    preview = client.get(response.headers['Location'])
    assert preview.status_code == 200
    assert '4 unchanged' in preview.text
    revisions = LedgerRevision.select().count()
    commit = client.post(response.headers['Location'] + '/commit')
    assert commit.status_code == 303
    assert LedgerRevision.select().count() == revisions
    assert LedgerEntry.select().count() == 4
    # 2. Without references, the same file creates identical copies.
    if fmt == 'csv':
        rows = parse_csv(exported)
        for row in rows:
            row['reference'] = row['version'] = ''
        copy = csv_bytes(rows)
    else:
        workbook = load_workbook(io.BytesIO(exported))
        sheet = workbook['Ledger']
        for row in sheet.iter_rows(min_row=2):
            row[0].value = row[1].value = None
        buffer = io.BytesIO()
        workbook.save(buffer)
        copy = buffer.getvalue()
    response = upload(client, 'copy.%s' % fmt, copy)
    assert response.status_code == 303, response.text
    assert client.post(response.headers['Location'] + '/commit').status_code == 303
    originals = {e.title: snapshot_without_identity(e) for e in variety}
    copies = [e for e in LedgerEntry.select() if e.id not in {v.id for v in variety}]
    assert len(copies) == 4
    for entry in copies:
        assert entry.snapshot() == originals[entry.title], entry.title


def test_import_updates_a_referenced_entry(client, manager, variety):
    """Does a changed cell update its entry, with a revision, after the preview?"""
    rows = parse_csv(client.get('/ledger/export.csv').data)
    target = next(r for r in rows if r['title'] == 'Plain orders')
    target['title'] = 'Plain orders (renamed)'
    target['storage_location'] = 'Moved to db02.'
    response = upload(client, 'edit.csv', csv_bytes([target]))
    assert response.status_code == 303, response.text
    preview = client.get(response.headers['Location']).text
    assert '1 updated' in preview and 'Storage location and method' in preview
    assert client.post(response.headers['Location'] + '/commit').status_code == 303
    entry = LedgerEntry.get(LedgerEntry.title == 'Plain orders (renamed)')
    assert entry.version == 2 and entry.storage_location == 'Moved to db02.'
    event = AuditEvent.get(AuditEvent.action == 'import')
    assert json.loads(event.details)['updated'] == 1
    assert LedgerImport.get_by_id(LedgerImport.select().get().id).content is None


def test_a_bad_row_shows_its_error_and_nothing_is_saved(client, manager, departments):
    """Does one bad row stop the whole file, with the row number and message shown?"""
    rows = [new_row(responsible=manager.email, title='First good'),
            new_row(responsible=manager.email, title='Bad items', items='name; telepathy'),
            new_row(responsible=manager.email, title='Short retention',
                    use_period_months='24', retention_period_months='6'),
            new_row(responsible=manager.email, title='Wrong band', person_band='<100',
                    person_estimate='5000'),
            new_row(responsible=manager.email, title='T' * 201)]
    response = upload(client, 'mixed.csv', csv_bytes(rows))
    assert response.status_code == 422
    text = response.text
    assert 'Row 3' in text and 'Unknown item: telepathy' in text
    assert 'Row 4' in text and 'The retention period (6 months) is shorter' in text
    assert 'Row 5' in text and 'is in the band' in text
    assert 'Row 6' in text and 'Field cannot be longer than 200 characters.' in text
    assert 'Nothing was saved' in text
    assert 'Row 2<' not in text  # the good row has no error line
    assert LedgerEntry.select().count() == 0
    assert LedgerImport.select().count() == 0


@pytest.mark.parametrize('filename,content,message', [
    ('ledger.txt', b'title\nx\n', 'Choose a CSV or XLSX file'),
    ('ledger.pdf', b'%PDF-1.4', 'Choose a CSV or XLSX file'),
    ('ledger.xlsx', b'title,department\nx,SALES\n', 'This is not an XLSX workbook.'),
    ('ledger.csv', b'\x00\x01\x02binary', 'This is not a CSV text file.'),
    ('ledger.csv', b'', 'The file is empty.'),
    ('ledger.csv', 'title,colour,weight\nx,red,3\n'.encode(), 'Unknown columns: “colour”, “weight”'),
    ('ledger.csv', b'title,title\nx,y\n', 'Columns named twice: title.'),
    ('ledger.csv', b'title,department\n', 'has a header row but no entries'),
])
def test_unreadable_files_are_422(client, manager, filename, content, message):
    """Is a file that is not a ledger CSV/XLSX refused with a clear message?"""
    response = upload(client, filename, content)
    assert response.status_code == 422
    assert message in response.text
    assert LedgerImport.select().count() == 0


def test_missing_file_is_422(client, manager):
    """Does pressing the button without a file say so?"""
    response = client.post('/ledger/import', data={}, content_type='multipart/form-data')
    assert response.status_code == 422 and 'Choose a file.' in response.text


def test_xlsx_import_with_japanese_names_and_shift_jis_csv(client, manager, departments):
    """Are items written by their Japanese names accepted, from XLSX and Shift_JIS CSV?"""
    row = new_row(responsible=manager.email, items='氏名; 健康情報（健康診断結果・診療情報）',
                  title='健康診断')
    response = upload(client, 'jp.xlsx', xlsx_bytes([row]))
    assert response.status_code == 303, response.text
    row['title'] = '健康診断（CSV）'
    response = upload(client, 'jp.csv', csv_bytes([row], encoding='cp932'))
    assert response.status_code == 303, response.text


def test_preview_belongs_to_the_uploader_and_expires(client, login_as, manager, departments):
    """Can only the uploader see and commit the stored file, and only until it expires?"""
    response = upload(client, 'one.csv', csv_bytes([new_row(responsible=manager.email)]))
    location = response.headers['Location']
    stored = LedgerImport.get()
    assert b'Inquiry system' not in bytes(database.execute_sql(
        'SELECT content FROM ledger_import').fetchone()[0])
    client.post('/logout')
    login_as('employee', 'manager', department='SALES')  # another SALES manager
    assert client.get(location).status_code == 404
    assert client.post(location + '/commit').status_code == 404
    LedgerImport.update(expires_at=utcnow() - datetime.timedelta(minutes=1)).where(
        LedgerImport.id == stored.id).execute()
    assert importing.purge_expired() == 1
    assert LedgerImport.select().count() == 0


def test_commit_validates_again(client, manager, variety):
    """If the database changed after the preview, does the commit refuse the whole file?"""
    rows = parse_csv(client.get('/ledger/export.csv').data)
    target = next(r for r in rows if r['title'] == 'Plain orders')
    target['title'] = 'Renamed by import'
    newcomer = new_row(responsible=manager.email, title='Newcomer')
    response = upload(client, 'two.csv', csv_bytes([target, newcomer]))
    assert response.status_code == 303
    other = factories.make_user(roles=('employee', 'manager'), department='SALES')
    entry = next(e for e in variety if e.title == 'Plain orders')
    services.update_entry(entry, entry_data(entry.department, other, title='Meanwhile'),
                          expected_version=1, actor=other)
    commit = client.post(response.headers['Location'] + '/commit')
    assert commit.status_code == 422
    assert 'was changed after this file was exported' in commit.text
    assert LedgerEntry.get_or_none(LedgerEntry.title == 'Newcomer') is None
    assert LedgerEntry.get_by_id(entry.id).title == 'Meanwhile'


def test_commit_is_all_or_nothing(app, manager, departments, monkeypatch):
    """If writing a later row fails, are the earlier rows of the file undone?"""
    content = csv_bytes([new_row(responsible=manager.email, title='Row A'),
                         new_row(responsible=manager.email, title='Row B')])
    upload_row = importing.store('two.csv', 'csv', content, manager)
    real = services.create_entry
    calls = []

    def failing(data, **kwargs):
        calls.append(data['title'])
        if len(calls) == 2:
            raise RuntimeError('disk full')
        return real(data, **kwargs)

    monkeypatch.setattr(services, 'create_entry', failing)
    with pytest.raises(RuntimeError):
        importing.commit(upload_row, manager)
    assert calls == ['Row A', 'Row B']
    assert LedgerEntry.select().count() == 0
    assert LedgerImport.get_by_id(upload_row.id).committed_at is None


def test_rows_for_other_departments_are_refused(client, manager, hr_entry):
    """Can an import create or update another department's entries?"""
    rows = [new_row(department='HR', responsible=manager.email, title='Into HR'),
            new_row(responsible=manager.email, reference=hr_entry.reference, title='Hijack')]
    response = upload(client, 'other.csv', csv_bytes(rows))
    assert response.status_code == 422
    assert 'Choose one of the departments you manage.' in response.text
    assert 'No entry %s in the departments you manage' % hr_entry.reference in response.text
    assert 'Annual health checks' not in response.text


def test_unknown_responsible_and_bad_values(client, manager, departments):
    """Are a stranger's e-mail, a yes/no typo and a bad date each reported at their column?"""
    rows = [new_row(responsible='ghost@example.com'),
            new_row(responsible=manager.email, outsourced='maybe'),
            new_row(responsible=manager.email, next_review_due='next spring'),
            new_row(responsible=manager.email, status='retired')]
    response = upload(client, 'values.csv', csv_bytes(rows))
    assert response.status_code == 422
    text = response.text
    assert 'No active account has the e-mail “ghost@example.com”.' in text
    assert 'Write yes or no, not “maybe”.' in text
    assert 'Write the date as YYYY-MM-DD, not “next spring”.' in text
    assert 'The import does not retire entries' in text


def test_template_download(client, manager):
    """Does the template carry the import's columns and nothing else?"""
    response = client.get('/ledger/import/template.csv')
    assert response.status_code == 200
    assert response.data.decode('utf-8-sig').strip() == ','.join(COLUMNS)


def test_deactivated_responsible_person_survives_a_round_trip(client, manager, departments):
    """Does re-importing an entry whose responsible person left keep it unchanged, while
    naming that person on a new entry is refused?"""
    leaver = factories.make_user(roles=('employee',), department='SALES')
    entry = make_entry(responsible=leaver, title='Kept by a leaver')
    leaver.active = False
    leaver.save()
    rows = parse_csv(client.get('/ledger/export.csv').data)
    assert rows[0]['responsible'] == leaver.email
    response = upload(client, 'same.csv', csv_bytes(rows))
    assert response.status_code == 303, response.text
    assert '1 unchanged' in client.get(response.headers['Location']).text
    fresh = new_row(responsible=leaver.email, title='New with a leaver')
    refused = upload(client, 'new.csv', csv_bytes([fresh]))
    assert refused.status_code == 422
    assert 'No active account has the e-mail' in refused.text
    assert LedgerEntry.get_by_id(entry.id).responsible_id == leaver.id

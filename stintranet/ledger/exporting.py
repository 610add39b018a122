"""Ledger exports: CSV (UTF-8 with BOM, for Excel) and XLSX, one row per entry.

The columns are the import's columns, so an exported file imports back to the
same entries. Cells that a spreadsheet would run as a formula are neutralised:
CSV cells get a leading apostrophe (the import removes it again), XLSX cells
are typed as text.
"""
import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..exports import neutralise
from . import catalogue as C

COLUMNS = (
    'reference', 'version', 'department', 'title', 'category', 'items', 'free_items',
    'special_care', 'special_care_override', 'special_care_reason', 'purposes',
    'acquisition_route', 'acquisition_method', 'notice_method', 'notice_details',
    'minors', 'guardian_consent', 'guardian_consent_note', 'person_band', 'person_estimate',
    'medium', 'storage_location', 'storage_country',
    'foreign_note', 'access_persons', 'use_period_months', 'use_period_note',
    'retention_period_months', 'retention_period_note', 'disposal_methods', 'disposal_note',
    'security_measures', 'security_details', 'outsourced', 'outsourcing_note',
    'third_party_provision', 'third_party_note', 'responsible', 'status',
    'last_reviewed_on', 'next_review_due', 'retired_on', 'retired_reason', 'updated_at',
)
# Shown in the export, ignored by the import: derived or set by the app.
READ_ONLY = frozenset(('special_care', 'retired_on', 'retired_reason', 'updated_at'))
LIST_SEPARATOR = '; '

CSV_MIMETYPE = 'text/csv; charset=utf-8'
XLSX_MIMETYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


def yes_no(value):
    return 'yes' if value else 'no'


def row_of(entry):
    """The export cells of an entry (decrypts its encrypted fields)."""
    snap = entry.snapshot()
    row = {}
    for column in COLUMNS:
        if column == 'reference':
            value = entry.reference
        elif column == 'version':
            value = entry.version
        elif column == 'special_care':
            value = yes_no(entry.special_care)
        elif column in ('items', 'free_items', 'disposal_methods', 'security_measures'):
            value = LIST_SEPARATOR.join(snap[column])
        elif column in ('outsourced', 'third_party_provision'):
            value = yes_no(snap[column])
        elif column == 'person_band':
            value = C.BAND_CODES.get(entry.person_band, '')
        elif column == 'updated_at':
            value = entry.updated_at.strftime('%Y-%m-%dT%H:%M:%SZ') if entry.updated_at else ''
        else:
            value = snap.get(column)
        row[column] = '' if value is None else value
    return row


def to_csv(entries):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow(COLUMNS)
    for entry in entries:
        row = row_of(entry)
        writer.writerow([neutralise(row[c]) for c in COLUMNS])
    return ('\ufeff' + buffer.getvalue()).encode('utf-8')


def to_xlsx(entries):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet('Ledger')
    sheet.freeze_panes = 'A2'
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for entry in entries:
        row = row_of(entry)
        cells = []
        for column in COLUMNS:
            value = row[column]
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = 's'  # never a formula
            cells.append(cell)
        sheet.append(cells)
    items = workbook.create_sheet('Items')
    items.append(['code', 'name', 'name_ja', 'special_care'])
    for item in C.ITEMS:
        items.append([item.code, str(item.label), item.ja, yes_no(item.special_care)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

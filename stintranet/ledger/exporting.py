"""Ledger exports: CSV (UTF-8 with BOM, for Excel) and XLSX, one row per entry.

The columns are the import's columns, so an exported file imports back to the
same entries. Cells that a spreadsheet would run as a formula are neutralised:
CSV cells get a leading apostrophe (the import removes it again), XLSX cells
are typed as text.

In English the header row names the columns by their codes and the cells hold the
codes of the choice lists (the file format scripts and the import template use). In
Japanese the header and the choices are written in words (業務名, 個人情報の区分: 顧客,
はい / いいえ); the import reads codes and the words of either language alike, so a
Japanese export imports back too.
"""
import csv
import io

from flask_babel import get_locale, lazy_pgettext, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

# The header of each column when written in words.
COLUMN_LABELS = {
    'reference': lazy_pgettext('ledger', 'Number'),
    'version': _l('Version'),
    'department': _l('Section in charge'),
    'title': _l('Business process'),
    'category': _l('Category of personal information'),
    'items': _l('Items of personal data'),
    'free_items': _l('Other items'),
    'special_care': _l('Special-care-required personal information'),
    'special_care_override': _l('Special-care classification'),
    'special_care_reason': _l('Reason for the change'),
    'purposes': _l('Purposes of use'),
    'acquisition_route': _l('How acquired'),
    'acquisition_method': _l('Acquisition details'),
    'notice_method': _l('Notice of purpose or consent'),
    'notice_details': _l('Notice or consent details'),
    'minors': _l('Minors'),
    'guardian_consent': _l("Legal representative's consent"),
    'guardian_consent_note': _l('Consent details'),
    'person_band': _l('Number of persons'),
    'person_estimate': _l('Estimated number of persons'),
    'medium': lazy_pgettext('storage', 'Medium'),
    'storage_location': _l('Storage location and method'),
    'storage_country': _l('Storage country'),
    'foreign_note': _l('Foreign regime and measures taken'),
    'access_persons': _l('Persons with access rights'),
    'use_period_months': _l('Use period (months)'),
    'use_period_note': _l('Use period starts'),
    'retention_period_months': _l('Retention period (months)'),
    'retention_period_note': _l('Retention period starts'),
    'disposal_methods': _l('Disposal methods'),
    'disposal_note': _l('Disposal details'),
    'security_measures': _l('Security measures'),
    'security_details': _l('Security measure details'),
    'outsourced': _l('Handling outsourced'),
    'outsourcing_note': _l('Contractors and outsourced work'),
    'third_party_provision': _l('Provided to third parties'),
    'third_party_note': _l('Recipients and legal basis'),
    'responsible': _l('Responsible person'),
    'status': _l('Status'),
    'last_reviewed_on': _l('Last reviewed'),
    'next_review_due': _l('Next review due'),
    'retired_on': _l('Retired on'),
    'retired_reason': _l('Reason for retirement'),
    'updated_at': _l('Last changed (UTC)'),
}
# The columns holding a code of a choice list, and those holding several.
CHOICES = {
    'category': C.CATEGORIES, 'acquisition_route': C.ACQUISITION_ROUTES,
    'notice_method': C.NOTICE_METHODS, 'medium': C.MEDIA, 'status': C.STATUSES,
    'special_care_override': C.SPECIAL_CARE_OVERRIDES, 'minors': C.MINORS,
    'guardian_consent': C.GUARDIAN_CONSENT_METHODS,
}
LIST_CHOICES = {'disposal_methods': C.DISPOSAL_METHODS, 'security_measures': C.SECURITY_MEASURES}


def in_words():
    """Whether this export is written in words: in every language but English."""
    return str(get_locale() or 'en') != 'en'


def header_row():
    words = in_words()
    return [str(COLUMN_LABELS[c]) if words else c for c in COLUMNS]


def yes_no(value, words=False):
    if words:
        return pgettext('export', 'yes') if value else pgettext('export', 'no')
    return 'yes' if value else 'no'


def _word(choices, code):
    for value, label in choices:
        if value == code:
            return str(label)
    return code


def row_of(entry, words=False):
    """The export cells of an entry (decrypts its encrypted fields); with ``words``, the
    choices as labels in the current language instead of codes."""
    snap = entry.snapshot()
    row = {}
    for column in COLUMNS:
        if column == 'reference':
            value = entry.reference
        elif column == 'version':
            value = entry.version
        elif column == 'special_care':
            value = yes_no(entry.special_care, words)
        elif words and column == 'items':
            value = LIST_SEPARATOR.join(str(C.item_label(code)) for code in snap[column])
        elif words and column in LIST_CHOICES:
            value = LIST_SEPARATOR.join(_word(LIST_CHOICES[column], code)
                                        for code in snap[column])
        elif column in ('items', 'free_items', 'disposal_methods', 'security_measures'):
            value = LIST_SEPARATOR.join(snap[column])
        elif column in ('outsourced', 'third_party_provision'):
            value = yes_no(snap[column], words)
        elif words and column in CHOICES:
            value = _word(CHOICES[column], snap.get(column) or '')
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
    writer.writerow(header_row())
    words = in_words()
    for entry in entries:
        row = row_of(entry, words)
        writer.writerow([neutralise(row[c]) for c in COLUMNS])
    return ('\ufeff' + buffer.getvalue()).encode('utf-8')


def to_xlsx(entries):
    workbook = Workbook(write_only=True)
    words = in_words()
    sheet = workbook.create_sheet(_('Ledger') if words else 'Ledger')
    sheet.freeze_panes = 'A2'
    bold = Font(bold=True)
    header = []
    for name in header_row():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for entry in entries:
        row = row_of(entry, words)
        cells = []
        for column in COLUMNS:
            value = row[column]
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = 's'  # never a formula
            cells.append(cell)
        sheet.append(cells)
    items = workbook.create_sheet(_('Items of personal data') if words else 'Items')
    if words:
        items.append([_('Code'), _('Name'), _('Name in Japanese'),
                      str(COLUMN_LABELS['special_care'])])
    else:
        items.append(['code', 'name', 'name_ja', 'special_care'])
    for item in C.ITEMS:
        items.append([item.code, str(item.label), item.ja, yes_no(item.special_care, words)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

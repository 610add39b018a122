"""Ledger imports from CSV or XLSX: parse, validate every row, preview, commit all or none.

Between the preview and the commit the uploaded file waits in
``LedgerImport``: encrypted, owned by the uploader, expiring after an hour.
The commit request carries only the import's id; the server parses and
validates the stored file again, against the database as it is then, inside
the transaction that writes the rows. Nothing the browser sends back from
the preview is trusted, and a row that became invalid meanwhile stops the
whole import.

Each row is validated by the entry form itself, so an imported entry obeys
exactly the rules of one typed in.
"""
import csv
import datetime
import io
import json
import os

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import auditlog, spreadsheets
from ..auth.models import Department, User
from ..db import database, utcnow
from ..languages import in_every_language
from ..timezone import today_local
from . import catalogue as C
from . import exporting, services
from .exporting import COLUMNS, READ_ONLY
from .forms import EntryForm, catalogue_code, form_choices, form_data_of
from .models import LedgerEntry, LedgerImport, add_months, review_months

FORMATS = ('csv', 'xlsx')
LIST_SPLIT = (';', '\n', '、', '；')
YES = {'yes', 'y', 'true', '1', 'はい', '有', 'あり', '○'}
NO = {'no', 'n', 'false', '0', 'いいえ', '無', 'なし', '×', ''}


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


class Row:
    """One data row: what it would do, and its errors as (column, message)."""

    def __init__(self, number, values):
        self.number = number
        self.values = values
        self.errors = []
        self.action = None
        self.entry = None
        self.data = None
        self.changed = []

    @property
    def reference(self):
        return self.entry.reference if self.entry is not None else (
            self.values.get('reference') or '')

    @property
    def title(self):
        return self.values.get('title') or (self.entry.title if self.entry is not None else '')

    def error(self, column, message):
        self.errors.append((column, str(message)))


class ImportResult:
    def __init__(self, filename, file_format, columns, rows):
        self.filename, self.file_format = filename, file_format
        self.columns, self.rows = columns, rows

    @property
    def error_rows(self):
        return [r for r in self.rows if r.errors]

    @property
    def ok(self):
        return bool(self.rows) and not self.error_rows

    def count(self, action):
        return sum(1 for r in self.rows if not r.errors and r.action == action)

    def summary(self):
        return {'rows': len(self.rows), 'created': self.count('create'),
                'updated': self.count('update'), 'unchanged': self.count('unchanged'),
                'errors': len(self.error_rows)}


def file_format(filename):
    ext = os.path.splitext(filename or '')[1].lower().lstrip('.')
    if ext not in FORMATS:
        raise ImportFileError(
            _('Choose a CSV or XLSX file; “%(name)s” is neither.',
              name=os.path.basename(filename or '') or _('the file')))
    return ext


def _cell(value):
    """A cell as text: numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace('\x00', '')  # nobody types NUL; PostgreSQL cannot store it
    # The export's guard against spreadsheet formulas; undo it.
    if len(text) > 1 and text[0] == "'" and text[1] in '=+-@\t\r':
        text = text[1:]
    return text.strip()


def read_table(filename, content):
    """(format, header, [(row number, cells)]) or ImportFileError."""
    fmt = file_format(filename)
    max_rows = current_app.config['LEDGER_IMPORT_MAX_ROWS']
    if not content:
        raise ImportFileError(_('The file is empty.'))
    if len(content) > current_app.config['LEDGER_IMPORT_MAX_BYTES']:
        raise ImportFileError(_('The file is larger than %(n)d MB.',
                                n=current_app.config['LEDGER_IMPORT_MAX_BYTES'] // 2 ** 20))
    if fmt == 'csv':
        rows = _read_csv(content, max_rows)
    else:
        rows = _read_xlsx(content, max_rows)
    rows = [(n, cells) for n, cells in rows if any(_cell(c) for c in cells)]
    if not rows:
        raise ImportFileError(_('The file has no header row.'))
    header, data = rows[0][1], rows[1:]
    names = column_names()
    header = [names.get(_cell(h).casefold(), _cell(h).lower()) for h in header]
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportFileError(_(
            'Unknown columns: %(names)s. The first row must name columns of the export '
            '(%(first)s…); download the template to see them all.',
            names=', '.join('“%s”' % (h or _('(blank)')) for h in unknown),
            first=', '.join(COLUMNS[:4])))
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise ImportFileError(_('Columns named twice: %(names)s.', names=', '.join(duplicates)))
    if not data:
        raise ImportFileError(_('The file has a header row but no entries.'))
    if len(data) > max_rows:
        raise ImportFileError(_('The file has %(n)d rows; at most %(max)d can be imported '
                                'at once.', n=len(data), max=max_rows))
    for number, cells in data:
        extra = [c for c in cells[len(header):] if _cell(c)]
        if extra:
            raise ImportFileError(_('Row %(n)d has values beyond the last named column.',
                                    n=number))
    return fmt, header, data


def column_names():
    """{a header as written: its column}: the codes, and the labels of the export in
    English and Japanese (casefolded)."""
    names = {}
    for column in COLUMNS:
        names[column] = column
        for label in in_every_language(exporting.COLUMN_LABELS[column]):
            names.setdefault(label.casefold(), column)
    return names


def _read_csv(content, max_rows):
    if b'\x00' in content:
        raise ImportFileError(_('This is not a CSV text file.'))
    for encoding in ('utf-8-sig', 'cp932'):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_('The CSV file is neither UTF-8 nor Shift_JIS text.'))
    try:
        reader = csv.reader(io.StringIO(text, newline=''))
        rows = []
        for number, cells in enumerate(reader, start=1):
            rows.append((number, cells))
            if len(rows) > max_rows + 1:
                break
        return rows
    except csv.Error as exc:
        raise ImportFileError(_('The CSV file cannot be read: %(error)s.', error=exc)) from None


def _read_xlsx(content, max_rows):
    """The sheet "Ledger" (else the first), read within the limits of ``spreadsheets``:
    the header row and, after it, only the columns it names."""
    try:
        number, header, data = spreadsheets.read_table(content, max_rows, sheet_name='Ledger')
    except spreadsheets.WorkbookRefused as exc:
        raise ImportFileError(str(exc)) from None
    return [(number, header)] + data if header else []


def _split(text):
    """The parts of a list cell; a separator inside brackets is part of a name
    (健康情報（健康診断の結果、診断名）)."""
    parts, current, depth = [], [], 0
    for char in text:
        if char in '(（':
            depth += 1
        elif char in ')）':
            depth = max(0, depth - 1)
        if depth == 0 and char in LIST_SPLIT:
            parts.append(''.join(current))
            current = []
        else:
            current.append(char)
    parts.append(''.join(current))
    return [p.strip() for p in parts if p.strip()]


def _choice(choices, text):
    """A code from its code or its label in either language, case-insensitive; unknown
    text unchanged."""
    key = text.strip().casefold()
    for code, label in choices:
        if key == str(code).casefold() or key in (
                form.casefold() for form in in_every_language(label)):
            return str(code)
    return text.strip()


def _parse_date(text):
    text = text.strip()
    if not text:
        return None
    for fmt in ('%Y-%m-%d', '%Y/%m/%d', '%Y-%m-%dT%H:%M:%S', '%Y.%m.%d'):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class Lookups:
    """What validating rows needs from the database, fetched once per file."""

    def __init__(self, user, references):
        self.user = user
        self.departments = {d.code.upper(): d for d in Department.select()}
        self.dept_codes = {d.id: d.code for d in self.departments.values()}
        self.people = {u.email.lower(): u for u in
                       User.select(User.id, User.email, User.active)}
        self.emails = {u.id: u.email for u in self.people.values()}
        ids = [i for i in (LedgerEntry.id_from_reference(r) for r in references) if i]
        found = list(LedgerEntry.visible_to(user).where(LedgerEntry.id.in_(ids or [0])))
        self.entries = {e.id: e for e in LedgerEntry.attach_items(found)
                        if e.editable_by(user)}
        # A deactivated person stays acceptable on the entries they are responsible for.
        self.choices = form_choices(user, keep_responsible={
            e.responsible_id for e in self.entries.values() if e.responsible_id})
        self.interval = review_months()
        self.today = today_local()


def _formdata(row, entry, lookups):
    """Merge the row over the entry's current values, as the entry form's input."""
    base = form_data_of(entry) if entry is not None else {'storage_country': C.HOME_COUNTRY,
                                                          'status': 'draft'}
    data = MultiDict()
    for key, value in base.items():
        if isinstance(value, list):
            for item in value:
                data.add(key, item)
        elif isinstance(value, bool):
            if value:
                data.add(key, 'y')
        elif value is not None:
            data.add(key, str(value))
    values = row.values

    def put(key, value):
        data.poplist(key)
        if isinstance(value, list):
            for item in value:
                data.add(key, item)
        elif value is not None:
            data.add(key, value)

    for column, text in values.items():
        if column in READ_ONLY or column in ('reference', 'version', 'last_reviewed_on',
                                             'next_review_due'):
            continue
        if column == 'department':
            dept = lookups.departments.get(text.strip().upper())
            put('department', str(dept.id) if dept else text)
        elif column == 'items':
            put('items', [catalogue_code(t) or t for t in _split(text)])
        elif column == 'free_items':
            put('free_items', '\n'.join(_split(text)))
        elif column in ('disposal_methods', 'security_measures'):
            choices = C.DISPOSAL_METHODS if column == 'disposal_methods' else C.SECURITY_MEASURES
            put(column, [_choice(choices, t) for t in _split(text)])
        elif column in ('outsourced', 'third_party_provision'):
            key = text.strip().casefold()
            if key in YES:
                put(column, 'y')
            elif key in NO:
                put(column, None)
            else:
                row.error(column, _('Write yes or no, not “%(value)s”.', value=text))
        elif column == 'person_band':
            band = {v: str(k) for k, v in C.BAND_CODES.items()}.get(text.strip().replace(',', ''))
            put(column, band or _choice([(str(k), v) for k, v in C.BANDS], text))
        elif column in ('person_estimate', 'use_period_months', 'retention_period_months'):
            put(column, text.replace(',', '').strip())
        elif column == 'category':
            put(column, _choice(C.CATEGORIES, text))
        elif column == 'acquisition_route':
            put(column, _choice(C.ACQUISITION_ROUTES, text))
        elif column == 'notice_method':
            put(column, _choice(C.NOTICE_METHODS, text))
        elif column == 'medium':
            put(column, _choice(C.MEDIA, text))
        elif column == 'status':
            put(column, _choice(C.STATUSES, text))
        elif column == 'special_care_override':
            put(column, _choice(C.SPECIAL_CARE_OVERRIDES, text))
        elif column == 'minors':
            put(column, _choice(C.MINORS, text) if text.strip() else 'unknown')
        elif column == 'guardian_consent':
            put(column, _choice(C.GUARDIAN_CONSENT_METHODS, text))
        elif column == 'storage_country':
            put(column, _choice(lookups.choices.countries, text).upper() if text.strip()
                else C.HOME_COUNTRY)
        elif column == 'responsible':
            email = text.strip().lower()
            person = lookups.people.get(email)
            if not email:
                put(column, '')
            elif person is None or not (person.active or (
                    entry is not None and entry.responsible_id == person.id)):
                row.error(column, _('No active account has the e-mail “%(email)s”.',
                                    email=text.strip()))
            else:
                put(column, str(person.id))
        else:
            put(column, text)
    return data


def _review_dates(row, entry, lookups):
    """The row's review dates, checked: (last, next) or None each."""
    found = {}
    for column in ('last_reviewed_on', 'next_review_due'):
        text = row.values.get(column, '')
        try:
            found[column] = _parse_date(text)
        except ValueError:
            row.error(column, _('Write the date as YYYY-MM-DD, not “%(value)s”.', value=text))
            found[column] = None
    last, due = found['last_reviewed_on'], found['next_review_due']
    if last and last > lookups.today:
        row.error('last_reviewed_on', _('The last review cannot be in the future.'))
    reference = last or (entry.last_reviewed_on if entry is not None else None) or lookups.today
    if due is not None:
        if due < reference:
            row.error('next_review_due', _('The next review is before the last one.'))
        elif due > add_months(reference, lookups.interval):
            row.error('next_review_due', _('The next review must be within %(n)d months of '
                                           'the last one.', n=lookups.interval))
    return last, due


def validate_row(row, lookups, seen):
    """Fill ``row.action``, ``row.data`` and ``row.errors``."""
    entry = None
    reference = row.values.get('reference', '').strip()
    if reference:
        entry_id = LedgerEntry.id_from_reference(reference)
        entry = lookups.entries.get(entry_id) if entry_id else None
        if entry is None:
            row.error('reference', _('No entry %(ref)s in the departments you manage; leave '
                                     'the reference empty to create a new entry.',
                                     ref=reference))
            return
        if entry.id in seen:
            row.error('reference', _('%(ref)s appears on row %(n)d too.',
                                     ref=entry.reference, n=seen[entry.id]))
            return
        seen[entry.id] = row.number
        row.entry = entry
        version = row.values.get('version', '').strip()
        if version and version != str(entry.version):
            row.error('version', _('%(ref)s was changed after this file was exported '
                                   '(version %(old)s, now %(new)d); export it again.',
                                   ref=entry.reference, old=version, new=entry.version))
            return
    status = row.values.get('status', '').strip().casefold()
    retiring = status in ('retired', str(C.label_of(C.STATUSES, 'retired')).casefold())
    if entry is not None and entry.is_retired:
        if _retired_unchanged(row, entry):
            row.action = 'unchanged'
        else:
            row.error('status', _('%(ref)s is retired; reinstate it on its page before '
                                  'changing it.', ref=entry.reference))
        return
    if retiring:
        row.error('status', _('The import does not retire entries; retire them on their '
                              'page.'))
        return
    formdata = _formdata(row, entry, lookups)
    form = EntryForm(formdata=formdata, meta={'csrf': False}, choices=lookups.choices)
    if not form.validate():
        for name, messages in form.errors.items():
            for message in messages:
                row.error(_column_of(name), message)
    last, due = _review_dates(row, entry, lookups)
    if row.errors:
        return
    data = form.entry_data()
    if last:
        data['last_reviewed_on'] = last
    if due:
        data['next_review_due'] = due
    row.data = data
    if entry is None:
        row.action = 'create'
    else:
        row.changed = _changes(entry, data, lookups)
        row.action = 'update' if row.changed else 'unchanged'


def _column_of(field_name):
    return field_name if field_name in COLUMNS else 'row'


def _changes(entry, data, lookups):
    """The fields that ``data`` changes in ``entry`` (names)."""
    current = entry.snapshot()
    proposed = services.snapshot_of_data(data, lookups.dept_codes, lookups.emails)
    return [name for name, value in proposed.items() if value != current.get(name)]


def _normalised(column, text):
    """A cell as a comparable value: codes for the choices, whichever words the file
    used."""
    if column == 'items':
        return sorted((catalogue_code(t) or t).casefold() for t in _split(text))
    if column in exporting.LIST_CHOICES:
        return sorted(_choice(exporting.LIST_CHOICES[column], t).casefold()
                      for t in _split(text))
    if column == 'free_items':
        return sorted(t.casefold() for t in _split(text))
    if column in exporting.CHOICES:
        return _choice(exporting.CHOICES[column], text or '').casefold()
    if column in ('outsourced', 'third_party_provision', 'special_care'):
        key = (text or '').strip().casefold()
        return 'yes' if key in YES else 'no' if key in NO else key
    return (text or '').strip().casefold()


def _retired_unchanged(row, entry):
    """Whether the row repeats a retired entry as exported."""
    exported = exporting.row_of(entry)
    for column, text in row.values.items():
        if column in ('reference', 'version') or column in READ_ONLY:
            continue
        if _normalised(column, _cell(exported[column])) != _normalised(column, text):
            return False
    return True


def validate(filename, content, user):
    """Read and validate a whole file; ImportFileError when it cannot be read."""
    fmt, header, data = read_table(filename, content)
    rows = []
    for number, cells in data:
        values = {column: _cell(cells[i]) if i < len(cells) else ''
                  for i, column in enumerate(header)}
        rows.append(Row(number, values))
    lookups = Lookups(user, [r.values.get('reference', '') for r in rows])
    seen = {}
    for row in rows:
        validate_row(row, lookups, seen)
    result = ImportResult(os.path.basename(filename), fmt, header, rows)
    return result


def store(filename, fmt, content, user):
    """Keep the uploaded file, encrypted, until its commit or expiry."""
    ttl = datetime.timedelta(minutes=current_app.config['LEDGER_IMPORT_TTL_MINUTES'])
    with database.atomic():
        upload = LedgerImport(uploader=user.id, created_at=utcnow(), expires_at=utcnow() + ttl,
                              filename=os.path.basename(filename)[:200], file_format=fmt,
                              content=content)
        upload.save(force_insert=True)
        auditlog.record('import_upload', upload, actor=user,
                        details={'file': upload.filename, 'format': fmt,
                                 'bytes': len(content)})
    return upload


class ImportFailed(Exception):
    """The commit found errors; nothing was saved."""

    def __init__(self, result):
        super().__init__('import has errors')
        self.result = result


def commit(upload, user):
    """Validate the stored file again and write every row, or none."""
    with database.atomic() as transaction:
        result = validate(upload.filename, upload.content, user)
        if not result.ok:
            transaction.rollback()
            raise ImportFailed(result)
        try:
            for row in result.rows:
                if row.action == 'create':
                    row.entry = services.create_entry(row.data, actor=user)
                elif row.action == 'update':
                    services.update_entry(row.entry, row.data, expected_version=row.entry.version,
                                          actor=user, review_kind='imported')
        except services.StaleEntry as exc:
            transaction.rollback()
            for row in result.rows:
                if row.entry is not None and row.entry.id == exc.entry.id:
                    row.error('version', _('%(ref)s was changed by someone else during the '
                                           'import.', ref=row.entry.reference))
            raise ImportFailed(result) from None
        upload.committed_at = utcnow()
        upload.content = None
        upload.summary = json.dumps(result.summary())
        upload.save()
        auditlog.record('import', upload, actor=user,
                        details=dict(result.summary(), file=upload.filename,
                                     format=upload.file_format))
    return result


def purge_expired(now=None):
    """Delete uploads past their expiry that were never committed; return how many."""
    now = now or utcnow()
    with database.atomic():
        return LedgerImport.delete().where(LedgerImport.committed_at.is_null()
                                           & (LedgerImport.expires_at <= now)).execute()

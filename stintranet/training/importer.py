"""CSV or XLSX import of completions from an external training system: all rows or none.

Why the upload is kept server-side: the preview must not trust the client. A
file without errors is stored sealed (``TrainingImport.content``, AES-GCM) with
its uploader, SHA-256 and a one-hour expiry; the confirm button posts only the
import's id. On confirm the stored bytes are parsed and validated again against
the database as it is then (an account deactivated or a course retired since
the preview turns the import down), and every row is applied in one
transaction or none is. Only the uploader can see or apply their upload; the
content is erased once applied or discarded, and the daily job erases expired
ones.
"""
import csv
import datetime
import hashlib
import io
import re
import unicodedata

from flask_babel import gettext as _
from peewee import fn

from .. import auditlog, spreadsheets
from ..auth.models import User
from ..db import database, utcnow
from ..inputs import int_arg
from .models import (
    COMPLETED,
    IMPORT,
    OPEN,
    PUBLISHED,
    Assignment,
    Course,
    CourseDepartment,
    TrainingImport,
)
from .services import Conflict, _complete, sync_course

MAX_BYTES = 2 * 1024 * 1024
# An .xlsx file is a zip archive; anything else is read as CSV text.
ZIP_MAGIC = b'PK\x03\x04'
MAX_ROWS = 5000
EXPIRY = datetime.timedelta(hours=1)
EARLIEST = datetime.date(2000, 1, 1)

COLUMNS = ('email', 'course_code', 'completed_on', 'score')
ALIASES = {
    'email': 'email', 'e_mail': 'email', 'employee_email': 'email', 'mail': 'email',
    'course_code': 'course_code', 'course': 'course_code', 'code': 'course_code',
    'completed_on': 'completed_on', 'completed_date': 'completed_on',
    'completed': 'completed_on', 'completion_date': 'completed_on', 'date': 'completed_on',
    'score': 'score',
    # The same columns as a Japanese office heads them (and as the Japanese exports do).
    'メールアドレス': 'email', 'メール': 'email', 'eメール': 'email', 'e_メール': 'email',
    'コースコード': 'course_code', 'コード': 'course_code', 'コース': 'course_code',
    '修了日': 'completed_on', '完了日': 'completed_on', '受講日': 'completed_on',
    '得点': 'score', '点数': 'score', 'スコア': 'score',
}
DATE_PATTERN = re.compile(r'^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$')


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


class ImportRow:
    def __init__(self, line, email, course_code, completed, score):
        self.line = line
        self.email, self.course_code = email, course_code
        self.completed_raw, self.score_raw = completed, score
        self.errors = []
        self.user = self.course = None
        self.completed_on = self.score = None
        self.assignment_id = None  # the open assignment it completes, if one exists

    @property
    def ok(self):
        return not self.errors


def decode(content):
    """UTF-8 (with or without BOM); Excel's Japanese CSV (cp932) as a fallback."""
    for encoding in ('utf-8-sig', 'cp932'):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_('The file is neither UTF-8 nor Shift_JIS text. Save it as '
                            'CSV (UTF-8) and upload it again.'))


def _header_key(name):
    """The column a header names, in English or Japanese (full-width letters and spaces
    read as half-width)."""
    text = unicodedata.normalize('NFKC', name or '').strip().lower()
    return ALIASES.get(re.sub(r'[\s\-]+', '_', text))


def _csv_table(content):
    """(header, iterator of (line number, cells)) of CSV text."""
    text = decode(content)
    reader = csv.reader(io.StringIO(text, newline=''))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileError(_('The file has no header row.')) from None

    def rows():
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error as exc:
            raise ImportFileError(_('Line %(n)d cannot be read as CSV: %(error)s',
                                    n=reader.line_num, error=str(exc))) from None
    return header, rows()


def _xlsx_table(content):
    """(header, [(row number, cells)]) of the workbook's first sheet, read within the
    limits of ``spreadsheets`` (the archive checked first, only the header's columns
    read, at most ``MAX_ROWS`` + 1 rows)."""
    try:
        _number, header, rows = spreadsheets.read_table(content, MAX_ROWS)
    except spreadsheets.WorkbookRefused as exc:
        raise ImportFileError(str(exc)) from None
    if not header:
        raise ImportFileError(_('The file has no header row.'))
    return ([_text(h) for h in header],
            [(number, [_text(c) for c in cells]) for number, cells in rows])


def _text(value):
    """A workbook cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers
    without '.0'."""
    if value is None:
        return ''
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse(content):
    """The rows of the CSV or XLSX file (bytes); ImportFileError when the file is
    unusable."""
    if not content or not content.strip():
        raise ImportFileError(_('The file is empty.'))
    if len(content) > MAX_BYTES:
        raise ImportFileError(_('The file is larger than 2 MB; split it.'))
    header, table = (_xlsx_table(content) if content.startswith(ZIP_MAGIC)
                     else _csv_table(content))
    position, rows = _positions(header), []
    for line, values in table:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_('The file has more than %(n)d rows; split it.',
                                    n=MAX_ROWS))
        cells = [values[position[c]].strip() if position[c] < len(values) else ''
                 for c in COLUMNS]
        rows.append(ImportRow(line, *cells))
    if not rows:
        raise ImportFileError(_('The file has a header but no rows.'))
    return rows


def _positions(header):
    """{column: its index} from the header row; ImportFileError when one is missing."""
    keys = [_header_key(h) for h in header]
    missing = [c for c in COLUMNS if c not in keys]
    if missing:
        raise ImportFileError(_(
            'The header row must name the columns email, course_code, completed_on and '
            'score (or メールアドレス, コースコード, 修了日 and 得点); missing: %(cols)s.',
            cols=', '.join(missing)))
    return {c: keys.index(c) for c in COLUMNS}


def _parse_date(raw):
    match = DATE_PATTERN.match(raw)
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def validate(rows, today):
    """Attach every row's errors, looking everything up in a fixed number of queries."""
    emails = {User.normalise_email(r.email) for r in rows if r.email}
    codes = {r.course_code.strip().upper() for r in rows if r.course_code}
    users = {u.email: u for u in User.select().where(User.email.in_(list(emails)))} \
        if emails else {}
    courses = {c.code: c for c in Course.select().where(Course.code.in_(list(codes)))} \
        if codes else {}
    published = [c for c in courses.values() if c.status == PUBLISHED]
    members, current = set(), {}
    if published and users:
        user_ids = [u.id for u in users.values()]
        for course in published:
            course._department_ids = frozenset()
        for row in CourseDepartment.select().where(
                CourseDepartment.course.in_([c.id for c in published])):
            course = next(c for c in published if c.id == row.course_id)
            course._department_ids = course._department_ids | {row.department_id}
        for course in published:
            for member in course.member_ids().where(User.id.in_(user_ids)):
                members.add((course.id, member.id))
        for a in Assignment.select().where(
                Assignment.user.in_(user_ids) & (Assignment.is_current == True)  # noqa: E712
                & Assignment.course.in_([c.id for c in published])):
            current[(a.course_id, a.user_id)] = a
    seen = {}
    for row in rows:
        email = User.normalise_email(row.email)
        code = row.course_code.strip().upper()
        if not email:
            row.errors.append(_('The e-mail is missing.'))
        else:
            row.user = users.get(email)
            if row.user is None:
                row.errors.append(_('No account has the e-mail %(email)s.', email=row.email))
            elif not row.user.active:
                row.errors.append(_('The account %(email)s is deactivated.', email=row.email))
        if not code:
            row.errors.append(_('The course code is missing.'))
        else:
            row.course = courses.get(code)
            if row.course is None:
                row.errors.append(_('No course has the code %(code)s.', code=row.course_code))
            elif row.course.status != PUBLISHED:
                row.errors.append(_('The course %(code)s is not published (%(status)s).',
                                    code=row.course.code, status=row.course.status_label))
        row.completed_on = _parse_date(row.completed_raw)
        if row.completed_on is None:
            row.errors.append(_('The completion date "%(value)s" is not a date like '
                                '2026-04-01.', value=row.completed_raw))
        elif row.completed_on > today:
            row.errors.append(_('The completion date %(day)s is in the future.',
                                day=row.completed_on.isoformat()))
        elif row.completed_on < EARLIEST:
            row.errors.append(_('The completion date %(day)s is too early.',
                                day=row.completed_on.isoformat()))
        if row.score_raw:
            if int_arg(row.score_raw) is None or int(row.score_raw) > 100:
                row.errors.append(_('The score "%(value)s" is not a whole number from 0 to '
                                    '100.', value=row.score_raw))
            else:
                row.score = int(row.score_raw)
        usable = row.user is not None and row.course is not None and not row.errors
        if usable and row.course.has_quiz:
            if row.score is None:
                row.errors.append(_('The course %(code)s has a quiz: the score is required.',
                                    code=row.course.code))
            elif row.score < row.course.pass_mark:
                row.errors.append(_('The score %(score)d is below the pass mark of '
                                    '%(mark)d %%: this is not a completion.',
                                    score=row.score, mark=row.course.pass_mark))
        if row.user is not None and row.course is not None:
            key = (row.course.id, row.user.id)
            if key in seen:
                row.errors.append(_('Row %(n)d has the same person and course.', n=seen[key]))
            else:
                seen[key] = row.line
            if row.course.status == PUBLISHED and row.user.active:
                assignment = current.get(key)
                if key not in members:
                    row.errors.append(_('%(email)s is not in the audience of %(code)s.',
                                        email=row.user.email, code=row.course.code))
                elif assignment is not None and assignment.status == COMPLETED:
                    row.errors.append(_('%(email)s completed %(code)s already, on %(day)s.',
                                        email=row.user.email, code=row.course.code,
                                        day=assignment.completed_on.isoformat()))
                elif assignment is not None and assignment.status == OPEN:
                    row.assignment_id = assignment.id
    return rows


def check(content, today):
    """(rows, file error message or None), every row validated."""
    try:
        rows = parse(content)
    except ImportFileError as exc:
        return [], str(exc)
    return validate(rows, today), None


def store(content, filename, user, row_count):
    """Keep a valid upload sealed for its preview; return the TrainingImport."""
    with database.atomic():
        upload = TrainingImport(
            uploaded_by=user, uploaded_at=utcnow(), expires_at=utcnow() + EXPIRY,
            filename=(filename or '')[:255], sha256=hashlib.sha256(content).hexdigest(),
            row_count=row_count, content=content)
        upload.save()
        auditlog.record('upload', upload, actor=user, details={
            'rows': row_count, 'sha256': upload.sha256})
    return upload


def for_uploader(import_id, user):
    """The upload if ``user`` made it (anyone else's is not found)."""
    return TrainingImport.get_or_none((TrainingImport.id == import_id)
                                      & (TrainingImport.uploaded_by == user.id))


def read_for_preview(upload, user, today):
    """Validate the stored file again for the preview; the read is audit-logged."""
    if not upload.is_usable():
        return [], None
    rows, error = check(upload.content, today)
    with database.atomic():
        auditlog.record('read', upload, actor=user, details={'fields': ['content']})
    return rows, error


class ImportRejected(Exception):
    def __init__(self, rows, error):
        super().__init__(error or 'rows have errors')
        self.rows, self.error = rows, error


def apply(upload, user, today):
    """Apply every row of a pending upload, or none; returns the number applied."""
    with database.atomic():
        fresh = TrainingImport.get_by_id(upload.id)
        if fresh.status == TrainingImport.APPLIED:
            raise Conflict(_('This file was imported already, on %(when)s (UTC).',
                             when=fresh.applied_at.strftime('%Y-%m-%d %H:%M')))
        if fresh.status != TrainingImport.PENDING or fresh.content is None:
            raise Conflict(_('This upload was discarded; upload the file again.'))
        if fresh.expires_at <= utcnow():
            raise Conflict(_('The preview expired after an hour; upload the file again.'))
        rows, error = check(fresh.content, today)
        if error or any(not r.ok for r in rows):
            raise ImportRejected(rows, error)
        # People in the audience whose assignment the daily job has not created yet.
        by_course = {}
        for row in rows:
            if row.assignment_id is None:
                by_course.setdefault(row.course.id, (row.course, set()))[1].add(row.user.id)
        for course, user_ids in by_course.values():
            sync_course(course, today, actor=user, only_user_ids=user_ids)
        if by_course:
            open_ids = {(a.course_id, a.user_id): a.id for a in Assignment.select().where(
                (Assignment.is_current == True) & (Assignment.status == OPEN)  # noqa: E712
                & Assignment.course.in_(list(by_course)))}
            for row in rows:
                if row.assignment_id is None:
                    row.assignment_id = open_ids.get((row.course.id, row.user.id))
                    if row.assignment_id is None:
                        raise Conflict(_('Row %(n)d: no open assignment could be made.',
                                         n=row.line))
        for row in rows:
            _complete(row.assignment_id, source=IMPORT, completed_on=row.completed_on,
                      score=row.score, source_import=fresh.id)
        fresh.status = TrainingImport.APPLIED
        fresh.applied_at = utcnow()
        fresh.content = None  # the completions are recorded; the file is not needed
        fresh.save()
        auditlog.record('import', fresh, actor=user, details={
            'rows': len(rows), 'sha256': fresh.sha256,
            'assignments': [r.assignment_id for r in rows],
            'courses': sorted({r.course.code for r in rows})})
    return len(rows)


def discard(upload, user):
    with database.atomic():
        fresh = TrainingImport.get_by_id(upload.id)
        if fresh.status != TrainingImport.PENDING:
            raise Conflict(_('This upload is not waiting for confirmation any more.'))
        fresh.status = TrainingImport.DISCARDED
        fresh.content = None
        fresh.save()
        auditlog.record('discard', fresh, actor=user)


def purge_expired(now=None):
    """Erase the content of uploads whose preview expired (daily job)."""
    now = now or utcnow()
    with database.atomic():
        expired = list(TrainingImport.select().where(
            (TrainingImport.status == TrainingImport.PENDING)
            & (TrainingImport.expires_at <= now)))
        for upload in expired:
            upload.status = TrainingImport.EXPIRED
            upload.content = None
            upload.save()
        if expired:
            auditlog.append('purge', object_type=TrainingImport._meta.table_name,
                            details={'expired_uploads': [u.id for u in expired]})
    return len(expired)


def completions_count(upload):
    return (Assignment.select(fn.COUNT(Assignment.id))
            .where(Assignment.source_import == upload.id).scalar())


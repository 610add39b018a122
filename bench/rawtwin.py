"""Bench-only raw-SQL twins of the ledger list and the entry page.

The same app, the same login, the same templates and the same context shape as
``stintranet/ledger/views.py``; only the page's own reads (and the audit row an
entry page writes) go through plain ``sqlite3`` on the request's connection
instead of peewee. The ratio ORM page / twin is what the ORM costs. Registered
only by ``bench/benchapp.py``; never part of the app.
"""
import datetime
import hashlib
import hmac
import json

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user

from stintranet.auditlog import client_address
from stintranet.auditlog import models as audit_models
from stintranet.auth import roles as R
from stintranet.auth.decorators import roles_required
from stintranet.auth.forms import ConfirmForm
from stintranet.crypto import keyring
from stintranet.db import database, utcnow
from stintranet.htmx import is_htmx, vary_on_htmx
from stintranet.inputs import int_arg
from stintranet.ledger import READERS
from stintranet.ledger import catalogue as C
from stintranet.ledger.forms import FilterForm, RetireForm, ReviewForm
from stintranet.ledger.models import (
    ENCRYPTED_FIELDS,
    FIELDS,
    LedgerEntry,
    LedgerEntryItem,
    LedgerReview,
    LedgerRevision,
)
from stintranet.ledger.risk.views import risk_context
from stintranet.pagination import page_size
from stintranet.registers import models as registers
from stintranet.timezone import today_local

bp = Blueprint('rawtwin', __name__, url_prefix='/raw')


class Row:
    """Attribute access over a dict, like a model instance without the ORM."""

    def __init__(self, **values):
        self.__dict__.update(values)


class TwinPage:
    """What the templates read of ``stintranet.pagination.Page``, filled by hand."""

    def __init__(self, number, per_page, total):
        self.number, self.per_page, self.total = number, per_page, total
        self.pages = max(1, -(-total // per_page))
        if number > self.pages:
            abort(404)
        self.items = []

    has_prev = property(lambda self: self.number > 1)
    has_next = property(lambda self: self.number < self.pages)
    first_index = property(
        lambda self: (self.number - 1) * self.per_page + 1 if self.total else 0)
    last_index = property(
        lambda self: self.first_index + len(self.items) - 1 if self.total else 0)


class TwinEntry(Row):
    # The entry's display logic is plain Python on the model; share it, not re-type it.
    reference = LedgerEntry.reference
    is_retired = LedgerEntry.is_retired
    is_abroad = LedgerEntry.is_abroad
    category_label = LedgerEntry.category_label
    status_label = LedgerEntry.status_label
    band_label = LedgerEntry.band_label
    review_state = LedgerEntry.review_state
    item_codes = LedgerEntry.item_codes
    free_items = LedgerEntry.free_items
    editable_by = LedgerEntry.editable_by

    @property
    def item_rows(self):
        return self._item_rows


class TwinItem(Row):
    display = LedgerEntryItem.display


class TwinRevision(Row):
    field_names = LedgerRevision.field_names
    change_map = LedgerRevision.change_map


class TwinReview(Row):
    kind_label = LedgerReview.kind_label
    KINDS = LedgerReview.KINDS


def conn():
    return database.connection()


def as_date(value):
    return datetime.date.fromisoformat(value) if value else None


def as_datetime(value):
    return datetime.datetime.fromisoformat(value) if value else None


def departments(user):
    if user.reads_all_departments():
        rows = conn().execute('SELECT id, code, name FROM department ORDER BY code')
    else:
        ids = sorted(user.managed_department_ids) or [0]
        rows = conn().execute('SELECT id, code, name FROM department WHERE id IN (%s) '
                              'ORDER BY code' % ','.join('?' * len(ids)), ids)
    return [Row(id=i, code=c, name=n) for i, c, n in rows]


def scope(user):
    """The department clause of ``LedgerEntry.visible_to``."""
    if user.reads_all_departments():
        return '1 = 1', []
    if user.has_role(R.MANAGER) and user.managed_department_ids:
        ids = sorted(user.managed_department_ids)
        return 'e.department_id IN (%s)' % ','.join('?' * len(ids)), ids
    return '1 = 0', []


SORTS = {'reference': 'e.id', 'title': 'e.title', 'department': 'd.code',
         'category': 'e.category', 'persons': 'e.person_band', 'status': 'e.status',
         'next_review': 'e.next_review_due', 'updated': 'e.updated_at'}


def where_clause(user, filters, today):
    """The WHERE of ``LedgerEntry.search``, written by hand."""
    clause, params = scope(user)
    parts = [clause]
    q = filters.get('q')
    if q:
        like = '%' + q.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_') + '%'
        text = "(e.title LIKE ? ESCAPE '\\' OR e.purposes LIKE ? ESCAPE '\\'"
        params += [like, like]
        ref = LedgerEntry.id_from_reference(q)
        if ref is not None:
            text += ' OR e.id = ?'
            params.append(ref)
        parts.append(text + ')')
    for key, column in (('department_id', 'e.department_id'), ('category', 'e.category'),
                        ('medium', 'e.medium')):
        if filters.get(key):
            parts.append(column + ' = ?')
            params.append(filters[key])
    status = filters.get('status')
    if status != 'all':
        parts.append('e.status = ?' if status else 'e.status != ?')
        params.append(status or 'retired')
    for key in ('special_care', 'outsourced'):
        if filters.get(key) is not None:
            parts.append('e.%s = ?' % key)
            params.append(int(filters[key]))
    if filters.get('storage') in ('abroad', 'domestic'):
        parts.append('e.storage_country %s ?' % ('!=' if filters['storage'] == 'abroad' else '='))
        params.append(C.HOME_COUNTRY)
    review = filters.get('review')
    if review:
        soon = today + datetime.timedelta(days=30)
        parts.append("e.status != 'retired'")
        if review == 'overdue':
            parts.append('e.next_review_due < ?')
            params.append(today)
        elif review == 'due':
            parts.append('e.next_review_due >= ? AND e.next_review_due <= ?')
            params += [today, soon]
        elif review == 'none':
            parts.append('e.next_review_due IS NULL')
    if filters.get('item'):
        parts.append('e.id IN (SELECT entry_id FROM ledger_entry_item WHERE code = ?)')
        params.append(filters['item'])
    return ' AND '.join('(%s)' % p for p in parts), [
        p.isoformat() if isinstance(p, datetime.date) else p for p in params]


def order_clause(sort):
    descending = sort.startswith('-')
    key = sort.lstrip('-')
    column = SORTS.get(key, SORTS[LedgerEntry.DEFAULT_SORT])
    order = ['%s %s NULLS LAST' % (column, 'DESC' if descending else 'ASC')]
    if key != 'title':
        order.append('e.title')
    order.append('e.id')
    return ', '.join(order)


@bp.route('/ledger/')
@roles_required(*READERS)
def index():
    """Twin of ``ledger.index``."""
    today = today_local()
    form = FilterForm(request.args, departments=departments(current_user))
    filters, status = {}, 200
    if request.args and not form.validate():
        status = 422
    else:
        filters = form.filters()
    sort = request.args.get('sort', '')
    if sort.lstrip('-') not in SORTS:
        sort = LedgerEntry.DEFAULT_SORT
    number = int_arg(request.args.get('page', '1'), minimum=1)
    if number is None:
        abort(404)
    where, params = where_clause(current_user, filters, today)
    base = ('FROM ledger_entry e JOIN department d ON e.department_id = d.id '
            'LEFT JOIN user u ON e.responsible_id = u.id WHERE ' + where)
    total = conn().execute('SELECT COUNT(*) ' + base, params).fetchone()[0]
    per_page = page_size()
    page = TwinPage(number, per_page, total)
    rows = conn().execute(
        'SELECT e.id, e.title, e.category, e.special_care, e.person_band, e.medium, '
        'e.storage_country, e.responsible_id, u.name, e.status, e.next_review_due, '
        'e.department_id, d.code, d.name ' + base + ' ORDER BY ' + order_clause(sort)
        + ' LIMIT ? OFFSET ?', params + [per_page, (number - 1) * per_page])
    page.items = [
        TwinEntry(id=r[0], title=r[1], category=r[2], special_care=bool(r[3]), person_band=r[4],
                  medium=r[5], storage_country=r[6], responsible_id=r[7],
                  responsible=Row(id=r[7], name=r[8]) if r[7] else None, status=r[9],
                  next_review_due=as_date(r[10]), department_id=r[11],
                  department=Row(id=r[11], code=r[12], name=r[13]))
        for r in rows]
    export_args = {k: v for k, v in request.args.items() if k != 'page'}
    template = 'ledger/_rows.html' if is_htmx() else 'ledger/index.html'
    response = make_response(render_template(
        template, form=form, page=page, sort=sort, today=today, export_args=export_args,
        can_create=current_user.has_role(R.MANAGER) and bool(current_user.managed_department_ids)),
        status)
    return vary_on_htmx(response)


ENTRY_COLUMNS = [name for name in LedgerEntry._meta.sorted_field_names]


def open_value(table, column, uid, value):
    if value is None:
        return None
    aad = ('%s\x1f%s\x1f%s' % (table, column, uid)).encode()
    return keyring().decrypt(bytes(value), aad).decode('utf-8')


def load_entry(entry_id, user):
    clause, params = scope(user)
    columns = ', '.join('e.' + LedgerEntry._meta.fields[n].column_name for n in ENTRY_COLUMNS)
    row = conn().execute(
        'SELECT %s, d.code, d.name, u.name, u.email, '
        'EXISTS(SELECT 1 FROM contractor_entry WHERE entry_id = e.id), '
        'EXISTS(SELECT 1 FROM provision_record WHERE entry_id = e.id), '
        'EXISTS(SELECT 1 FROM asset_entry WHERE entry_id = e.id), '
        'EXISTS(SELECT 1 FROM purpose_change WHERE entry_id = e.id) FROM ledger_entry e '
        'JOIN department d ON e.department_id = d.id '
        'LEFT JOIN user u ON e.responsible_id = u.id '
        'WHERE e.id = ? AND (%s)' % (columns, clause), [entry_id] + params).fetchone()
    if row is None:
        abort(404)
    values = dict(zip(ENTRY_COLUMNS, row[:len(ENTRY_COLUMNS)], strict=True))
    dept_code, dept_name, person_name, person_email = row[len(ENTRY_COLUMNS):][:4]
    linked = row[len(ENTRY_COLUMNS) + 4:]
    for name in ENCRYPTED_FIELDS:
        values[name] = open_value('ledger_entry', name, values['uid'], values[name])
    for name in ('last_reviewed_on', 'next_review_due', 'retired_on'):
        values[name] = as_date(values[name])
    for name in ('created_at', 'updated_at'):
        values[name] = as_datetime(values[name])
    for name in ('outsourced', 'third_party_provision', 'special_care'):
        values[name] = bool(values[name])
    values['department_id'] = values.pop('department')
    values['responsible_id'] = values.pop('responsible')
    values['created_by_id'] = values.pop('created_by')
    values['updated_by_id'] = values.pop('updated_by')
    entry = TwinEntry(**values)
    entry.linked = linked
    entry.department = Row(id=entry.department_id, code=dept_code, name=dept_name)
    entry.responsible = (Row(id=entry.responsible_id, name=person_name, email=person_email)
                         if entry.responsible_id else None)
    entry._item_rows = [TwinItem(id=i, entry_id=entry.id, code=c, label=lbl) for i, c, lbl in
                        conn().execute('SELECT id, code, label FROM ledger_entry_item '
                                       'WHERE entry_id = ? ORDER BY id', [entry.id])]
    return entry


def revisions_of(entry):
    rows = conn().execute(
        'SELECT r.id, r.uid, r.version, r.at, r.actor_id, r.action, r.fields, r.changes, '
        'u.name FROM ledger_revision r LEFT JOIN user u ON r.actor_id = u.id '
        'WHERE r.entry_id = ? ORDER BY r.version DESC', [entry.id])
    return [TwinRevision(id=i, uid=uid, version=v, at=as_datetime(at), actor_id=actor,
                         action=action, fields=fields,
                         changes=open_value('ledger_revision', 'changes', uid, changes),
                         actor=Row(id=actor, name=name) if actor else None)
            for i, uid, v, at, actor, action, fields, changes, name in rows]


def reviews_of(entry):
    rows = conn().execute(
        'SELECT r.id, r.reviewed_on, r.reviewer_id, r.kind, r.note, r.next_review_due, '
        'r.approved_by_id, r.approved_at, u.name, a.name FROM ledger_review r '
        'LEFT JOIN user u ON r.reviewer_id = u.id LEFT JOIN user a ON r.approved_by_id = a.id '
        'WHERE r.entry_id = ? ORDER BY r.reviewed_at DESC, r.id DESC', [entry.id])
    return [TwinReview(id=i, reviewed_on=as_date(on), reviewer_id=who, kind=kind, note=note,
                       next_review_due=as_date(due), approved_by_id=by,
                       approved_at=as_datetime(at),
                       reviewer=Row(id=who, name=name) if who else None,
                       approved_by=Row(id=by, name=by_name) if by else None)
            for i, on, who, kind, note, due, by, at, name, by_name in rows]


class TwinContractor(Row):
    agreement_state = registers.Contractor.agreement_state
    check_state = registers.Contractor.check_state


class TwinProvision(Row):
    reference = registers.ProvisionRecord.reference
    basis_short = registers.ProvisionRecord.basis_short
    keep_state = registers.ProvisionRecord.keep_state


class TwinAsset(Row):
    kind_label = registers.Asset.kind_label
    state_label = registers.Asset.state_label
    is_disposed = registers.Asset.is_disposed
    unencrypted_portable = registers.Asset.unencrypted_portable


class TwinPurposeChange(Row):
    reference = registers.PurposeChange.reference
    channel_label = registers.PurposeChange.channel_label


def linked_records(entry, user):
    """Twin of ``registers.linked.linked_records``: which registers hold the entry at
    all (read with the entry), then the records of those, each list within what ``user``
    may read."""
    present = entry.linked
    clause, params = scope(user)
    linked = {'entry': entry, 'today': today_local(), 'contractors': [], 'provisions': [],
              'assets': [], 'purpose_changes': []}
    if present[0] and registers.Contractor.readable_by(user):
        linked['contractors'] = [
            TwinContractor(id=i, name=n, active=bool(a), agreement_signed_on=as_date(s),
                           agreement_expires_on=as_date(x), next_check_due=as_date(d))
            for i, n, a, s, x, d in conn().execute(
                'SELECT c.id, c.name, c.active, c.agreement_signed_on, c.agreement_expires_on, '
                'c.next_check_due FROM contractor c JOIN contractor_entry ce '
                'ON ce.contractor_id = c.id JOIN ledger_entry e ON e.id = ce.entry_id '
                'WHERE ce.entry_id = ? AND (%s) ORDER BY c.name' % clause,
                [entry.id] + params)]
    if present[1]:
        linked['provisions'] = [
            TwinProvision(id=i, basis=b, recipient_name=n, provided_on=as_date(on),
                          provided_until=as_date(until), keep_until=as_date(keep))
            for i, b, n, on, until, keep in conn().execute(
                'SELECT r.id, r.basis, r.recipient_name, r.provided_on, r.provided_until, '
                'r.keep_until FROM provision_record r JOIN ledger_entry e ON e.id = r.entry_id '
                'WHERE r.entry_id = ? AND (%s) ORDER BY r.provided_on DESC, r.id DESC'
                % clause, [entry.id] + params)]
    if present[2]:
        asset_clause = clause.replace('e.department_id', 'a.department_id')
        linked['assets'] = [
            TwinAsset(id=i, tag=t, kind=k, state=st, portable=bool(p), encrypted=bool(enc),
                      locked_storage=bool(lock), department=Row(id=d, code=code))
            for i, t, k, st, p, enc, lock, d, code in conn().execute(
                'SELECT a.id, a.tag, a.kind, a.state, a.portable, a.encrypted, '
                'a.locked_storage, d.id, d.code FROM asset a JOIN department d '
                'ON d.id = a.department_id JOIN asset_entry ae ON ae.asset_id = a.id '
                'WHERE ae.entry_id = ? AND (%s) ORDER BY d.code, a.tag' % asset_clause,
                [entry.id] + params)]
    if present[3]:
        linked['purpose_changes'] = [
            TwinPurposeChange(id=i, notified_on=as_date(on), channel=ch, refusals_count=n)
            for i, on, ch, n in conn().execute(
                'SELECT p.id, p.notified_on, p.channel, p.refusals_count FROM purpose_change p '
                'JOIN ledger_entry e ON e.id = p.entry_id WHERE p.entry_id = ? AND (%s) '
                'ORDER BY p.notified_on DESC, p.id DESC' % clause, [entry.id] + params)]
    return linked


def risk_of(entry):
    """Twin of ``ledger.risk.views.risk_context`` for an entry without a risk assessment
    (the bench's data set has none): one query to know there is none."""
    if conn().execute('SELECT 1 FROM ledger_risk_assessment WHERE entry_id = ?',
                      [entry.id]).fetchone():
        abort(501, 'the raw twin renders entries without a risk assessment only')
    return risk_context(entry, assessment=None, risks=[])


def record_read(entry, fields):
    """The audit row ``ledger.services.record_read`` writes, appended with plain SQL."""
    user = current_user
    db = conn()
    db.execute('BEGIN IMMEDIATE')
    try:
        last = db.execute('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1').fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, audit_models.GENESIS)
        at = utcnow()
        details = json.dumps({'reference': entry.reference, 'fields': sorted(fields),
                              'view': 'entry'}, sort_keys=True, ensure_ascii=False)
        values = {'seq': seq, 'at': at.isoformat(timespec='microseconds'), 'actor_id': user.id,
                  'actor_email': user.email, 'action': 'read', 'object_type': 'ledger_entry',
                  'object_id': str(entry.id), 'details': details, 'ip': client_address()}
        canonical = json.dumps(values, sort_keys=True, separators=(',', ':'),
                               ensure_ascii=False)
        digest = hmac.new(audit_models.hmac_key(), (prev + '\n' + canonical).encode('utf-8'),
                          hashlib.sha256).hexdigest()
        db.execute('INSERT INTO audit_event (seq, at, actor_id, actor_email, action, '
                   'object_type, object_id, details, ip, prev_hash, hash) '
                   'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                   [seq, str(at), user.id, user.email, 'read', 'ledger_entry', str(entry.id),
                    details, values['ip'], prev, digest])
        db.execute('COMMIT')
    except BaseException:
        db.execute('ROLLBACK')
        raise


@bp.route('/ledger/<int:entry_id>')
@roles_required(*READERS)
def entry(entry_id):
    """Twin of ``ledger.entry``."""
    entry = load_entry(entry_id, current_user)
    revisions = revisions_of(entry)
    reviews = reviews_of(entry)
    fields = [n for n in ENCRYPTED_FIELDS if getattr(entry, n)] + (
        ['revision changes'] if revisions else [])
    registers_linked = linked_records(entry, current_user)
    risk = risk_of(entry)
    record_read(entry, fields)
    editable = entry.editable_by(current_user)
    can_approve = current_user.has_role(R.COMMITTEE)
    context = {
        'entry': entry, 'revisions': revisions, 'reviews': reviews, 'editable': editable,
        'today': today_local(), 'fields': FIELDS, 'can_approve': can_approve,
        'review_form': ReviewForm(formdata=None, version=str(entry.version))
        if editable else None,
        'retire_form': RetireForm(formdata=None, version=str(entry.version))
        if editable and not entry.is_retired else None,
        'confirm': ConfirmForm() if can_approve else None,
        'registers_linked': registers_linked}
    context.update(risk)
    return render_template('ledger/entry.html', **context)

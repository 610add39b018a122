"""The personal information management ledger (個人情報管理台帳).

One ``LedgerEntry`` per business process that handles personal data; its items
of personal data in ``LedgerEntryItem``; every change in ``LedgerRevision``
(old and new values, encrypted because they repeat encrypted fields); the
yearly reviews in ``LedgerReview``; uploaded import files, encrypted and
short-lived, in ``LedgerImport``.

Outsourcing and third-party provision are flags with a description here; the
registers capability links contractors and provision records to an entry
from its own tables.
"""
import datetime
import json

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    SQL,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    NodeList,
    SmallIntegerField,
    TextField,
    fn,
)

from ..auth.models import Department, User
from ..crypto import EncryptedBlobField, EncryptedModel, EncryptedTextField
from ..db import BaseModel, is_sqlite, utcnow
from ..models import Tracked
from ..timezone import today_local
from . import catalogue as C

ENCRYPTED_FIELDS = ('storage_location', 'access_persons', 'foreign_note', 'security_details')

# The entry's fields in ledger order: revisions, exports and the entry page use it.
# (name, label); labels are lazy strings.
FIELDS = (
    ('department', _l('Section in charge')),
    ('title', _l('Business process')),
    ('category', _l('Category of personal information')),
    ('items', _l('Items of personal data')),
    ('free_items', _l('Other items')),
    ('special_care_override', _l('Special-care flag')),
    ('special_care_reason', _l('Reason for the special-care override')),
    ('purposes', _l('Purposes of use')),
    ('acquisition_route', _l('How acquired')),
    ('acquisition_method', _l('Acquisition details')),
    ('notice_method', _l('Notice of purpose or consent')),
    ('notice_details', _l('Notice or consent details')),
    ('minors', _l('Minors in the data set')),
    ('guardian_consent', _l("Legal representative's consent")),
    ('guardian_consent_note', _l('How the consent is obtained')),
    ('person_band', _l('Number of persons')),
    ('person_estimate', _l('Estimated number of persons')),
    ('medium', _l('Storage medium')),
    ('storage_location', _l('Storage location and method')),
    ('storage_country', _l('Storage country')),
    ('foreign_note', _l('Foreign regime and measures taken')),
    ('access_persons', _l('Persons with access rights')),
    ('use_period_months', _l('Use period (months)')),
    ('use_period_note', _l('Use period from')),
    ('retention_period_months', _l('Retention period (months)')),
    ('retention_period_note', _l('Retention period from')),
    ('disposal_methods', _l('Disposal method')),
    ('disposal_note', _l('Disposal details')),
    ('security_measures', _l('Security measures')),
    ('security_details', _l('Security-measures details')),
    ('outsourced', _l('Outsourced')),
    ('outsourcing_note', _l('Contractors and outsourced work')),
    ('third_party_provision', _l('Provided to third parties')),
    ('third_party_note', _l('Recipients and legal basis')),
    ('responsible', _l('Responsible person')),
    ('status', _l('Status')),
    ('last_reviewed_on', _l('Last reviewed')),
    ('next_review_due', _l('Next review due')),
    ('retired_on', _l('Retired on')),
    ('retired_reason', _l('Reason for retirement')),
)
FIELD_LABELS = dict(FIELDS)
MULTI_CODE_FIELDS = {'disposal_methods': C.DISPOSAL_METHODS,
                     'security_measures': C.SECURITY_MEASURES}

# Mandatory items (JIS Q 15001 A.3.3.1 and the group's policy) of an active entry.
MANDATORY = ('title', 'category', 'items', 'purposes', 'acquisition_route',
             'acquisition_method', 'notice_method', 'person_band', 'medium',
             'storage_location', 'storage_country', 'access_persons', 'use_period_months',
             'retention_period_months', 'disposal_methods', 'security_measures',
             'responsible', 'next_review_due')


def add_months(day, months):
    """``day`` plus ``months`` calendar months (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def review_months():
    return int(current_app.config.get('LEDGER_REVIEW_MONTHS', 12))


def risk_cutoff(today):
    """A risk assessment made or confirmed before this day is older than one review
    cycle: the entry's yearly review should have confirmed or updated it."""
    return add_months(today, -review_months())


def split_codes(value):
    return [code for code in (value or '').split(',') if code]


def join_codes(codes):
    return ','.join(sorted(set(codes or ())))


def _text(value):
    """A constant string written into the SQL text rather than passed as a parameter
    (an index's expression or WHERE matches a query's only with the same constants)."""
    return SQL("'%s'" % value.replace("'", "''"))


class LedgerEntry(Tracked, EncryptedModel):
    department = ForeignKeyField(Department, backref='ledger_entries', index=True)
    title = CharField(max_length=200, index=True)
    category = CharField(max_length=32, default='', index=True)
    purposes = TextField(default='')
    acquisition_route = CharField(max_length=32, default='')
    acquisition_method = TextField(default='')
    notice_method = CharField(max_length=32, default='')
    notice_details = TextField(default='')
    # Policy §6: may the data set include minors, and how the legal representative's
    # consent is obtained (migration 0016).
    minors = CharField(max_length=8, default='unknown')
    guardian_consent = CharField(max_length=24, default='')
    guardian_consent_note = TextField(default='')
    person_band = SmallIntegerField(null=True, index=True)
    person_estimate = IntegerField(null=True)
    medium = CharField(max_length=16, default='', index=True)
    storage_location = EncryptedTextField(null=True)
    storage_country = CharField(max_length=2, default=C.HOME_COUNTRY, index=True)
    foreign_note = EncryptedTextField(null=True)
    access_persons = EncryptedTextField(null=True)
    use_period_months = IntegerField(null=True)
    use_period_note = CharField(max_length=200, default='')
    retention_period_months = IntegerField(null=True)
    retention_period_note = CharField(max_length=200, default='')
    disposal_methods = CharField(max_length=200, default='')
    disposal_note = TextField(default='')
    security_measures = CharField(max_length=200, default='')
    security_details = EncryptedTextField(null=True)
    outsourced = BooleanField(default=False, index=True)
    outsourcing_note = TextField(default='')
    third_party_provision = BooleanField(default=False, index=True)
    third_party_note = TextField(default='')
    special_care = BooleanField(default=False, index=True)
    special_care_override = CharField(max_length=3, default='')
    special_care_reason = TextField(default='')
    responsible = ForeignKeyField(User, null=True, on_delete='SET NULL', index=True,
                                  backref='+')
    status = CharField(max_length=16, default='draft', index=True)
    last_reviewed_on = DateField(null=True)
    next_review_due = DateField(null=True, index=True)
    retired_on = DateField(null=True)
    retired_reason = TextField(default='')
    updated_at = DateTimeField(default=utcnow, index=True)  # Tracked's, indexed (0002)

    class Meta:
        table_name = 'ledger_entry'

    def __str__(self):
        return '%s %s' % (self.reference, self.title)

    @property
    def reference(self):
        """The number people quote: LE-00042."""
        return 'LE-%05d' % self.id if self.id else ''

    @staticmethod
    def id_from_reference(reference):
        """42 from 'LE-00042' (any case); None for anything else or out of range."""
        text = (reference or '').strip().upper()
        digits = text[3:]
        if text.startswith('LE-') and digits.isascii() and digits.isdigit() \
                and len(digits) <= 10 and 0 < int(digits) < 2 ** 31:
            return int(digits)
        return None

    @classmethod
    def visible_to(cls, user):
        """Every entry for the committee and auditors, managed departments' for a
        manager, none for anyone else."""
        return cls.in_scope(*cls.scope_of(user))

    @staticmethod
    def scope_of(user):
        """What ``visible_to`` lets ``user`` read: ('all', ()), ('departments', the
        sorted ids) or ('none', ())."""
        if user.reads_all_departments():
            return 'all', ()
        if user.has_role('manager') and user.managed_department_ids:
            return 'departments', tuple(sorted(user.managed_department_ids))
        return 'none', ()

    @classmethod
    def in_scope(cls, scope, department_ids):
        """The entries of a ``scope_of`` result, with their departments."""
        query = cls.select(cls, Department).join(
            Department, on=(cls.department == Department.id))
        if scope == 'all':
            return query
        if scope == 'departments':
            return query.where(cls.department.in_(list(department_ids)))
        return query.where(SQL('1 = 0'))

    @classmethod
    def visible_with_responsible(cls, user):
        """``visible_to`` with the responsible person's name and e-mail joined, so that
        ``entry.responsible`` needs no query of its own."""
        return cls.with_responsible(cls.visible_to(user))

    @classmethod
    def with_responsible(cls, query):
        return (query.select_extend(User.id, User.name, User.email)
                .join_from(cls, User, JOIN.LEFT_OUTER, on=(cls.responsible == User.id)))

    @classmethod
    def for_page(cls, user, entry_id):
        """The entry page's entry if ``user`` may read it (else None), with its
        department, responsible person and which registers hold it, in one query."""
        from ..registers import linked
        return (cls.visible_with_responsible(user)
                .select_extend(*linked.presence_columns(cls.id))
                .where(cls.id == entry_id).first())

    def editable_by(self, user):
        return user.manages(self.department_id)

    @property
    def is_retired(self):
        return self.status == 'retired'

    @property
    def is_abroad(self):
        return (self.storage_country or C.HOME_COUNTRY) != C.HOME_COUNTRY

    @property
    def category_label(self):
        return C.label_of(C.CATEGORIES, self.category) if self.category else ''

    @property
    def status_label(self):
        return C.label_of(C.STATUSES, self.status)

    @property
    def band_label(self):
        return C.label_of(C.BANDS, self.person_band) if self.person_band else ''

    def review_state(self, today):
        """'overdue', 'due' (within 30 days), 'ok' or 'none'."""
        if self.is_retired:
            return 'retired'
        if self.next_review_due is None:
            return 'none'
        if self.next_review_due < today:
            return 'overdue'
        if self.next_review_due <= today + datetime.timedelta(days=30):
            return 'due'
        return 'ok'

    def has_value(self, name):
        """Whether a field is filled, without decrypting an encrypted one."""
        value = self.__data__.get(name)
        if isinstance(value, str):
            return bool(value.strip())
        return value is not None

    @property
    def item_rows(self):
        rows = getattr(self, '_item_rows', None)
        if rows is None:
            rows = list(LedgerEntryItem.select().where(LedgerEntryItem.entry == self.id))
            self._item_rows = rows
        return rows

    @property
    def item_codes(self):
        return sorted(r.code for r in self.item_rows if r.code)

    @property
    def free_items(self):
        return sorted(r.label for r in self.item_rows if not r.code)

    @property
    def derived_special_care(self):
        return any(code in C.SPECIAL_CARE_CODES for code in self.item_codes)

    def snapshot(self, decrypt=True):
        """The entry's fields as plain JSON values, for revisions and exports."""
        data = {}
        for name, _label in FIELDS:
            if name == 'items':
                value = self.item_codes
            elif name == 'free_items':
                value = self.free_items
            elif name == 'department':
                value = self.department.code if self.department_id else None
            elif name == 'responsible':
                value = self.responsible.email if self.responsible_id else None
            elif name in MULTI_CODE_FIELDS:
                value = split_codes(getattr(self, name))
            elif name in ENCRYPTED_FIELDS and not decrypt:
                value = None
            else:
                value = getattr(self, name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[name] = value
        return data

    def problems(self, today):
        """The health problems of this entry, as (code, label) pairs; no decryption."""
        found = []
        missing = self.missing_items()
        if missing:
            found.append(('missing', missing))
        if self.review_state(today) == 'overdue':
            found.append(('overdue', None))
        if self.is_abroad and not self.has_value('foreign_note'):
            found.append(('foreign_note', None))
        if self.special_care_override and not self.has_value('special_care_reason'):
            found.append(('override_reason', None))
        if self.minors == 'yes' and not self.guardian_consent:
            found.append(('minor_consent', None))
        assessment = self.risk_assessment
        if assessment is None or not assessment.is_current(risk_cutoff(today)):
            found.append(('risk', assessment))
        return found

    @property
    def risk_assessment(self):
        """The entry's risk assessment, or None; ``risk.models.attach_assessments``
        reads it for many entries at once."""
        if not hasattr(self, '_risk_assessment'):
            from .risk.models import RiskAssessment
            self._risk_assessment = RiskAssessment.get_or_none(
                RiskAssessment.entry == self.id)
        return self._risk_assessment

    def missing_items(self):
        missing = []
        for name in MANDATORY:
            if name == 'items':
                if not self.item_rows:
                    missing.append(name)
            elif name == 'responsible':
                if self.responsible_id is None:
                    missing.append(name)
            elif not self.has_value(name):
                missing.append(name)
        return missing

    SORTS = {
        'reference': lambda cls: cls.id,
        'title': lambda cls: cls.title,
        'department': lambda cls: Department.code,
        'category': lambda cls: cls.category,
        'persons': lambda cls: cls.person_band,
        'status': lambda cls: cls.status,
        'next_review': lambda cls: cls.next_review_due,
        'updated': lambda cls: cls.updated_at,
    }
    DEFAULT_SORT = 'department'

    @classmethod
    def search(cls, user, q=None, department_id=None, category=None, status=None,
               special_care=None, medium=None, storage=None, review=None, item=None,
               outsourced=None, sort=None, today=None):
        """The visible entries matching the filters, in a whitelisted order.

        ``status`` None hides retired entries; 'all' shows every status.
        """
        today = today or today_local()
        query = (cls.visible_to(user)
                 .select_extend(User.id, User.name, User.email)
                 .join_from(cls, User, JOIN.LEFT_OUTER, on=(cls.responsible == User.id)))
        if q:
            term = q.strip()
            conditions = cls.title.contains(term) | cls.purposes.contains(term)
            ref = cls.id_from_reference(term)
            if ref is not None:
                conditions |= (cls.id == ref)
            query = query.where(conditions)
        if department_id:
            query = query.where(cls.department == department_id)
        if category:
            query = query.where(cls.category == category)
        if status == 'all':
            pass
        elif status:
            query = query.where(cls.status == status)
        else:
            query = query.where(cls.status != 'retired')
        if special_care is not None:
            query = query.where(cls.special_care == special_care)
        if medium:
            query = query.where(cls.medium == medium)
        if storage == 'abroad':
            query = query.where(cls.storage_country != C.HOME_COUNTRY)
        elif storage == 'domestic':
            query = query.where(cls.storage_country == C.HOME_COUNTRY)
        if outsourced is not None:
            query = query.where(cls.outsourced == outsourced)
        if review:
            query = query.where(cls.review_condition(review, today))
        if item:
            query = query.where(cls.id.in_(
                LedgerEntryItem.select(LedgerEntryItem.entry)
                .where(LedgerEntryItem.code == item)))
        key = (sort or cls.DEFAULT_SORT)
        descending = key.startswith('-')
        column = cls.SORTS.get(key.lstrip('-'), cls.SORTS[cls.DEFAULT_SORT])(cls)
        order = [column.desc(nulls='LAST') if descending else column.asc(nulls='LAST')]
        if key.lstrip('-') != 'title':
            order.append(cls.title)
        order.append(cls.id)
        return query.order_by(*order)

    @classmethod
    def list_columns(cls, query):
        """``search`` reading only what the list shows (14 of the entry's 60 columns)."""
        return query.select(
            cls.id, cls.department, cls.title, cls.category, cls.special_care,
            cls.person_band, cls.medium, cls.storage_country, cls.responsible, cls.status,
            cls.next_review_due, Department.id, Department.code, Department.name, User.id,
            User.name)

    @classmethod
    def reviews_due_for(cls, user, today):
        """Entries of the departments ``user`` manages whose review is overdue or due
        within 30 days, the earliest due first: the manager's own to-do, so the committee
        and the auditors, who read every department, get none."""
        managed = sorted(user.managed_department_ids) if user.has_role('manager') else []
        soon = today + datetime.timedelta(days=30)
        return (cls.select(cls.id, cls.title, cls.next_review_due, Department.id,
                           Department.code)
                .join(Department, on=(cls.department == Department.id))
                .where(cls.department.in_(managed) & (cls.status != 'retired')
                       & (cls.next_review_due <= soon))
                .order_by(cls.next_review_due, cls.id))

    @classmethod
    def review_condition(cls, review, today):
        soon = today + datetime.timedelta(days=30)
        active = cls.status != 'retired'
        if review == 'overdue':
            return active & (cls.next_review_due < today)
        if review == 'due':
            return active & (cls.next_review_due >= today) & (cls.next_review_due <= soon)
        if review == 'none':
            return active & cls.next_review_due.is_null()
        return SQL('1 = 1')

    @classmethod
    def fields_missing_condition(cls):
        """A mandatory field of the entry's own row left empty (items aside).

        Only nullable columns are tested for NULL (the others cannot be), and every
        constant is written into the SQL text: the expression is then exactly the
        third column of the index ``ledger_entry_health`` (migration 0010), so that
        SQLite reads its value from the index instead of evaluating it on the row.
        ``tests/ledger/test_health_index.py`` keeps the two in step.
        """
        missing = cls.responsible.is_null()
        for name in MANDATORY:
            if name in ('items', 'responsible'):
                continue
            field = getattr(cls, name)
            if isinstance(field, (CharField, TextField)) and name not in ENCRYPTED_FIELDS:
                missing = missing | (fn.TRIM(field) == _text(''))
                if field.null:
                    missing = missing | field.is_null()
            else:
                missing = missing | field.is_null()
        return missing

    @classmethod
    def problem_conditions(cls, today):
        """SQL for each health problem; mirrors ``problems()``.

        'missing' besides the row's own fields (``fields_missing_condition``) is an
        entry without items; 'foreign_note', 'override_reason' and 'minor_consent' are
        the index ``ledger_entry_health``'s last three expressions (migration 0016).
        'risk' is an entry without a risk assessment made or confirmed within the last
        review interval, looked up per entry like its items.
        """
        from .risk.models import RiskAssessment
        no_items = ~fn.EXISTS(LedgerEntryItem.select(SQL('1')).where(
            LedgerEntryItem.entry == cls.id))
        return {
            'missing': no_items | cls.fields_missing_condition(),
            'overdue': cls.next_review_due < today,
            'foreign_note': ((cls.storage_country != _text(C.HOME_COUNTRY))
                             & cls.foreign_note.is_null()),
            'override_reason': ((cls.special_care_override != _text(''))
                                & (fn.TRIM(cls.special_care_reason) == _text(''))),
            'minor_consent': ((cls.minors == _text('yes'))
                              & (cls.guardian_consent == _text(''))),
            'risk': ~fn.EXISTS(RiskAssessment.current(risk_cutoff(today)).where(
                RiskAssessment.entry == cls.id)),
        }

    @classmethod
    def not_retired(cls):
        """``status != 'retired'``, spelled as the WHERE of the partial index
        ``ledger_entry_health`` (migration 0010) so that SQLite may walk that index:
        for the counts only (``unhealthy``'s list reads rows: walking the index and
        fetching each row was slower than reading the table).

        On SQLite the column takes a unary plus (``+status``): any other query's
        ``status != 'retired'`` would match the index's WHERE too, and SQLite would
        then walk it for them and read every row from it (bench/README.md, "Committee
        home and audit log"). The constant is in the text: a parameter does not match.
        """
        status = NodeList((SQL('+'), cls.status), glue='') if is_sqlite() else cls.status
        return status != _text('retired')

    @classmethod
    def unhealthy(cls, user, today, problem=None):
        """Non-retired visible entries with any (or the given) health problem."""
        conditions = cls.problem_conditions(today)
        if problem in conditions:
            where = conditions[problem]
        else:
            where = None
            for condition in conditions.values():
                where = condition if where is None else (where | condition)
        return (cls.visible_to(user)
                .select_extend(User.id, User.name, User.email)
                .join_from(cls, User, JOIN.LEFT_OUTER, on=(cls.responsible == User.id))
                .where((cls.status != 'retired') & where)
                .order_by(cls.next_review_due.asc(nulls='FIRST'), Department.code, cls.id))

    @classmethod
    def health_counts(cls, user, today):
        """Counts of non-retired visible entries per problem, in one query."""
        return cls.counts_from_row(cls.health_counts_query(user, today).get())

    @staticmethod
    def counts_from_row(row):
        """{name: int} from the row of ``health_counts_query``."""
        return {k: int(v or 0) for k, v in row.items()}

    @classmethod
    def health_counts_query(cls, user, today):
        """The query behind ``health_counts`` (not run): one row of dicts.

        One pass over the non-retired visible entries: an inner query gives each
        entry's problems as flags, the outer one counts them. On SQLite the inner
        query walks the partial index ``ledger_entry_health`` (migration 0010) and
        reads the row-level problems from it; only the items are looked up per
        entry. ``OFFSET 0`` keeps the inner query from being merged into the outer
        one, which would evaluate each flag once per count that uses it.
        """
        conditions = cls.problem_conditions(today)
        soon = today + datetime.timedelta(days=30)
        flags = dict(conditions)
        flags['due'] = (cls.next_review_due >= today) & (cls.next_review_due <= soon)
        scope, department_ids = cls.scope_of(user)
        where = cls.not_retired()
        if scope == 'departments':
            where &= cls.department.in_(list(department_ids))
        elif scope != 'all':
            where &= SQL('1 = 0')
        inner = (cls.select(*[flag.alias(name) for name, flag in flags.items()])
                 .where(where).offset(0).alias('health'))

        def count(flag):
            return fn.SUM(Case(None, [(flag, 1)], 0))

        any_problem = None
        for name in conditions:
            column = getattr(inner.c, name)
            any_problem = column if any_problem is None else (any_problem | column)
        columns = [fn.COUNT(SQL('*')).alias('total')]
        columns += [count(getattr(inner.c, name)).alias(name) for name in conditions]
        columns += [count(inner.c.due).alias('due'), count(any_problem).alias('unhealthy')]
        return cls.select(*columns).from_(inner).dicts()

    @classmethod
    def attach_items(cls, entries, query=None):
        """Fill ``item_rows`` of ``entries`` with one query.

        ``query`` (the query ``entries`` came from) selects the items through a
        subquery instead of a list of ids, which databases cap in length.
        """
        by_id = {e.id: e for e in entries}
        for entry in entries:
            entry._item_rows = []
        if by_id:
            ids = query.select(cls.id).order_by() if query is not None else list(by_id)
            rows = (LedgerEntryItem.select()
                    .where(LedgerEntryItem.entry.in_(ids))
                    .order_by(LedgerEntryItem.id))
            for row in rows:
                if row.entry_id in by_id:
                    by_id[row.entry_id]._item_rows.append(row)
        return entries


class LedgerEntryItem(BaseModel):
    """An item of personal data held by an entry: a catalogue code, or a free item."""
    entry = ForeignKeyField(LedgerEntry, backref='items', on_delete='CASCADE')
    code = CharField(max_length=40, default='')
    label = CharField(max_length=100, default='')

    class Meta:
        table_name = 'ledger_entry_item'
        indexes = ((('entry', 'code', 'label'), True), (('code', 'entry'), False))

    @property
    def display(self):
        return C.item_label(self.code) if self.code else self.label


class LedgerRevision(EncryptedModel):
    """One change of an entry: who, when, which fields, old -> new (encrypted)."""
    entry = ForeignKeyField(LedgerEntry, backref='revisions', on_delete='CASCADE')
    version = IntegerField()
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    action = CharField(max_length=16)
    fields = TextField(default='')
    changes = EncryptedTextField(null=True)

    class Meta:
        table_name = 'ledger_revision'
        indexes = ((('entry', 'version'), True),)

    @property
    def field_names(self):
        return split_codes(self.fields)

    @property
    def change_map(self):
        return json.loads(self.changes) if self.changes else {}

    @classmethod
    def for_entry(cls, entry_id, since_version=None):
        """The entry's revisions with their authors, newest first."""
        query = (cls.select(cls, User.id, User.name)
                 .join(User, JOIN.LEFT_OUTER, on=(cls.actor == User.id))
                 .where(cls.entry == entry_id).order_by(cls.version.desc()))
        if since_version is not None:
            query = query.where(cls.version > since_version)
        return query


class LedgerReview(BaseModel):
    """A periodic review: confirmed as accurate, or done by editing; the committee approves."""
    entry = ForeignKeyField(LedgerEntry, backref='reviews', on_delete='CASCADE')
    reviewed_at = DateTimeField(default=utcnow)
    reviewed_on = DateField()
    reviewer = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    kind = CharField(max_length=16)
    note = TextField(default='')
    next_review_due = DateField()
    approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    approved_at = DateTimeField(null=True, index=True)

    class Meta:
        table_name = 'ledger_review'
        indexes = ((('entry', 'reviewed_at'), False),)

    KINDS = {'created': _l('Created'), 'confirmed': _l('Reviewed, still accurate'),
             'edited': _l('Reviewed by editing'), 'imported': _l('Updated by import')}

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @classmethod
    def for_entry(cls, entry_id):
        """The entry's reviews with reviewer and approver, newest first."""
        Approver = User.alias()
        return (cls.select(cls, User.id, User.name, Approver.id, Approver.name)
                .join_from(cls, User, JOIN.LEFT_OUTER, on=(cls.reviewer == User.id))
                .join_from(cls, Approver, JOIN.LEFT_OUTER, on=(cls.approved_by == Approver.id))
                .where(cls.entry == entry_id).order_by(cls.reviewed_at.desc(), cls.id.desc()))

    # Every kind but 'created' waits for the committee's approval.
    APPROVABLE = tuple(kind for kind in KINDS if kind != 'created')

    @classmethod
    def awaiting_approval(cls, user):
        """Reviews of visible entries that the committee has not approved yet.

        The kinds are listed (not ``!= 'created'``) so that the (approved_at, kind)
        index finds them without reading every entry's unapproved 'created' review;
        visibility is checked per review rather than by listing every visible entry.
        """
        visible = (LedgerEntry.visible_to(user).select(SQL('1'))
                   .where(LedgerEntry.id == cls.entry))
        return cls.select().where(cls.approved_at.is_null() & cls.kind.in_(cls.APPROVABLE)
                                  & fn.EXISTS(visible))

    @classmethod
    def for_approval_by(cls, user):
        """The reviews ``user`` may approve: a committee member's, not their own, oldest
        first, with the entry's number and title."""
        if not user.has_role('committee'):
            return cls.select().where(SQL('1 = 0'))
        return (cls.awaiting_approval(user)
                .select(cls.id, cls.reviewed_on, cls.kind, LedgerEntry.id, LedgerEntry.title)
                .join(LedgerEntry, on=(cls.entry == LedgerEntry.id))
                .where(cls.reviewer.is_null() | (cls.reviewer != user.id))
                .order_by(cls.reviewed_at, cls.id))


class LedgerImport(EncryptedModel):
    """An uploaded ledger file between preview and commit: encrypted, owned, short-lived."""
    uploader = ForeignKeyField(User, on_delete='CASCADE', backref='+')
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(index=True)
    filename = CharField(max_length=200)
    file_format = CharField(max_length=8)
    content = EncryptedBlobField(null=True)
    committed_at = DateTimeField(null=True)
    summary = TextField(default='{}')

    class Meta:
        table_name = 'ledger_import'

    @classmethod
    def pending_for(cls, user, uid, now=None):
        now = now or utcnow()
        return cls.get_or_none((cls.uid == uid) & (cls.uploader == user.id)
                               & cls.committed_at.is_null() & (cls.expires_at > now))


"""Incidents, their append-only timeline, attachments and reference numbers.

The narrative, comments, the reporter's identity, attachments and the texts of
the PPC report are encrypted at rest. The reporter is found again through
``reporter_ref``, a keyed hash of their account id, so the table names nobody.
"""
import hashlib
import hmac
import json

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from peewee import (
    JOIN,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .. import keys
from ..auth import roles as R
from ..auth.models import Department, User
from ..crypto import EncryptedBlobField, EncryptedModel, EncryptedTextField
from ..db import BaseModel, is_sqlite, utcnow
from ..ledger.models import LedgerEntry
from . import appi

REPORTED = 'reported'
TRIAGE = 'triage'
INVESTIGATING = 'investigating'
CONTAINED = 'contained'
CLOSED = 'closed'
DISMISSED = 'dismissed'

STATUSES = (REPORTED, TRIAGE, INVESTIGATING, CONTAINED, CLOSED, DISMISSED)
OPEN_STATUSES = (REPORTED, TRIAGE, INVESTIGATING, CONTAINED)
FINAL_STATUSES = (CLOSED, DISMISSED)
# The committee has triaged the case: a confidential report reaches the managers of its
# departments from then on (a case dismissed in triage never does).
TRIAGED = (INVESTIGATING, CONTAINED, CLOSED)

STATUS_LABELS = {
    REPORTED: _l('Reported'),
    TRIAGE: _l('Triage'),
    INVESTIGATING: _l('Investigating'),
    CONTAINED: _l('Contained'),
    CLOSED: _l('Closed'),
    DISMISSED: _l('Dismissed'),
}

KINDS = (
    ('leak', _l('Leak (data disclosed to someone who should not have it)')),
    ('loss', _l('Loss (e.g. a lost laptop, USB drive or document)')),
    ('destruction', _l('Destruction (data deleted or damaged)')),
    ('falsification', _l('Falsification (data altered)')),
    ('unauthorised_access', _l('Unauthorised access (e.g. a hacked account)')),
    ('protection_breach', _l('Breach of the protection system (a rule was not followed)')),
    ('unsure', _l('Not sure')),
)
KIND_LABELS = dict(KINDS)
SHORT_KIND_LABELS = {
    'leak': _l('Leak'), 'loss': _l('Loss'), 'destruction': _l('Destruction'),
    'falsification': _l('Falsification'), 'unauthorised_access': _l('Unauthorised access'),
    'protection_breach': _l('Breach of the protection system'), 'unsure': _l('Not sure'),
}

SEVERITIES = (
    ('low', _l('Low')),
    ('medium', lazy_pgettext('severity', 'Medium')),
    ('high', _l('High')),
    ('critical', _l('Critical')),
)
SEVERITY_LABELS = dict(SEVERITIES)

KEY_LEAKED_CHOICES = (
    (appi.KEY_SAFE, _l('No: the key or password is safe')),
    (appi.KEY_LEAKED, _l('Yes, it may have leaked too')),
    (appi.KEY_UNKNOWN, _l('Not known yet')),
)
KEY_LEAKED_LABELS = dict(KEY_LEAKED_CHOICES)

_reporter_keys = {}


def _reporter_key():
    """The key of ``reporter_ref`` (``keys/incident-reporter.key``, checked by ``keys.py``)."""
    key = _reporter_keys.get(current_app.instance_path)
    if key is None:
        key = _reporter_keys[current_app.instance_path] = keys.load_key(
            current_app.instance_path, keys.REPORTER_KEY)
    return key


def reporter_ref(user):
    """A keyed hash that finds a person's reports without naming them."""
    return hmac.new(_reporter_key(), b'user:%d' % user.id, hashlib.sha256).hexdigest()


class IncidentSequence(BaseModel):
    """The last reference number issued per year."""
    year = IntegerField(primary_key=True)
    last_number = IntegerField()

    class Meta:
        table_name = 'incident_sequence'

    @classmethod
    def next_number(cls, year):
        """Atomically take the next number of ``year`` (one statement, any database).

        INSERT .. ON CONFLICT DO UPDATE .. RETURNING holds the row's lock until
        the transaction ends, so concurrent reports queue instead of sharing a
        number; the unique index on the reference is the backstop.
        """
        query = (cls.insert(year=year, last_number=1)
                 .on_conflict(conflict_target=[cls.year],
                              update={cls.last_number: cls.last_number + 1})
                 .returning(cls.last_number))
        row = next(iter(query.execute()))
        return row.last_number if hasattr(row, 'last_number') else row[0]


class Incident(EncryptedModel):
    reference = CharField(max_length=16, unique=True)
    year = IntegerField()
    number = IntegerField()
    status = CharField(max_length=16, default=REPORTED, index=True)
    kind = CharField(max_length=24)
    severity = CharField(max_length=12, null=True)
    summary = CharField(max_length=160, default='')
    narrative = EncryptedTextField()
    reporter_ref = CharField(max_length=64, index=True)
    reporter_identity = EncryptedTextField()
    reporter_name_shown = BooleanField(default=False)
    department = ForeignKeyField(Department, backref='incidents', index=True)
    noticed_at = DateTimeField()
    reported_at = DateTimeField(default=utcnow, index=True)
    aware_at = DateTimeField()
    aware_reason = CharField(max_length=500, default='')
    handler = ForeignKeyField(User, null=True, backref='handled_incidents', index=True)
    estimated_persons = IntegerField(null=True)
    persons_affected = IntegerField(null=True)
    data_items = CharField(max_length=2000, default='')
    special_care = BooleanField(default=False)
    property_damage_risk = BooleanField(default=False)
    wrongful_purpose = BooleanField(default=False)
    data_being_acquired = BooleanField(default=False)
    advanced_encryption = BooleanField(default=False)
    encryption_note = CharField(max_length=300, default='')
    # May the key or password have leaked too? (appi.KEY_*; migration 0011)
    key_leaked = CharField(max_length=8, default=appi.KEY_UNKNOWN)
    reportable = BooleanField(default=False, index=True)
    preliminary_sent_on = DateField(null=True)
    final_sent_on = DateField(null=True)
    notice_sent_on = DateField(null=True)
    notice_count = IntegerField(null=True)
    notice_method = CharField(max_length=200, default='')
    announcement_on = DateField(null=True)
    announcement_note = CharField(max_length=300, default='')
    report_cause = EncryptedTextField(null=True)
    report_secondary_damage = EncryptedTextField(null=True)
    report_recurrence = EncryptedTextField(null=True)
    report_other = EncryptedTextField(null=True)
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        table_name = 'incident'
        indexes = ((('year', 'number'), True),)

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def kind_label(self):
        return SHORT_KIND_LABELS.get(self.kind, self.kind)

    @property
    def severity_label(self):
        return SEVERITY_LABELS.get(self.severity, '') if self.severity else ''

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def key_leaked_label(self):
        return KEY_LEAKED_LABELS.get(self.key_leaked, self.key_leaked)

    @property
    def item_list(self):
        return [i for i in (self.data_items or '').split('\n') if i.strip()]

    def reporter(self):
        """The reporter's identity (decrypts: log the read)."""
        try:
            return json.loads(self.reporter_identity or '{}')
        except ValueError:
            return {}

    def is_reporter(self, user):
        return hmac.compare_digest(self.reporter_ref, reporter_ref(user))

    def facts(self):
        return appi.Facts(special_care=self.special_care,
                          property_damage_risk=self.property_damage_risk,
                          wrongful_purpose=self.wrongful_purpose,
                          data_being_acquired=self.data_being_acquired,
                          persons=self.persons_affected,
                          advanced_encryption=self.advanced_encryption,
                          key_leaked=self.key_leaked)

    def assessment(self):
        return appi.assess(self.facts())

    def deadlines(self):
        """{key: appi.Deadline} of the four clocks, each with the ``legaldates.Count``
        that explains it (``deadline.count``)."""
        config = current_app.config
        return appi.deadlines(self.aware_at, self.wrongful_purpose,
                              appi.periods_from_config(config), config['TIMEZONE'])

    def clocks(self, now=None):
        """The report clocks of a reportable case: [Clock], empty when not reportable.

        A dismissed case stops its clocks; a closed one keeps its record.
        """
        if not self.reportable or self.status == DISMISSED:
            return []
        now = now or utcnow()
        found = self.deadlines()
        done = {'preliminary_target': self.preliminary_sent_on,
                'preliminary_max': self.preliminary_sent_on,
                'final': self.final_sent_on,
                'notice': self.notice_sent_on or self.announcement_on}
        clocks = [appi.clock(found[key], done[key], now) for key in
                  ('preliminary_target', 'preliminary_max', 'final', 'notice')]
        if self.status == CLOSED:
            return [c for c in clocks if c.state != appi.OVERDUE]
        return clocks

    def next_clock(self, now=None):
        """The most pressing clock still running (or overdue), or None."""
        running = [c for c in self.clocks(now) if c.done_on is None]
        if not running:
            return None
        overdue = [c for c in running if c.state == appi.OVERDUE]
        if overdue:
            return max(overdue, key=lambda c: -c.remaining)
        return min(running, key=lambda c: c.remaining)

    def is_overdue(self, now=None):
        return any(c.state == appi.OVERDUE for c in self.clocks(now))

    @classmethod
    def visible_to(cls, user):
        """The incidents ``user`` may see; admin-only accounts see none.

        The committee and the auditors see all; a manager those of the
        departments they manage (the reporter's, or a linked ledger entry's);
        a handler those assigned to them; everyone their own reports.
        """
        query = cls.select()
        if not user.has_role(R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER,
                             R.AUDITOR):
            return query.where(cls.id.is_null())
        if user.reads_all_departments():
            return query
        condition = (cls.reporter_ref == reporter_ref(user)) | (cls.handler == user.id)
        managed = list(user.managed_department_ids) if user.has_role(R.MANAGER) else []
        if managed:
            departments = (cls.department.in_(managed)
                           | cls.id.in_(IncidentLedgerLink.incidents_of_departments(managed)))
            condition |= departments & cls.released_to_departments()
        return query.where(condition)

    @classmethod
    def released_to_departments(cls):
        """Condition: the case reaches the managers of its departments. A named report at
        once; a confidential one only once the committee has triaged it (the
        investigation started), so that the reporter's own manager, who may be what the
        report is about, cannot tell who filed it from when it came in."""
        return (cls.reporter_name_shown == True) | cls.status.in_(TRIAGED)  # noqa: E712

    @property
    def is_released_to_departments(self):
        return self.reporter_name_shown or self.status in TRIAGED

    @classmethod
    def own_reports(cls, user):
        return cls.select().where(cls.reporter_ref == reporter_ref(user)).order_by(
            cls.reported_at.desc())

    @classmethod
    def listing(cls, user, status=None, reportable=None, overdue=False, department_id=None,
                handler_id=None, today=None):
        """The list page's query: department and handler joined, filters applied."""
        Handler = User.alias()
        query = (cls.visible_to(user)
                 .select_extend(Department.id, Department.code, Department.name, Handler.id,
                                Handler.name)
                 .join(Department, on=(cls.department == Department.id))
                 .switch(cls)
                 .join(Handler, JOIN.LEFT_OUTER, on=(cls.handler == Handler.id)))
        if status == 'open':
            query = query.where(cls.status.in_(OPEN_STATUSES))
        elif status in STATUSES:
            query = query.where(cls.status == status)
        if reportable is not None:
            query = query.where(cls.reportable == reportable)
        if overdue:
            query = query.where(cls.overdue_condition(today))
        if department_id:
            query = query.where(cls.department == department_id)
        if handler_id == 'none':
            query = query.where(cls.handler.is_null())
        elif handler_id:
            query = query.where(cls.handler == handler_id)
        return query.order_by(cls.reported_at.desc(), cls.id.desc())

    @classmethod
    def overdue_condition(cls, today):
        """SQL for 'a report clock has run out' at the start of ``today`` (office zone).

        Matches ``clocks()``: the latest preliminary report, the final report and the
        notice to the individuals, each counted until it is recorded, by the same
        ``legaldates`` counts (closed days included), through one cut-off instant each.
        """
        config = current_app.config
        zone = config['TIMEZONE']
        periods = appi.periods_from_config(config)

        def cut(key, wrongful=False):
            return appi.overdue_cutoff(
                today, lambda aware_on: appi.counts(aware_on, wrongful, periods)[key], zone)

        final = (((cls.wrongful_purpose == False) & (cls.aware_at < cut('final')))  # noqa: E712
                 | ((cls.wrongful_purpose == True)  # noqa: E712
                    & (cls.aware_at < cut('final', wrongful=True))))
        late = ((cls.preliminary_sent_on.is_null() & (cls.aware_at < cut('preliminary_max')))
                | (cls.final_sent_on.is_null() & final)
                | (cls.notice_sent_on.is_null() & cls.announcement_on.is_null()
                   & (cls.aware_at < cut('notice'))))
        return (cls.reportable == True) & cls.status.in_(OPEN_STATUSES) & late  # noqa: E712

    @classmethod
    def clock_columns(cls):
        """The columns ``clocks()`` and ``next_clock()`` read: none of the encrypted ones."""
        return (cls.id, cls.status, cls.reported_at, cls.reportable, cls.aware_at,
                cls.wrongful_purpose, cls.preliminary_sent_on, cls.final_sent_on,
                cls.notice_sent_on, cls.announcement_on)

    @classmethod
    def clocks_for(cls, user, today):
        """Open reportable cases ``user`` may see with a PPC report or the notice to the
        individuals still to do: those with an overdue clock first, then by awareness.

        Rows carry ``clock_columns()`` and the reference; ``next_clock()`` says which
        deadline presses.
        """
        pending = (cls.preliminary_sent_on.is_null() | cls.final_sent_on.is_null()
                   | (cls.notice_sent_on.is_null() & cls.announcement_on.is_null()))
        overdue_first = Case(None, [(cls.overdue_condition(today), 0)], 1)
        return (cls.visible_to(user).select(*cls.clock_columns(), cls.reference)
                .where((cls.reportable == True) & cls.status.in_(OPEN_STATUSES)  # noqa: E712
                       & pending)
                .order_by(overdue_first, cls.aware_at, cls.id))

    @classmethod
    def awaiting_triage(cls, user):
        """New reports ``user`` may see that nobody has triaged yet, oldest first."""
        return (cls.visible_to(user)
                .select(cls.id, cls.reference, cls.kind, cls.summary, cls.reported_at)
                .where(cls.status == REPORTED).order_by(cls.reported_at, cls.id))

    @classmethod
    def locked(cls, incident_id):
        """The row, locked for the rest of the transaction (SQLite's lock is global)."""
        query = cls.select().where(cls.id == incident_id)
        if not is_sqlite():
            query = query.for_update()
        return query.get()


class IncidentAttachment(EncryptedModel):
    incident = ForeignKeyField(Incident, backref='attachments', on_delete='RESTRICT')
    filename = EncryptedTextField()
    content = EncryptedBlobField()
    media_type = CharField(max_length=40)
    size = IntegerField()
    uploaded_by = ForeignKeyField(User, null=True, backref='+')
    by_reporter = BooleanField(default=False)
    uploaded_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'incident_attachment'

    @classmethod
    def without_content(cls):
        """Attachments without their (large) content column."""
        fields = [f for f in cls._meta.sorted_fields if f.name != 'content']
        return cls.select(*fields)


class IncidentEvent(EncryptedModel):
    """One append-only timeline entry; triggers (migration 0003) refuse edits."""
    REPORTED = 'reported'
    TRANSITION = 'transition'
    TRIAGE = 'triage'
    AWARENESS = 'awareness'
    REPORTS = 'reports'
    PACK = 'pack'
    COMMENT = 'comment'
    ATTACHMENT = 'attachment'
    LEDGER = 'ledger'
    ACTION = 'action'

    incident = ForeignKeyField(Incident, backref='events', on_delete='RESTRICT')
    at = DateTimeField(default=utcnow)
    kind = CharField(max_length=20)
    author = ForeignKeyField(User, null=True, backref='+')
    by_reporter = BooleanField(default=False)
    from_status = CharField(max_length=16, null=True)
    to_status = CharField(max_length=16, null=True)
    summary = CharField(max_length=500, default='')
    body = EncryptedTextField(null=True)
    attachment = ForeignKeyField(IncidentAttachment, null=True, backref='+')
    internal = BooleanField(default=True)
    # What the entry changed, as JSON (timeline.py writes it in words; migration 0023).
    details = TextField(null=True)

    class Meta:
        table_name = 'incident_event'
        indexes = ((('incident', 'at'), False),)

    @classmethod
    def timeline(cls, incident, for_reporter=False):
        """The entries of ``incident``, oldest first, with authors (one query).

        The reporter sees the report, the status changes (without the
        committee's notes) and what they added themselves.
        """
        Author = User.alias()
        query = (cls.select(cls, Author)
                 .join(Author, JOIN.LEFT_OUTER, on=(cls.author == Author.id))
                 .where(cls.incident == incident.id))
        if for_reporter:
            query = query.where((cls.internal == False) | (cls.by_reporter == True))  # noqa: E712
        return list(query.order_by(cls.at, cls.id))

    @property
    def status_labels(self):
        return (STATUS_LABELS.get(self.from_status, self.from_status),
                STATUS_LABELS.get(self.to_status, self.to_status))

    @property
    def text(self):
        """What the entry did, in the reader's language (timeline.describe)."""
        from .timeline import describe
        return describe(self)


class IncidentLedgerLink(BaseModel):
    """A ledger entry (data set) concerned by an incident."""
    incident = ForeignKeyField(Incident, backref='ledger_links', on_delete='CASCADE')
    entry = ForeignKeyField(LedgerEntry, backref='incident_links', on_delete='RESTRICT')
    linked_by = ForeignKeyField(User, null=True, backref='+')
    by_reporter = BooleanField(default=False)
    linked_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'incident_ledger_link'
        indexes = ((('incident', 'entry'), True), (('entry',), False))

    @classmethod
    def incidents_of_departments(cls, department_ids):
        """Subquery: ids of incidents linked to an entry of these departments."""
        return (cls.select(cls.incident)
                .join(LedgerEntry, on=(cls.entry == LedgerEntry.id))
                .where(LedgerEntry.department.in_(list(department_ids))))

    @classmethod
    def for_incident(cls, incident):
        """The linked entries with their departments (one query)."""
        return list(cls.select(cls, LedgerEntry, Department)
                    .join(LedgerEntry, on=(cls.entry == LedgerEntry.id))
                    .join(Department, on=(LedgerEntry.department == Department.id))
                    .where(cls.incident == incident.id)
                    .order_by(cls.linked_at, cls.id))


def reporter_entry_choices(user, q='', limit=20):
    """Titles of the ledger entries of the reporter's department (not retired).

    Every employee may search these titles to say which data set is concerned,
    without seeing anything else of the ledger.
    """
    query = (LedgerEntry.select(LedgerEntry.id, LedgerEntry.title)
             .where((LedgerEntry.department == user.department_id)
                    & (LedgerEntry.status != 'retired')))
    term = (q or '').strip()
    if term:
        query = query.where(LedgerEntry.title.contains(term))
    return list(query.order_by(LedgerEntry.title, LedgerEntry.id).limit(limit))


def committee_entry_choices(q='', limit=20):
    """Any department's entries by title or reference, for the committee's triage."""
    query = (LedgerEntry.select(LedgerEntry.id, LedgerEntry.title, LedgerEntry.department,
                                Department.code)
             .join(Department, on=(LedgerEntry.department == Department.id)))
    term = (q or '').strip()
    if term:
        condition = LedgerEntry.title.contains(term)
        ref = LedgerEntry.id_from_reference(term)
        if ref is not None:
            condition |= (LedgerEntry.id == ref)
        query = query.where(condition)
    return list(query.order_by(Department.code, LedgerEntry.title, LedgerEntry.id).limit(limit))


# The two reports to the PPC (速報, 確報) whose pack is filed, in filing order.
PRELIMINARY = 'preliminary'
FINAL = 'final'
PACK_STAGES = (
    (PRELIMINARY, _l('Preliminary report')),
    (FINAL, _l('Final report')),
)
PACK_STAGE_LABELS = dict(PACK_STAGES)
# The incident's date column recording each report's filing.
FILED_ON_FIELD = {PRELIMINARY: 'preliminary_sent_on', FINAL: 'final_sent_on'}


class IncidentFiling(EncryptedModel):
    """The PPC report pack as it stood when a report's filing was recorded: what was known
    at that filing. ``facts`` is the pack's content (JSON, encrypted: it holds the
    narrative and the report texts), taken in the same transaction as the filing date;
    the 速報 and 確報 PDFs are made from it in either language. A corrected filing date
    keeps the facts; a cleared one removes the row."""
    incident = ForeignKeyField(Incident, backref='filings', on_delete='RESTRICT')
    stage = CharField(max_length=16)
    filed_on = DateField()
    recorded_at = DateTimeField(default=utcnow)
    recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    facts = EncryptedTextField()

    class Meta:
        table_name = 'incident_filing'
        indexes = ((('incident', 'stage'), True),)

    @classmethod
    def of_incident(cls, incident_id):
        """{stage: filing} of an incident (one query)."""
        return {f.stage: f for f in cls.select().where(cls.incident == incident_id)}


class IncidentPackCopy(EncryptedModel):
    """A copy of a PPC report pack's PDF as it was made (encrypted), so that the committee
    can show later what was filed."""
    incident = ForeignKeyField(Incident, backref='pack_copies', on_delete='RESTRICT')
    stage = CharField(max_length=16)
    filed = BooleanField(default=False)  # made from the record of a filing, not a draft
    locale = CharField(max_length=8)
    file_name = CharField(max_length=200)
    pages = IntegerField()
    size = IntegerField()
    sha256 = CharField(max_length=64)
    content = EncryptedBlobField()
    made_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    made_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'incident_pack_copy'
        indexes = ((('incident', 'made_at'), False),)

    @property
    def stage_label(self):
        return PACK_STAGE_LABELS.get(self.stage, self.stage)

    @classmethod
    def for_incident(cls, incident_id):
        """The copies without their content, newest first, with who made each (one
        query)."""
        return list(cls.select(cls.id, cls.uid, cls.incident, cls.stage, cls.filed, cls.locale,
                               cls.file_name, cls.pages, cls.size, cls.sha256, cls.made_at,
                               User.id, User.name)
                    .join(User, JOIN.LEFT_OUTER, on=(cls.made_by == User.id))
                    .where(cls.incident == incident_id)
                    .order_by(cls.made_at.desc(), cls.id.desc()))

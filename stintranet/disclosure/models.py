"""Requests for Disclosure, their submitted documents, timeline and destruction records."""
import datetime

from peewee import (
    JOIN,
    BlobField,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    fn,
)

from .. import legaldates
from ..auth import roles as R
from ..auth.models import Department, User
from ..crypto import EncryptedBlobField, EncryptedModel, EncryptedTextField
from ..db import BaseModel, utcnow
from ..ledger.models import LedgerEntry
from ..models import Bookkeeping
from ..registers.models import ProvisionRecord, PurposeChange
from . import catalogue as C
from . import checklist, envelope

# Who may read requests at all; only the Customer Center changes them.
READERS = (R.CUSTOMER_CENTER, R.COMMITTEE)
HANDLERS = (R.CUSTOMER_CENTER,)

# Countdown shown until the answer (or the refusal notice) has gone out.
AWAITING = (C.RECEIVED, C.VERIFYING, C.IN_PROGRESS, C.REFUSED)


def may_read(user):
    return bool(user and user.is_authenticated and user.has_role(*READERS))


class DisclosureRequest(Bookkeeping, EncryptedModel):
    received_on = DateField(index=True)
    mail_number = CharField(max_length=40)
    types = CharField(max_length=200)
    requested_method = CharField(max_length=16, default=C.UNSPECIFIED)
    # The requester's and proxy's identity: encrypted, replaced by a marker on destruction.
    requester_name = EncryptedTextField(null=True)
    requester_address = EncryptedTextField(null=True)
    requester_phone = EncryptedTextField(null=True)
    requester_email = EncryptedTextField(null=True)
    proxy_kind = CharField(max_length=24, default=C.IN_PERSON)
    proxy_name = EncryptedTextField(null=True)
    proxy_relationship = EncryptedTextField(null=True)
    # The person concerned is a minor (policy §6; migration 0016).
    concerns_minor = BooleanField(default=False)
    # The language of the letters to the requester (migration 0022).
    language = CharField(max_length=8, default=C.JAPANESE)
    # The identity-verification checklist.
    id_document_type = CharField(max_length=24, default='')
    form_complete = BooleanField(default=False)
    address_matches = BooleanField(default=False)
    relationship_document_checked = BooleanField(default=False)
    representative_id_checked = BooleanField(default=False)
    power_of_attorney_checked = BooleanField(default=False)
    seal_certificate_checked = BooleanField(default=False)
    minor_age_checked = BooleanField(default=False)
    representative_consent_checked = BooleanField(default=False)
    # Progress.
    status = CharField(max_length=16, default=C.RECEIVED, index=True)
    due_on = DateField(index=True)
    verified_on = DateField(null=True)
    decision = CharField(max_length=16, default='')
    refusal_reason = CharField(max_length=40, default='')
    explanation = EncryptedTextField(null=True)
    decided_on = DateField(null=True)
    response_method = CharField(max_length=16, default='')
    paper_reason = EncryptedTextField(null=True)
    responded_on = DateField(null=True)
    completed_on = DateField(null=True)
    destroy_after = DateField(null=True, index=True)
    destroyed_at = DateTimeField(null=True)
    # The documents' data key (see envelope.py); NULL once destroyed.
    data_key = EncryptedBlobField(null=True)
    created_by = ForeignKeyField(User, backref='+')  # never NULL, no ON DELETE (0005)

    class Meta:
        table_name = 'disclosure_request'

    IDENTITY_FIELDS = ('requester_name', 'requester_address', 'requester_phone',
                       'requester_email', 'proxy_name', 'proxy_relationship')
    # Columns the list and panels read: never an encrypted one.
    LIST_COLUMNS = ('id', 'received_on', 'mail_number', 'types', 'proxy_kind', 'status',
                    'due_on', 'decision', 'responded_on', 'completed_on', 'destroy_after',
                    'destroyed_at')

    @property
    def reference(self):
        return 'DR-%05d' % self.id

    @property
    def type_codes(self):
        return [code for code in (self.types or '').split(',') if code in C.TYPE_LABELS]

    @property
    def type_labels(self):
        return [C.TYPE_LABELS[code] for code in self.type_codes]

    @property
    def status_label(self):
        return C.STATUS_LABELS.get(self.status, self.status)

    @property
    def language_label(self):
        return C.LANGUAGE_LABELS.get(self.language, self.language)

    @property
    def is_proxy(self):
        return self.proxy_kind in (C.LEGAL_REPRESENTATIVE, C.APPOINTED_AGENT)

    def keeping_period(self, months):
        """The documents' keeping period (``legaldates.Count``) once the request is
        completed, else None: kept through ``deadline`` (stored as ``destroy_after``),
        destroyed from ``day_after``. ``months``: DISCLOSURE_RETENTION_MONTHS."""
        if self.completed_on is None:
            return None
        return legaldates.disclosure_documents_kept_until(self.completed_on, months)

    @property
    def is_destroyed(self):
        return self.destroyed_at is not None

    @property
    def awaiting_response(self):
        """True while the answer or refusal notice has not been sent: the countdown runs."""
        return self.status in AWAITING and self.responded_on is None

    def days_left(self, today):
        """Days until the internal due date (negative when overdue), or None once answered."""
        if not self.awaiting_response or self.due_on is None:
            return None
        return (self.due_on - today).days

    def ticked(self):
        return {name: getattr(self, name) for name in checklist.CHECK_FIELDS}

    @classmethod
    def visible_to(cls, user, *columns):
        """Requests this user may read: every one for the Customer Center and the committee,
        none for anyone else (admins and auditors included)."""
        query = cls.select(*columns) if columns else cls.select()
        if not may_read(user):
            return query.where(cls.id.is_null())
        return query

    @classmethod
    def get_visible(cls, user, request_id):
        return cls.visible_to(user).where(cls.id == request_id).first()

    @classmethod
    def listing(cls, user, today, status=None, overdue=False, search=None):
        """The list page's rows (no encrypted column), open ones first by due date."""
        query = cls.visible_to(user, *[getattr(cls, name) for name in cls.LIST_COLUMNS])
        if status == 'open':
            query = query.where(cls.status != C.COMPLETED)
        elif status in C.STATUS_LABELS:
            query = query.where(cls.status == status)
        if overdue:
            query = query.where(cls.awaiting_clause() & (cls.due_on < today))
        if search:
            term = search.strip().upper()
            number = term[3:] if term.startswith('DR-') else term
            clause = cls.mail_number.contains(search.strip())
            if number.isdigit() and len(number) <= 9:
                clause = clause | (cls.id == int(number))
            query = query.where(clause)
        done_last = Case(None, [(cls.status == C.COMPLETED, 1)], 0)
        return query.order_by(done_last, cls.due_on, cls.id)

    @classmethod
    def awaiting_answer(cls, user):
        """Requests ``user`` may read whose answer has not gone out, the soonest due first
        (no encrypted column)."""
        return (cls.visible_to(user, *[getattr(cls, name) for name in cls.LIST_COLUMNS])
                .where(cls.awaiting_clause()).order_by(cls.due_on, cls.id))

    @classmethod
    def awaiting_clause(cls):
        return cls.status.in_(AWAITING) & cls.responded_on.is_null()

    @classmethod
    def due_summary(cls, user, today, soon_days=3, limit=5):
        """Counts of requests awaiting an answer (all, overdue, due soon) and the next due:
        two queries whatever the number of requests."""
        counts, upcoming = cls.due_summary_queries(user, today, soon_days, limit)
        return cls.summary_from(counts.first(), list(upcoming))

    @classmethod
    def due_summary_queries(cls, user, today, soon_days=3, limit=5):
        """The queries behind ``due_summary`` (not run): (one row of counts as a dict,
        the next requests due)."""
        soon = today + datetime.timedelta(days=soon_days)
        counts = cls.visible_to(
            user,
            fn.COUNT(cls.id).alias('open_count'),
            fn.SUM(Case(None, [(cls.due_on < today, 1)], 0)).alias('overdue_count'),
            fn.SUM(Case(None, [((cls.due_on >= today) & (cls.due_on <= soon), 1)],
                           0)).alias('soon_count'),
        ).where(cls.awaiting_clause()).dicts()
        upcoming = (cls.visible_to(user, *[getattr(cls, n) for n in cls.LIST_COLUMNS])
                    .where(cls.awaiting_clause())
                    .order_by(cls.due_on, cls.id).limit(limit))
        return counts, upcoming

    @staticmethod
    def summary_from(row, upcoming):
        """``due_summary``'s dict from the counts row (or None) and the upcoming requests."""
        row = row or {}
        return {'open': row.get('open_count') or 0,
                'overdue': int(row.get('overdue_count') or 0),
                'soon': int(row.get('soon_count') or 0),
                'upcoming': upcoming}

    @classmethod
    def due_for_destruction(cls, today):
        """Ids of completed requests whose documents are past their keeping period:
        destroyed when ``today`` is after ``destroy_after``, never on the day itself."""
        query = (cls.select(cls.id)
                 .where((cls.status == C.COMPLETED) & cls.destroyed_at.is_null()
                        & cls.destroy_after.is_null(False) & (cls.destroy_after < today))
                 .order_by(cls.id))
        return [row.id for row in query]


class RequestDocument(BaseModel):
    """A scanned document; its name and content are sealed with the request's data key."""
    request = ForeignKeyField(DisclosureRequest, backref='documents', on_delete='CASCADE')
    kind = CharField(max_length=32)
    mime = CharField(max_length=40)
    size = IntegerField()
    filename = BlobField()
    content = BlobField()
    uploaded_by = ForeignKeyField(User, backref='+')
    uploaded_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'disclosure_document'

    @property
    def kind_label(self):
        return C.DOCUMENT_LABELS.get(self.kind, self.kind)

    @classmethod
    def metadata_for(cls, request_id):
        """The documents of a request without their content (one query)."""
        return list(cls.select(cls.id, cls.request, cls.kind, cls.mime, cls.size,
                               cls.filename, cls.uploaded_at, cls.uploaded_by)
                    .where(cls.request == request_id).order_by(cls.id))

    @classmethod
    def kinds_for(cls, request_id):
        return [row.kind for row in cls.select(cls.kind).where(cls.request == request_id)]

    def open_filename(self, data_key):
        return envelope.open_sealed(data_key, self.filename, envelope.document_aad(
            self.request_id, self.id, 'filename')).decode('utf-8')

    def open_content(self, data_key):
        return envelope.open_sealed(data_key, self.content, envelope.document_aad(
            self.request_id, self.id, 'content'))


class DisclosureEvent(BaseModel):
    """The timeline: one row per step, who took it and when (never personal data)."""
    request = ForeignKeyField(DisclosureRequest, backref='events', on_delete='CASCADE')
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(User, null=True, backref='+')
    action = CharField(max_length=40)
    from_status = CharField(max_length=16, default='')
    to_status = CharField(max_length=16, default='')
    note = CharField(max_length=200, default='')

    class Meta:
        table_name = 'disclosure_event'
        indexes = ((('request', 'at'), False),)

    @classmethod
    def timeline(cls, request_id):
        """Events oldest first, with the actor's name: one query."""
        return list(cls.select(cls, User.id, User.name, User.email)
                    .join(User, JOIN.LEFT_OUTER, on=(cls.actor == User.id))
                    .where(cls.request == request_id).order_by(cls.at, cls.id))


class DisclosureDestruction(BaseModel):
    """What the daily job destroyed, kept after the documents are gone."""
    request = ForeignKeyField(DisclosureRequest, unique=True, backref='destructions',
                              on_delete='CASCADE')
    destroyed_at = DateTimeField(default=utcnow)
    run_date = DateField()
    destroy_after = DateField()
    document_count = IntegerField()
    total_bytes = IntegerField()
    kinds = CharField(max_length=300, default='')
    fields_redacted = CharField(max_length=300, default='')
    method = CharField(max_length=200)
    letter_copies = IntegerField(default=0)  # copies of the letters sent (0020)

    class Meta:
        table_name = 'disclosure_destruction'

    @property
    def kind_counts(self):
        """[(label, count)] of the destroyed documents by kind."""
        result = []
        for part in filter(None, (self.kinds or '').split(';')):
            kind, _sep, count = part.partition('=')
            result.append((C.DOCUMENT_LABELS.get(kind, kind), int(count or 0)))
        return result

    @property
    def redacted_labels(self):
        """The identity fields replaced by the marker, as the intake form names them."""
        return [C.IDENTITY_LABELS.get(name, name)
                for name in filter(None, (self.fields_redacted or '').split(','))]


class DisclosureLedgerLink(BaseModel):
    """A ledger entry searched for the request (the processes that may hold the data)."""
    request = ForeignKeyField(DisclosureRequest, backref='ledger_links', on_delete='CASCADE')
    entry = ForeignKeyField(LedgerEntry, backref='+', on_delete='CASCADE')
    linked_by = ForeignKeyField(User, backref='+')
    linked_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'disclosure_ledger_link'
        indexes = ((('request', 'entry'), True),)

    @classmethod
    def for_request(cls, request_id):
        """The linked entries' reference, title, status and department: one query.

        Customer Center staff do not read the ledger; they see only these columns.
        """
        return list(cls.select(cls.id, cls.entry, cls.linked_at, LedgerEntry.id,
                               LedgerEntry.title, LedgerEntry.status, Department.id,
                               Department.code)
                    .join(LedgerEntry, on=(cls.entry == LedgerEntry.id))
                    .join(Department, on=(LedgerEntry.department == Department.id))
                    .where(cls.request == request_id)
                    .order_by(Department.code, LedgerEntry.title))

    @staticmethod
    def candidates(term, exclude=(), limit=20):
        """Ledger entries whose title or reference matches ``term`` (drafts left out):
        only the id, title, status and department, for linking."""
        term = (term or '').strip()
        if not term:
            return []
        clause = LedgerEntry.title.contains(term)
        entry_id = LedgerEntry.id_from_reference(term)
        if entry_id is not None and entry_id <= 2 ** 31 - 1:
            clause = clause | (LedgerEntry.id == entry_id)
        query = (LedgerEntry.select(LedgerEntry.id, LedgerEntry.title, LedgerEntry.status,
                                    Department.id, Department.code, Department.name)
                 .join(Department, on=(LedgerEntry.department == Department.id))
                 .where(clause & (LedgerEntry.status != 'draft')))
        if exclude:
            query = query.where(LedgerEntry.id.not_in(list(exclude)))
        return list(query.order_by(Department.code, LedgerEntry.title).limit(limit))


class DisclosureProvisionPick(BaseModel):
    """A third-party provision record of a linked ledger entry that the Customer Center
    found to concern the requester (for the disclosure of provision records, APPI Art.
    33(5)). Customer Center staff do not read the provision register: they see the
    linked entries' records here, and disclose the picked ones."""
    request = ForeignKeyField(DisclosureRequest, backref='provision_picks', on_delete='CASCADE')
    record = ForeignKeyField(ProvisionRecord, backref='+', on_delete='CASCADE')
    picked_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    picked_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'disclosure_provision_pick'
        indexes = ((('request', 'record'), True),)


def linked_entry_ids(request_id):
    """A subquery of the ledger entries linked to the request."""
    return (DisclosureLedgerLink.select(DisclosureLedgerLink.entry)
            .where(DisclosureLedgerLink.request == request_id))


def linked_purposes(request_id):
    """The linked entries' purposes of use, with a change of purpose waiting for its date
    (``upcoming``): one query, only what a purpose notification answers."""
    Upcoming = PurposeChange.alias('upcoming')
    return list(LedgerEntry.select(LedgerEntry.id, LedgerEntry.title, LedgerEntry.purposes,
                                   LedgerEntry.status, Department.id, Department.code,
                                   Upcoming.id, Upcoming.new_purpose, Upcoming.effective_on)
                .join_from(LedgerEntry, Department,
                           on=(LedgerEntry.department == Department.id))
                .join_from(LedgerEntry, Upcoming, JOIN.LEFT_OUTER,
                           on=((Upcoming.entry == LedgerEntry.id)
                               & (Upcoming.status == 'scheduled')), attr='upcoming')
                .where(LedgerEntry.id.in_(linked_entry_ids(request_id)))
                .order_by(Department.code, LedgerEntry.title))


def linked_provisions(request_id):
    """The provision records of the linked entries, each with ``picked`` (whether it was
    found to concern the requester) and its entry: one query. Picks of an entry unlinked
    since are left out."""
    Pick = DisclosureProvisionPick
    return list(ProvisionRecord.select(ProvisionRecord, LedgerEntry.id, LedgerEntry.title,
                                       Department.id, Department.code,
                                       Pick.id.is_null(False).alias('picked'))
                .join_from(ProvisionRecord, LedgerEntry,
                           on=(ProvisionRecord.entry == LedgerEntry.id))
                .join_from(LedgerEntry, Department,
                           on=(LedgerEntry.department == Department.id))
                .join_from(ProvisionRecord, Pick, JOIN.LEFT_OUTER,
                           on=((Pick.record == ProvisionRecord.id)
                               & (Pick.request == request_id)), attr='pick')
                .where(ProvisionRecord.entry.in_(linked_entry_ids(request_id)))
                .order_by(Department.code, LedgerEntry.title, ProvisionRecord.provided_on.desc(),
                          ProvisionRecord.id))


class DisclosureLetterCopy(BaseModel):
    """A copy of a letter's PDF as it was made for the requester, so that the office can
    show later what was sent. The content is sealed with the request's data key and the
    row goes with the request's documents when they are destroyed."""
    request = ForeignKeyField(DisclosureRequest, backref='letter_copies', on_delete='CASCADE')
    kind = CharField(max_length=16)  # C.ACCEPTED (the response) or C.REFUSAL
    locale = CharField(max_length=8)
    file_name = CharField(max_length=200)
    pages = IntegerField()
    size = IntegerField()
    sha256 = CharField(max_length=64)
    content = BlobField()
    made_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    made_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'disclosure_letter_copy'
        indexes = ((('request', 'made_at'), False),)

    @property
    def kind_label(self):
        return C.LETTER_LABELS.get(self.kind, self.kind)

    @classmethod
    def for_request(cls, request_id):
        """The copies of a request without their content, newest first, with who made
        each (one query)."""
        return list(cls.select(cls.id, cls.request, cls.kind, cls.locale, cls.file_name,
                               cls.pages, cls.size, cls.sha256, cls.made_at, User.id,
                               User.name)
                    .join(User, JOIN.LEFT_OUTER, on=(cls.made_by == User.id))
                    .where(cls.request == request_id)
                    .order_by(cls.made_at.desc(), cls.id.desc()))

    def open_content(self, data_key):
        return envelope.open_sealed(data_key, self.content,
                                    envelope.letter_copy_aad(self.request_id, self.id))

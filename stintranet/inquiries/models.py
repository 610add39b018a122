"""Inquiries and complaints (APPI Art. 40), recorded and answered by the Customer Center.

The person's name and contact details, what they said and the answer are encrypted at
rest; lists and counts read only the plain columns. An inquiry that becomes a Request for
Disclosure or an incident is linked to it (``InquiryLink``), shown on both sides.

Readers are the Customer Center, who handles them, and the committee (read-only); the
auditors, like everyone else, read none (DESIGN: Customer Center data).
"""
import datetime

from peewee import JOIN, SQL, Case, CharField, DateField, DateTimeField, ForeignKeyField, fn

from ..auth import roles as R
from ..auth.models import User
from ..crypto import EncryptedModel, EncryptedTextField
from ..db import BaseModel, utcnow
from ..disclosure.models import DisclosureRequest
from ..incidents.models import Incident
from ..models import Bookkeeping
from ..timezone import local_date_to_utc, office_zone
from . import catalogue as C

READERS = (R.CUSTOMER_CENTER, R.COMMITTEE)
HANDLERS = (R.CUSTOMER_CENTER,)
NOTHING = SQL('1 = 0')


def may_read(user):
    return bool(user and user.is_authenticated and user.has_role(*READERS))


def may_handle(user):
    return bool(user and user.is_authenticated and user.has_role(*HANDLERS))


def local_time(moment):
    """A stored (naive UTC) time in the office's zone."""
    if moment is None:
        return None
    return moment.replace(tzinfo=datetime.timezone.utc).astimezone(office_zone())


def local_day(moment):
    """The office's date of a stored (naive UTC) time."""
    return local_time(moment).date() if moment is not None else None


class Inquiry(Bookkeeping, EncryptedModel):
    kind = CharField(max_length=16, default=C.INQUIRY)
    channel = CharField(max_length=16)
    received_at = DateTimeField(index=True)
    contact_name = EncryptedTextField(null=True)
    contact_details = EncryptedTextField(null=True)
    subject = CharField(max_length=200)
    content = EncryptedTextField(null=True)
    category = CharField(max_length=24, index=True)
    due_on = DateField(index=True)
    status = CharField(max_length=16, default=C.OPEN, index=True)
    answer = EncryptedTextField(null=True)
    answered_by = ForeignKeyField(User, null=True, backref='+')
    answered_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, backref='+')
    closed_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, backref='+')

    class Meta:
        table_name = 'inquiry'

    # Encrypted: read them only on the pages that log the read.
    PERSONAL_FIELDS = ('contact_name', 'contact_details', 'content', 'answer')
    # The columns lists, panels and exports read: never an encrypted one.
    LIST_COLUMNS = ('id', 'kind', 'channel', 'received_at', 'subject', 'category', 'due_on',
                    'status', 'answered_at', 'closed_at', 'version')

    @property
    def reference(self):
        return 'INQ-%05d' % self.id

    @property
    def kind_label(self):
        return C.KIND_LABELS.get(self.kind, self.kind)

    @property
    def channel_label(self):
        return C.CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def category_label(self):
        return C.CATEGORY_LABELS.get(self.category, self.category)

    @property
    def status_label(self):
        return C.STATUS_LABELS.get(self.status, self.status)

    @property
    def is_complaint(self):
        return self.kind == C.COMPLAINT

    @property
    def answered_on(self):
        return local_day(self.answered_at)

    def is_overdue(self, today):
        return self.status == C.OPEN and self.due_on < today

    def answered_late(self):
        return self.answered_at is not None and self.answered_on > self.due_on

    def days_left(self, today):
        return (self.due_on - today).days if self.status == C.OPEN else None

    @classmethod
    def list_columns(cls):
        return [getattr(cls, name) for name in cls.LIST_COLUMNS]

    @classmethod
    def visible_to(cls, user, *columns):
        """Every inquiry for the Customer Center and the committee, none for anyone else."""
        query = cls.select(*columns) if columns else cls.select()
        return query if may_read(user) else query.where(NOTHING)

    @classmethod
    def get_visible(cls, user, inquiry_id):
        return cls.visible_to(user).where(cls.id == inquiry_id).first()

    @classmethod
    def search(cls, user, today, status=None, kind=None, category=None, q=None):
        """The list's rows (no encrypted column): open ones by due date first, then the
        newest."""
        query = cls.visible_to(user, *cls.list_columns())
        if status in (None, '', 'open'):
            query = query.where(cls.status == C.OPEN)
        elif status == 'overdue':
            query = query.where((cls.status == C.OPEN) & (cls.due_on < today))
        elif status in (C.ANSWERED, C.CLOSED):
            query = query.where(cls.status == status)
        if kind:
            query = query.where(cls.kind == kind)
        if category:
            query = query.where(cls.category == category)
        if q:
            term = q.strip()
            number = term.upper().removeprefix('INQ-').lstrip('0')
            condition = cls.subject.contains(term)
            if number.isdigit() and len(number) < 10:
                condition |= cls.id == int(number)
            query = query.where(condition)
        return query.order_by(Case(None, [(cls.status == C.OPEN, 0)], 1), cls.due_on,
                              cls.received_at.desc(), cls.id.desc())

    @classmethod
    def awaiting_answer(cls, user):
        """Open inquiries for the Customer Center, the earliest due first (query)."""
        query = cls.select(*cls.list_columns()).where(cls.status == C.OPEN)
        if not may_handle(user):
            query = query.where(NOTHING)
        return query.order_by(cls.due_on, cls.id)

    @classmethod
    def since(cls, start):
        """The plain columns of every inquiry received from ``start`` (a date, office zone),
        for the trends (one query)."""
        return list(cls.select(*cls.list_columns())
                    .where(cls.received_at >= local_date_to_utc(start))
                    .order_by(cls.received_at))


class InquiryLink(BaseModel):
    """An inquiry that became a Request for Disclosure or an incident (one of the two)."""
    inquiry = ForeignKeyField(Inquiry, backref='+', on_delete='CASCADE')
    disclosure_request = ForeignKeyField(DisclosureRequest, null=True, backref='+',
                                         index=True)
    incident = ForeignKeyField(Incident, null=True, backref='+', index=True)
    note = CharField(max_length=200, default='')
    created_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'inquiry_link'
        indexes = ((('inquiry', 'disclosure_request'), True),
                   (('inquiry', 'incident'), True))

    @property
    def kind(self):
        return C.DISCLOSURE if self.disclosure_request_id else C.INCIDENT

    @classmethod
    def of_inquiry(cls, inquiry):
        """The inquiry's links with the request's or incident's plain columns (one query)."""
        return list(cls.select(cls, DisclosureRequest.id, DisclosureRequest.status,
                               DisclosureRequest.received_on, Incident.id, Incident.reference,
                               Incident.status, Incident.summary)
                    .join_from(cls, DisclosureRequest, JOIN.LEFT_OUTER,
                               on=(cls.disclosure_request == DisclosureRequest.id),
                               attr='disclosure_request')
                    .join_from(cls, Incident, JOIN.LEFT_OUTER, on=(cls.incident == Incident.id),
                               attr='incident')
                    .where(cls.inquiry == inquiry.id).order_by(cls.created_at, cls.id))

    @classmethod
    def inquiries_of(cls, kind, target_id):
        """The inquiries linked to a request or an incident, plain columns only (one query)."""
        column = cls.disclosure_request if kind == C.DISCLOSURE else cls.incident
        return list(Inquiry.select(*Inquiry.list_columns())
                    .join(cls, on=(cls.inquiry == Inquiry.id))
                    .where(column == target_id).order_by(Inquiry.received_at))


def trend_months(today, months=12):
    """The first day of each of the last ``months`` months, the oldest first."""
    firsts, year, month = [], today.year, today.month
    for _ in range(months):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(firsts))


def trends(today, months=12):
    """Counts of the last ``months`` months (by the month received, office zone): per
    category, open / answered / closed, complaints and complaints answered late (after their
    due date, or still open past it). One query; the months are rows, oldest first."""
    firsts = trend_months(today, months)
    rows = {first: {'month': first, 'total': 0, 'complaints': 0, 'late_complaints': 0,
                    'categories': {code: 0 for code, _label in C.CATEGORIES},
                    'statuses': {code: 0 for code, _label in C.STATUSES}}
            for first in firsts}
    for inquiry in Inquiry.since(firsts[0]):
        received = local_day(inquiry.received_at)
        row = rows.get(received.replace(day=1))
        if row is None:
            continue
        row['total'] += 1
        row['categories'][inquiry.category] = row['categories'].get(inquiry.category, 0) + 1
        row['statuses'][inquiry.status] = row['statuses'].get(inquiry.status, 0) + 1
        if inquiry.is_complaint:
            row['complaints'] += 1
            if inquiry.answered_late() or inquiry.is_overdue(today):
                row['late_complaints'] += 1
    found = [rows[first] for first in firsts]
    totals = {'total': sum(r['total'] for r in found),
              'complaints': sum(r['complaints'] for r in found),
              'late_complaints': sum(r['late_complaints'] for r in found),
              'categories': {code: sum(r['categories'][code] for r in found)
                             for code, _label in C.CATEGORIES},
              'statuses': {code: sum(r['statuses'][code] for r in found)
                           for code, _label in C.STATUSES}}
    return found, totals


def open_counts(user, today):
    """{'open', 'overdue', 'due_soon'} of the inquiries ``user`` reads (one query)."""
    soon = today + datetime.timedelta(days=1)
    query = Inquiry.visible_to(
        user, fn.COUNT(Inquiry.id).alias('open'),
        fn.SUM(Case(None, [(Inquiry.due_on < today, 1)], 0)).alias('overdue'),
        fn.SUM(Case(None, [(Inquiry.due_on == soon, 1)], 0)).alias('due_soon'),
    ).where(Inquiry.status == C.OPEN)
    row = query.dicts().first() or {}
    return {k: int(row.get(k) or 0) for k in ('open', 'overdue', 'due_soon')}

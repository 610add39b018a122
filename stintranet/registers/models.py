"""The registers the security measures call for.

``Contractor`` (outsourcing companies, their confidentiality agreements and the
ledger entries entrusted to them) with ``SupervisionCheck`` rows;
``ProvisionRecord`` (third-party provision, APPI Art. 29); ``Asset`` (devices and
media) with ``CarryOut`` approvals and its ``Disposal``; ``PurposeChange``
(notices of a change of purpose of use). Uploaded signed copies and disposal
certificates are ``RegisterDocument`` rows, encrypted.

Every register is scoped in ``visible_to(user)``: the committee and auditors read
everything, a manager reads the departments they manage (contractors are the
company's, so every manager reads them), anyone else reads nothing.
"""
import datetime

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
    TextField,
    Value,
    fn,
)

from .. import legaldates
from ..auth import roles as R
from ..auth.models import Department, User
from ..crypto import EncryptedBlobField, EncryptedModel, EncryptedTextField
from ..db import BaseModel, utcnow
from ..ledger.models import LedgerEntry
from ..models import Tracked
from ..timezone import today_local
from . import catalogue as C

NOTHING = SQL('1 = 0')


def add_years(day, years):
    """``day`` plus whole years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def split_codes(value):
    return [code for code in (value or '').split(',') if code]


def counts_from_row(row):
    """{name: int} from the single row of a counting query (SUM gives NULL on no rows)."""
    return {k: int(v or 0) for k, v in row.items()}


def _department_scope(query, user, department_field):
    """Every row for readers of all departments, managed ones for a manager, else none."""
    if user.reads_all_departments():
        return query
    if user.has_role(R.MANAGER) and user.managed_department_ids:
        return query.where(department_field.in_(sorted(user.managed_department_ids)))
    return query.where(NOTHING)


def visible_entry_ids(user):
    """A subquery of the ledger entries ``user`` may read."""
    return _department_scope(LedgerEntry.select(LedgerEntry.id), user, LedgerEntry.department)


def entry_columns():
    """The ledger-entry columns a register row shows (no encrypted ones)."""
    return (LedgerEntry.id, LedgerEntry.title, LedgerEntry.department, LedgerEntry.status,
            LedgerEntry.purposes)


class Contractor(Tracked, EncryptedModel):
    name = CharField(max_length=200, index=True)
    services = TextField(default='')
    # Names, e-mail addresses and telephone numbers of people at the contractor.
    contact = EncryptedTextField(null=True)
    countries = CharField(max_length=200, default='JP')
    foreign_measures = TextField(default='')
    agreement_signed_on = DateField(null=True)
    agreement_expires_on = DateField(null=True, index=True)
    next_check_due = DateField(null=True, index=True)
    active = BooleanField(default=True, index=True)
    ended_on = DateField(null=True)

    class Meta:
        table_name = 'contractor'

    def __str__(self):
        return self.name

    @property
    def reference(self):
        return 'CT-%04d' % self.id if self.id else ''

    @property
    def country_codes(self):
        return split_codes(self.countries)

    @property
    def abroad(self):
        return any(code != 'JP' for code in self.country_codes)

    @classmethod
    def readable_by(cls, user):
        return user.has_role(R.COMMITTEE, R.AUDITOR, R.MANAGER)

    @classmethod
    def visible_to(cls, user):
        """Contractors are the company's: every reader of the registers sees them all."""
        query = cls.select()
        return query if cls.readable_by(user) else query.where(NOTHING)

    @staticmethod
    def editable_by(user):
        return user.has_role(R.COMMITTEE)

    def agreement_state(self, today):
        """'ended', 'none', 'expired', 'expiring', 'no_expiry' or 'ok'."""
        if not self.active:
            return 'ended'
        if self.agreement_signed_on is None:
            return 'none'
        if self.agreement_expires_on is None:
            return 'no_expiry'
        if self.agreement_expires_on < today:
            return 'expired'
        if self.agreement_expires_on <= today + datetime.timedelta(days=C.EXPIRY_WARNING_DAYS):
            return 'expiring'
        return 'ok'

    def check_state(self, today):
        """'ended', 'none', 'overdue', 'due' (within 30 days) or 'ok'."""
        if not self.active:
            return 'ended'
        if self.next_check_due is None:
            return 'none'
        if self.next_check_due < today:
            return 'overdue'
        if self.next_check_due <= today + datetime.timedelta(days=C.EXPIRY_WARNING_DAYS):
            return 'due'
        return 'ok'

    @classmethod
    def flag_conditions(cls, today):
        soon = today + datetime.timedelta(days=C.EXPIRY_WARNING_DAYS)
        active = cls.active == True  # noqa: E712
        return {
            'expiring': active & (cls.agreement_expires_on >= today)
                        & (cls.agreement_expires_on <= soon),
            'expired': active & (cls.agreement_expires_on < today),
            'no_agreement': active & cls.agreement_signed_on.is_null(),
            'overdue': active & (cls.next_check_due < today),
        }

    @classmethod
    def search(cls, user, q=None, flag=None, status=None, country=None, today=None):
        """Visible contractors with the number of visible entrusted entries."""
        today = today or today_local()
        entrusted = (ContractorEntry.select(fn.COUNT(ContractorEntry.id))
                     .where((ContractorEntry.contractor == cls.id)
                            & ContractorEntry.entry.in_(visible_entry_ids(user))))
        query = cls.visible_to(user).select(cls, entrusted.alias('entry_count'))
        if q:
            query = query.where(cls.name.contains(q.strip()) | cls.services.contains(q.strip()))
        if status == 'all':
            pass
        elif status == 'ended':
            query = query.where(cls.active == False)  # noqa: E712
        else:
            query = query.where(cls.active == True)  # noqa: E712
        conditions = cls.flag_conditions(today)
        if flag in conditions:
            query = query.where(conditions[flag])
        if country:
            # Codes are stored comma-joined: match a whole code.
            query = query.where(Value(',').concat(cls.countries).concat(',')
                                .contains(',%s,' % country))
        return query.order_by(cls.name, cls.id)

    @classmethod
    def flag_counts(cls, user, today):
        """{flag: count} of visible active contractors, in one query."""
        return counts_from_row(cls.flag_counts_query(user, today).get())

    @classmethod
    def flag_counts_query(cls, user, today):
        """The query behind ``flag_counts`` (not run): one row of dicts, for
        ``counts_from_row``."""
        columns = [fn.COUNT(cls.id).alias('total')]
        for name, condition in cls.flag_conditions(today).items():
            columns.append(fn.SUM(Case(None, [(condition, 1)], 0)).alias(name))
        return (cls.visible_to(user).select(*columns)
                .where(cls.active == True).dicts())  # noqa: E712

    @classmethod
    def attention(cls, user, today, limit=10):
        """Active contractors whose agreement expires within 30 days (or has expired),
        or whose supervision check is overdue: the most urgent first."""
        conditions = cls.flag_conditions(today)
        where = conditions['expiring'] | conditions['expired'] | conditions['overdue']
        far = datetime.date(9999, 12, 31)
        expiry = fn.COALESCE(cls.agreement_expires_on, far)
        check = fn.COALESCE(cls.next_check_due, far)
        urgent = Case(None, [(expiry < check, expiry)], check)
        return (cls.visible_to(user).select(
                    cls.id, cls.name, cls.agreement_signed_on, cls.agreement_expires_on,
                    cls.next_check_due, cls.active)
                .where(where).order_by(urgent, cls.name).limit(limit))

    @classmethod
    def choices_for_disposal(cls, include=None):
        query = cls.select(cls.id, cls.name, cls.active).order_by(cls.name)
        return [(c.id, c.name) for c in query if c.active or c.id == include]


class RegisterDocument(EncryptedModel):
    """An uploaded signed agreement or disposal certificate (PDF, PNG, JPEG), encrypted."""
    kind = CharField(max_length=16)  # 'agreement' or 'certificate'
    contractor = ForeignKeyField(Contractor, null=True, on_delete='CASCADE',
                                 backref='documents')
    signed_on = DateField(null=True)
    expires_on = DateField(null=True)
    filename = CharField(max_length=200)
    media_type = CharField(max_length=40)
    size = IntegerField()
    content = EncryptedBlobField(null=True)
    uploaded_at = DateTimeField(default=utcnow)
    uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')

    class Meta:
        table_name = 'register_document'
        indexes = ((('contractor', 'uploaded_at'), False),)

    @classmethod
    def listing(cls):
        """Documents without their content (lists never load the blobs)."""
        return cls.select(cls.id, cls.uid, cls.kind, cls.contractor, cls.signed_on,
                          cls.expires_on, cls.filename, cls.media_type, cls.size,
                          cls.uploaded_at, cls.uploaded_by)

    @classmethod
    def agreements_of(cls, contractor):
        return (cls.listing().select_extend(User.name)
                .join(User, JOIN.LEFT_OUTER, on=(cls.uploaded_by == User.id))
                .where((cls.contractor == contractor.id) & (cls.kind == 'agreement'))
                .order_by(cls.uploaded_at.desc(), cls.id.desc()))


class ContractorEntry(BaseModel):
    """A ledger entry whose handling is entrusted to a contractor."""
    contractor = ForeignKeyField(Contractor, on_delete='CASCADE', backref='entry_links')
    entry = ForeignKeyField(LedgerEntry, backref='+')

    class Meta:
        table_name = 'contractor_entry'
        indexes = ((('contractor', 'entry'), True), (('entry',), False))

    @classmethod
    def entry_ids_of(cls, contractor):
        return [row.entry_id for row in cls.select(cls.entry).where(
            cls.contractor == contractor.id)]

    @classmethod
    def entries_of(cls, contractor, user):
        """The entrusted entries ``user`` may read."""
        return (LedgerEntry.select(*entry_columns(), Department)
                .join(Department, on=(LedgerEntry.department == Department.id))
                .where(LedgerEntry.id.in_(
                    cls.select(cls.entry).where(cls.contractor == contractor.id))
                    & LedgerEntry.id.in_(visible_entry_ids(user)))
                .order_by(Department.code, LedgerEntry.title))


class SupervisionCheck(BaseModel):
    """A check of how a contractor handles the data entrusted to it (APPI Art. 25)."""
    contractor = ForeignKeyField(Contractor, on_delete='CASCADE', backref='checks')
    checked_on = DateField()
    method = CharField(max_length=24)
    result = CharField(max_length=24)
    note = TextField(default='')
    next_due = DateField()
    checked_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'supervision_check'
        indexes = ((('contractor', 'checked_on'), False),)

    @property
    def method_label(self):
        return C.label_of(C.CHECK_METHODS, self.method)

    @property
    def result_label(self):
        return C.label_of(C.CHECK_RESULTS, self.result)

    @classmethod
    def of(cls, contractor):
        return (cls.select(cls, User).join(User, JOIN.LEFT_OUTER, on=(cls.checked_by == User.id))
                .where(cls.contractor == contractor.id)
                .order_by(cls.checked_on.desc(), cls.id.desc()))


def keep_until_minimum(case, provided_on, provided_until=None, recorded_on=None):
    """The last day the record must be kept ("required until"): the law's count in
    ``legaldates.provision_record_kept_until`` (1 year with the last provision as day 1,
    or 3 years)."""
    return legaldates.provision_record_kept_until(case, provided_on, provided_until,
                                                  recorded_on).deadline


class ProvisionRecord(Tracked):
    entry = ForeignKeyField(LedgerEntry, backref='+')
    basis = CharField(max_length=16, index=True)
    recipient_name = CharField(max_length=200, index=True)
    recipient_address = TextField(default='')
    recipient_representative = CharField(max_length=200, default='')
    recipient_country = CharField(max_length=2, default='JP')
    provided_on = DateField()
    provided_until = DateField(null=True)
    record_case = CharField(max_length=16)
    recorded_on = DateField()
    persons_description = TextField(default='')
    items = TextField(default='')
    person_count = IntegerField(null=True)
    consent_evidence = TextField(default='')
    note = TextField(default='')
    keep_until = DateField(index=True)

    class Meta:
        table_name = 'provision_record'
        indexes = ((('entry', 'provided_on'), False),)

    @property
    def reference(self):
        return 'TP-%05d' % self.id if self.id else ''

    @property
    def record_exempt(self):
        return self.basis in C.RECORD_EXEMPT_BASES

    @property
    def basis_label(self):
        return C.label_of(C.BASES, self.basis)

    @property
    def basis_short(self):
        return C.BASIS_SHORT.get(self.basis, self.basis)

    @property
    def case_label(self):
        return C.label_of(C.RECORD_CASES, self.record_case)

    @property
    def minimum_keep_until(self):
        return keep_until_minimum(self.record_case, self.provided_on, self.provided_until,
                                  self.recorded_on)

    @property
    def keeping_period(self):
        """The ``legaldates.Count`` behind ``minimum_keep_until``, to explain it."""
        return legaldates.provision_record_kept_until(self.record_case, self.provided_on,
                                                      self.provided_until, self.recorded_on)

    def keep_state(self, today):
        if self.keep_until < today:
            return 'expired'
        if self.keep_until <= today + datetime.timedelta(days=C.KEEP_WARNING_DAYS):
            return 'expiring'
        return 'ok'

    def editable_by(self, user):
        return user.manages(self.entry.department_id)

    @classmethod
    def visible_to(cls, user):
        query = (cls.select(cls, *entry_columns(), Department)
                 .join(LedgerEntry, on=(cls.entry == LedgerEntry.id))
                 .join(Department, on=(LedgerEntry.department == Department.id)))
        return _department_scope(query, user, LedgerEntry.department)

    @classmethod
    def search(cls, user, q=None, department_id=None, basis=None, keep=None, today=None):
        today = today or today_local()
        query = cls.visible_to(user)
        if q:
            term = q.strip()
            condition = cls.recipient_name.contains(term) | LedgerEntry.title.contains(term)
            ref = LedgerEntry.id_from_reference(term)
            if ref is not None:
                condition |= (LedgerEntry.id == ref)
            query = query.where(condition)
        if department_id:
            query = query.where(LedgerEntry.department == department_id)
        if basis:
            query = query.where(cls.basis == basis)
        if keep == 'expiring':
            query = query.where(cls.keep_until <= today + datetime.timedelta(
                days=C.KEEP_WARNING_DAYS))
        return query.order_by(cls.provided_on.desc(), cls.id.desc())

    @classmethod
    def for_entry(cls, entry, user):
        return cls.visible_to(user).where(cls.entry == entry.id).order_by(
            cls.provided_on.desc(), cls.id.desc())

    @classmethod
    def expired(cls, today):
        """Records whose keep-until date has passed: the daily job deletes them."""
        return cls.select().where(cls.keep_until < today).order_by(cls.id)

    @classmethod
    def counts(cls, user, today):
        return counts_from_row(cls.counts_query(user, today).get())

    @classmethod
    def counts_query(cls, user, today):
        """The query behind ``counts`` (not run): one row of dicts, for ``counts_from_row``."""
        soon = today + datetime.timedelta(days=C.KEEP_WARNING_DAYS)
        return (cls.visible_to(user).select(
            fn.COUNT(cls.id).alias('total'),
            fn.SUM(Case(None, [(cls.keep_until <= soon, 1)], 0)).alias('expiring'))
            .dicts())


class Asset(Tracked):
    tag = CharField(max_length=40, unique=True)
    kind = CharField(max_length=16, index=True)
    description = CharField(max_length=200, default='')
    department = ForeignKeyField(Department, backref='+', index=True)
    location = CharField(max_length=200)
    custodian = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    portable = BooleanField(default=False)
    encrypted = BooleanField(default=False)
    locked_storage = BooleanField(default=False)
    note = TextField(default='')
    state = CharField(max_length=16, default='in_service', index=True)

    class Meta:
        table_name = 'asset'
        indexes = ((('department', 'tag'), False),)

    def __str__(self):
        return self.tag

    @property
    def kind_label(self):
        return C.label_of(C.ASSET_KINDS, self.kind)

    @property
    def state_label(self):
        return C.label_of(C.ASSET_STATES, self.state)

    @property
    def is_disposed(self):
        return self.state == 'disposed'

    @property
    def unencrypted_portable(self):
        return (self.portable and not self.encrypted and not self.is_disposed
                and self.kind not in C.UNENCRYPTABLE_KINDS)

    def editable_by(self, user):
        return user.manages(self.department_id)

    @classmethod
    def unencrypted_condition(cls):
        return ((cls.portable == True) & (cls.encrypted == False)  # noqa: E712
                & (cls.state != 'disposed') & cls.kind.not_in(sorted(C.UNENCRYPTABLE_KINDS)))

    @classmethod
    def visible_to(cls, user):
        query = cls.select(cls, Department).join(Department, on=(cls.department == Department.id))
        return _department_scope(query, user, cls.department)

    @classmethod
    def search(cls, user, q=None, department_id=None, kind=None, state=None, flag=None,
               today=None):
        """Visible assets with their custodian and the carry-out in progress, if any.

        A partial unique index keeps at most one carry-out open per asset, so the
        join adds no rows.
        """
        today = today or today_local()
        Custodian = User.alias('custodian')
        query = (cls.visible_to(user)
                 .select_extend(Custodian.id, Custodian.name, CarryOut.id, CarryOut.status,
                                CarryOut.expected_return_on, CarryOut.out_on)
                 .join_from(cls, Custodian, JOIN.LEFT_OUTER,
                            on=(cls.custodian == Custodian.id), attr='custodian')
                 .join_from(cls, CarryOut, JOIN.LEFT_OUTER,
                            on=((CarryOut.asset == cls.id)
                                & CarryOut.status.in_(C.OPEN_CARRY_OUT)),
                            attr='open_carry_out'))
        if q:
            term = q.strip()
            query = query.where(cls.tag.contains(term) | cls.description.contains(term)
                                | cls.location.contains(term))
        if department_id:
            query = query.where(cls.department == department_id)
        if kind:
            query = query.where(cls.kind == kind)
        if state == 'all':
            pass
        elif state:
            query = query.where(cls.state == state)
        else:
            query = query.where(cls.state != 'disposed')
        if flag == 'unencrypted':
            query = query.where(cls.unencrypted_condition())
        elif flag == 'out':
            query = query.where(cls.state == 'out')
        elif flag == 'overdue_return':
            query = query.where((CarryOut.status == 'out')
                                & (CarryOut.expected_return_on < today))
        elif flag == 'pending':
            query = query.where(CarryOut.status == 'requested')
        elif flag == 'unlocked':
            query = query.where((cls.locked_storage == False)  # noqa: E712
                                & (cls.state != 'disposed'))
        return query.order_by(Department.code, cls.tag)

    @classmethod
    def requestable_by(cls, user):
        """Assets ``user`` may ask to carry out: those of their own department (and of the
        departments they manage) that are in service with no carry-out in progress."""
        departments = {user.department_id}
        if user.has_role(R.MANAGER):
            departments |= set(user.managed_department_ids)
        busy = CarryOut.select(CarryOut.asset).where(CarryOut.status.in_(C.OPEN_CARRY_OUT))
        return (cls.select(cls, Department)
                .join(Department, on=(cls.department == Department.id))
                .where(cls.department.in_(sorted(departments)) & (cls.state == 'in_service')
                       & cls.id.not_in(busy))
                .order_by(Department.code, cls.tag))

    def may_be_requested_by(self, user):
        """Whether ``user`` belongs to (or manages) the asset's department."""
        return self.department_id == user.department_id or user.manages(self.department_id)

    @classmethod
    def unencrypted_media(cls, user, limit=10):
        return (cls.visible_to(user).where(cls.unencrypted_condition())
                .order_by(Department.code, cls.tag).limit(limit))

    @classmethod
    def counts(cls, user, today):
        """Totals and flags of visible assets in service, in one query."""
        return counts_from_row(cls.counts_query(user, today).get())

    @classmethod
    def counts_query(cls, user, today):
        """The query behind ``counts`` (not run): one row of dicts, for ``counts_from_row``."""
        overdue = fn.EXISTS(CarryOut.select(SQL('1')).where(
            (CarryOut.asset == cls.id) & (CarryOut.status == 'out')
            & (CarryOut.expected_return_on < today)))
        pending = fn.EXISTS(CarryOut.select(SQL('1')).where(
            (CarryOut.asset == cls.id) & (CarryOut.status == 'requested')))
        return (cls.visible_to(user).select(
            fn.COUNT(cls.id).alias('total'),
            fn.SUM(Case(None, [(cls.unencrypted_condition(), 1)], 0)).alias('unencrypted'),
            fn.SUM(Case(None, [(cls.state == 'out', 1)], 0)).alias('out'),
            fn.SUM(Case(None, [(overdue, 1)], 0)).alias('overdue_return'),
            fn.SUM(Case(None, [(pending, 1)], 0)).alias('pending'))
            .where(cls.state != 'disposed').dicts())


class AssetEntry(BaseModel):
    """A ledger entry whose personal data the asset holds."""
    asset = ForeignKeyField(Asset, on_delete='CASCADE', backref='entry_links')
    entry = ForeignKeyField(LedgerEntry, backref='+')

    class Meta:
        table_name = 'asset_entry'
        indexes = ((('asset', 'entry'), True), (('entry',), False))

    @classmethod
    def entry_ids_of(cls, asset):
        return [row.entry_id for row in cls.select(cls.entry).where(cls.asset == asset.id)]

    @classmethod
    def entries_of(cls, asset, user):
        return (LedgerEntry.select(*entry_columns(), Department)
                .join(Department, on=(LedgerEntry.department == Department.id))
                .where(LedgerEntry.id.in_(cls.select(cls.entry).where(cls.asset == asset.id))
                       & LedgerEntry.id.in_(visible_entry_ids(user)))
                .order_by(Department.code, LedgerEntry.title))


class CarryOut(BaseModel):
    """Taking an asset out of the office: requested by someone of its department,
    decided on by another manager of the department (or by the committee, ``approver``),
    out on its day, then returned."""
    asset = ForeignKeyField(Asset, on_delete='CASCADE', backref='carry_outs')
    requested_by = ForeignKeyField(User, backref='+')
    out_on = DateField()
    expected_return_on = DateField()
    destination = CharField(max_length=200)
    purpose = TextField()
    status = CharField(max_length=16, index=True)
    approver = CharField(max_length=16, default='manager')
    exception_reason = TextField(default='')
    recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    recorded_at = DateTimeField(default=utcnow)
    decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    decided_at = DateTimeField(null=True)
    decision_note = TextField(default='')
    went_out_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    cancelled_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    returned_on = DateField(null=True)
    return_note = TextField(default='')
    return_recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    return_recorded_at = DateTimeField(null=True)

    class Meta:
        table_name = 'asset_carry_out'
        indexes = ((('asset', 'recorded_at'), False),)

    @property
    def status_label(self):
        return C.label_of(C.CARRY_OUT_STATUSES, self.status)

    @property
    def approver_label(self):
        return C.label_of(C.APPROVERS, self.approver)

    @property
    def is_open(self):
        return self.status in C.OPEN_CARRY_OUT

    @property
    def cancellable(self):
        return self.status in C.CANCELLABLE_CARRY_OUT

    def overdue(self, today):
        return self.status == 'out' and self.expected_return_on < today

    def may_be_decided_by(self, user, department_id):
        """Whether ``user`` decides on this request (the asset is in ``department_id``):
        never the requester; a manager of the department, or a committee member when the
        request went to the committee."""
        if self.status != 'requested' or self.requested_by_id == user.id:
            return False
        if self.approver == 'committee':
            return user.has_role(R.COMMITTEE)
        return user.manages(department_id)

    def may_be_cancelled_by(self, user, department_id):
        return self.cancellable and (self.requested_by_id == user.id
                                     or user.manages(department_id))

    @classmethod
    def in_progress(cls, asset_id):
        """Whether a carry-out of the asset awaits approval, is approved or is out."""
        return cls.select().where((cls.asset == asset_id)
                                  & cls.status.in_(C.OPEN_CARRY_OUT)).exists()

    @classmethod
    def of(cls, asset):
        """The asset's carry-outs with the people involved: one query."""
        Requester = User.alias('requester')
        Decider = User.alias('decider')
        Returner = User.alias('returner')
        return (cls.select(cls, Requester.id, Requester.name, Decider.id, Decider.name,
                           Returner.id, Returner.name)
                .join_from(cls, Requester, on=(cls.requested_by == Requester.id),
                           attr='requested_by')
                .join_from(cls, Decider, JOIN.LEFT_OUTER, on=(cls.decided_by == Decider.id),
                           attr='decided_by')
                .join_from(cls, Returner, JOIN.LEFT_OUTER,
                           on=(cls.return_recorded_by == Returner.id), attr='return_recorded_by')
                .where(cls.asset == asset.id)
                .order_by(cls.recorded_at.desc(), cls.id.desc()))

    @classmethod
    def awaiting_condition(cls, user):
        """The requests ``user`` decides on (needs ``Asset`` joined): the department's
        ones for its managers, those sent to the committee for its members; never their
        own."""
        condition = NOTHING
        if user.has_role(R.MANAGER) and user.managed_department_ids:
            condition = ((cls.approver == 'manager')
                         & Asset.department.in_(sorted(user.managed_department_ids)))
        if user.has_role(R.COMMITTEE):
            condition = (cls.approver == 'committee') | condition
        return (cls.status == 'requested') & (cls.requested_by != user.id) & (condition)

    @classmethod
    def awaiting(cls, user, limit=10):
        """Requests awaiting ``user``'s decision, the earliest departure first."""
        return (cls.select(cls, Asset.id, Asset.tag, Asset.department)
                .join(Asset, on=(cls.asset == Asset.id))
                .where(cls.awaiting_condition(user))
                .order_by(cls.out_on, cls.id).limit(limit))

    @classmethod
    def listing(cls, user, show='mine'):
        """Carry-outs for the carry-out page with their asset, department and requester:
        ``show='mine'`` those ``user`` requested or recorded, 'awaiting' those awaiting
        their decision. Newest first (awaiting: the earliest departure first)."""
        Requester = User.alias('requester')
        query = (cls.select(cls, Asset.id, Asset.tag, Asset.kind, Asset.department,
                            Asset.portable, Asset.encrypted, Asset.state, Department.id,
                            Department.code, Requester.id, Requester.name)
                 .join_from(cls, Asset, on=(cls.asset == Asset.id))
                 .join_from(Asset, Department, on=(Asset.department == Department.id))
                 .join_from(cls, Requester, on=(cls.requested_by == Requester.id),
                            attr='requested_by'))
        if show == 'awaiting':
            return query.where(cls.awaiting_condition(user)).order_by(cls.out_on, cls.id)
        return (query.where((cls.requested_by == user.id) | (cls.recorded_by == user.id))
                .order_by(cls.recorded_at.desc(), cls.id.desc()))

    @classmethod
    def due_to_go_out(cls, today):
        """Approved carry-outs whose day has come (the daily job moves them out)."""
        return cls.select().where((cls.status == 'approved') & (cls.out_on <= today)
                                  ).order_by(cls.out_on, cls.id)

    @classmethod
    def waiting_for_managers(cls):
        """Requests waiting for a manager's decision (the daily job checks that one can
        still decide)."""
        return (cls.select(cls, Asset.id, Asset.tag, Asset.department)
                .join(Asset, on=(cls.asset == Asset.id))
                .where((cls.status == 'requested') & (cls.approver == 'manager'))
                .order_by(cls.id))


class Disposal(BaseModel):
    asset = ForeignKeyField(Asset, unique=True, on_delete='CASCADE', backref='+')
    disposed_on = DateField()
    method = CharField(max_length=24)
    contractor = ForeignKeyField(Contractor, null=True, backref='+')
    performed_by = ForeignKeyField(User, backref='+')
    witness = ForeignKeyField(User, backref='+')
    certificate = ForeignKeyField(RegisterDocument, null=True, on_delete='SET NULL',
                                  backref='+')
    note = TextField(default='')
    recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    recorded_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'asset_disposal'

    @property
    def method_label(self):
        return C.label_of(C.DISPOSAL_METHODS, self.method)

    @classmethod
    def with_certificate(cls, document_id):
        return cls.get_or_none(cls.certificate == document_id)

    @classmethod
    def of(cls, asset):
        Performer = User.alias('performer')
        Witness = User.alias('witness')
        return (cls.select(cls, Performer.id, Performer.name, Witness.id, Witness.name,
                           Contractor.id, Contractor.name)
                .join_from(cls, Performer, on=(cls.performed_by == Performer.id),
                           attr='performed_by')
                .join_from(cls, Witness, on=(cls.witness == Witness.id), attr='witness')
                .join_from(cls, Contractor, JOIN.LEFT_OUTER, on=(cls.contractor == Contractor.id),
                           attr='contractor')
                .where(cls.asset == asset.id).first())


class PurposeChange(Tracked):
    """A notice to the persons that the purpose of use changes (APPI Art. 17(2), 21(3)),
    made for a ledger entry: the previous purposes are the entry's when the notice is
    recorded; on ``effective_on`` (after the notice) the daily job writes the new ones into
    the entry, with a revision, unless the notice was withdrawn."""
    entry = ForeignKeyField(LedgerEntry, backref='+')
    previous_purpose = TextField()
    new_purpose = TextField()
    notified_on = DateField(index=True)
    effective_on = DateField(index=True)
    channel = CharField(max_length=16)
    channel_detail = CharField(max_length=300, default='')
    refusals_count = IntegerField(default=0)
    refusals_note = TextField(default='')
    status = CharField(max_length=16, default='scheduled', index=True)
    applied_at = DateTimeField(null=True)
    applied_version = IntegerField(null=True)
    withdrawn_at = DateTimeField(null=True)
    withdrawn_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    withdrawal_reason = TextField(default='')

    class Meta:
        table_name = 'purpose_change'
        indexes = ((('entry', 'notified_on'), False),)

    @property
    def reference(self):
        return 'PN-%04d' % self.id if self.id else ''

    @property
    def channel_label(self):
        return C.label_of(C.CHANNELS, self.channel)

    @property
    def status_label(self):
        return C.label_of(C.NOTICE_STATUSES, self.status)

    @property
    def is_scheduled(self):
        return self.status == 'scheduled'

    def editable_by(self, user):
        return user.manages(self.entry.department_id)

    @classmethod
    def scheduled_for(cls, entry_id, exclude=None):
        """The entry's notice waiting for its effective date, if any."""
        query = cls.select().where((cls.entry == entry_id) & (cls.status == 'scheduled'))
        if exclude is not None:
            query = query.where(cls.id != exclude)
        return query.first()

    @classmethod
    def due(cls, today):
        """Scheduled notices whose effective date has come (the daily job applies them)."""
        return (cls.select().where((cls.status == 'scheduled') & (cls.effective_on <= today))
                .order_by(cls.effective_on, cls.id))

    @classmethod
    def visible_to(cls, user):
        query = (cls.select(cls, *entry_columns(), Department)
                 .join(LedgerEntry, on=(cls.entry == LedgerEntry.id))
                 .join(Department, on=(LedgerEntry.department == Department.id)))
        return _department_scope(query, user, LedgerEntry.department)

    @classmethod
    def search(cls, user, q=None, department_id=None, channel=None, status=None):
        query = cls.visible_to(user)
        if status:
            query = query.where(cls.status == status)
        if q:
            term = q.strip()
            condition = (LedgerEntry.title.contains(term) | cls.new_purpose.contains(term))
            ref = LedgerEntry.id_from_reference(term)
            if ref is not None:
                condition |= (LedgerEntry.id == ref)
            query = query.where(condition)
        if department_id:
            query = query.where(LedgerEntry.department == department_id)
        if channel:
            query = query.where(cls.channel == channel)
        return query.order_by(cls.notified_on.desc(), cls.id.desc())

    @classmethod
    def for_entry(cls, entry, user):
        return cls.visible_to(user).where(cls.entry == entry.id).order_by(
            cls.notified_on.desc(), cls.id.desc())


def contractors_for_entry(entry, user):
    """Contractors entrusted with ``entry`` (only when ``user`` may read the entry)."""
    return (Contractor.visible_to(user)
            .select(Contractor.id, Contractor.name, Contractor.active,
                    Contractor.agreement_signed_on, Contractor.agreement_expires_on,
                    Contractor.next_check_due)
            .join(ContractorEntry, on=(ContractorEntry.contractor == Contractor.id))
            .where((ContractorEntry.entry == entry.id)
                   & (ContractorEntry.entry.in_(visible_entry_ids(user))))
            .order_by(Contractor.name))


def assets_for_entry(entry, user):
    """Assets holding ``entry``'s data, within the assets ``user`` may read."""
    return (Asset.visible_to(user)
            .join_from(Asset, AssetEntry, on=(AssetEntry.asset == Asset.id))
            .where(AssetEntry.entry == entry.id)
            .order_by(Department.code, Asset.tag))

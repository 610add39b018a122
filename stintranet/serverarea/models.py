"""The server management area (policy §4.5): areas, the persons authorised for each, the
entry and exit records and the devices brought in.

Every query is scoped in ``visible_to(user)``: the committee and the auditors read every
area, a manager the areas of the departments they manage, anyone else none. Times are
stored as naive UTC and shown in the office's zone; "the end of the day" is the office's
midnight (``timezone.local_date_to_utc``).
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
    TextField,
    fn,
)

from ..auth import roles as R
from ..auth.models import Department, User
from ..db import BaseModel, utcnow
from ..models import Bookkeeping, Tracked
from ..timezone import local_date_to_utc
from . import catalogue as C

NOTHING = SQL('1 = 0')
# The accounts an entry or a device names, joined under these names.
PERSON = User.alias('person')
ESCORT = User.alias('escort')
APPROVER = User.alias('approver')


def scope(query, user, department_field):
    """Every row for readers of all departments, a manager's departments' rows, else none."""
    if user.reads_all_departments():
        return query
    if user.has_role(R.MANAGER) and user.managed_department_ids:
        return query.where(department_field.in_(sorted(user.managed_department_ids)))
    return query.where(NOTHING)


def may_manage(user, department_id):
    """The committee manages every area, a manager the areas of their departments."""
    return user.has_role(R.COMMITTEE) or user.manages(department_id)


class ServerArea(Tracked):
    name = CharField(max_length=100)
    department = ForeignKeyField(Department, backref='+', index=True)
    location = CharField(max_length=200, default='')
    note = TextField(default='')
    active = BooleanField(default=True)

    class Meta:
        table_name = 'server_area'
        indexes = ((('department', 'name'), True),)

    def __str__(self):
        return self.name

    def managed_by(self, user):
        return may_manage(user, self.department_id)

    @classmethod
    def visible_to(cls, user):
        """The areas ``user`` may read, each with its department (query)."""
        query = (cls.select(cls, Department)
                 .join(Department, on=(cls.department == Department.id)))
        return scope(query, user, cls.department)

    @classmethod
    def listing(cls, user, today):
        """The visible areas with how many are inside now, how many are authorised today
        and how many entries lack an exit from an earlier day (one query)."""
        cutoff = local_date_to_utc(today)
        inside = (AreaEntry.select(fn.COUNT(AreaEntry.id))
                  .where((AreaEntry.area == cls.id) & AreaEntry.exited_at.is_null()))
        stale = (AreaEntry.select(fn.COUNT(AreaEntry.id))
                 .where((AreaEntry.area == cls.id) & AreaEntry.exited_at.is_null()
                        & (AreaEntry.entered_at < cutoff)))
        authorised = (AuthorisedPerson.select(fn.COUNT(AuthorisedPerson.id))
                      .where((AuthorisedPerson.area == cls.id)
                             & AuthorisedPerson.valid_on(today)))
        return (cls.visible_to(user)
                .select_extend(inside.alias('inside_count'), stale.alias('stale_count'),
                               authorised.alias('authorised_count'))
                .order_by(cls.active.desc(), Department.code, cls.name))

    @classmethod
    def choices_for(cls, user):
        """(id, label) pairs of the visible areas, for a list's filter (one query)."""
        return [(a.id, '%s (%s)' % (a.name, a.department.code))
                for a in cls.visible_to(user).order_by(Department.code, cls.name)]


class AuthorisedPerson(BaseModel):
    """An account authorised to enter an area from ``valid_from`` through ``valid_until``
    (open-ended when NULL); ending an authorisation sets ``valid_until``."""
    area = ForeignKeyField(ServerArea, backref='+', on_delete='CASCADE')
    user = ForeignKeyField(User, backref='+', index=True)
    valid_from = DateField()
    valid_until = DateField(null=True)
    note = CharField(max_length=200, default='')
    created_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'server_area_person'
        indexes = ((('area', 'user'), False),)

    @classmethod
    def valid_on(cls, day):
        return (cls.valid_from <= day) & (cls.valid_until.is_null() | (cls.valid_until >= day))

    def is_valid(self, day):
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    @classmethod
    def of_area(cls, area):
        """Every authorisation of ``area`` with its account, current ones first by name."""
        return list(cls.select(cls, User).join(User, on=(cls.user == User.id))
                    .where(cls.area == area.id)
                    .order_by(cls.valid_until.is_null(False), User.name, cls.id))

    @classmethod
    def current(cls, area, day):
        """The accounts authorised for ``area`` on ``day``, by name (one query)."""
        return list(cls.select(cls, User).join(User, on=(cls.user == User.id))
                    .where((cls.area == area.id) & cls.valid_on(day)
                           & (User.active == True))  # noqa: E712
                    .order_by(User.name))

    @classmethod
    def is_authorised(cls, area_id, user_id, day):
        return cls.select().where((cls.area == area_id) & (cls.user == user_id)
                                  & cls.valid_on(day)).exists()


class AreaEntry(Bookkeeping):
    """One entry into an area: an account or a visitor (name and company), the escort of
    someone not authorised, the purpose, the times in and out."""
    area = ForeignKeyField(ServerArea, backref='+', index=True)
    person = ForeignKeyField(User, null=True, backref='+', index=True)
    visitor_name = CharField(max_length=120, default='')
    visitor_company = CharField(max_length=120, default='')
    authorised = BooleanField(default=False)
    escort = ForeignKeyField(User, null=True, backref='+')
    purpose = CharField(max_length=20)
    purpose_detail = CharField(max_length=200, default='')
    entered_at = DateTimeField(index=True)
    exited_at = DateTimeField(null=True)
    recorded_by = ForeignKeyField(User, backref='+')
    exit_recorded_by = ForeignKeyField(User, null=True, backref='+')

    class Meta:
        table_name = 'server_area_entry'
        indexes = ((('area', 'exited_at'), False),)

    @property
    def who(self):
        if self.person_id:
            return self.person.name
        if self.visitor_company:
            return '%s (%s)' % (self.visitor_name, self.visitor_company)
        return self.visitor_name

    @property
    def purpose_label(self):
        label = C.PURPOSE_LABELS.get(self.purpose, self.purpose)
        return '%s: %s' % (label, self.purpose_detail) if self.purpose_detail else label

    @property
    def is_open(self):
        return self.exited_at is None

    @property
    def unescorted(self):
        return not self.authorised and not self.escort_id

    def no_exit(self, today):
        """Still open after the end of the day it began (the office's midnight)."""
        return self.exited_at is None and self.entered_at < local_date_to_utc(today)

    @classmethod
    def flagged_condition(cls, today):
        return ((cls.exited_at.is_null() & (cls.entered_at < local_date_to_utc(today)))
                | ((cls.authorised == False) & cls.escort.is_null())  # noqa: E712
                | cls.id.in_(AreaDevice.select(AreaDevice.entry).where(
                    AreaDevice.entry.is_null(False) & AreaDevice.approved_by.is_null())))

    @classmethod
    def _joined(cls):
        unapproved = (AreaDevice.select(fn.COUNT(AreaDevice.id))
                      .where((AreaDevice.entry == cls.id) & AreaDevice.approved_by.is_null()))
        devices = AreaDevice.select(fn.COUNT(AreaDevice.id)).where(AreaDevice.entry == cls.id)
        return (cls.select(cls, ServerArea, Department, PERSON, ESCORT,
                           devices.alias('device_count'), unapproved.alias('unapproved_count'))
                .join(ServerArea, on=(cls.area == ServerArea.id))
                .join(Department, on=(ServerArea.department == Department.id))
                .join_from(cls, PERSON, JOIN.LEFT_OUTER, on=(cls.person == PERSON.id),
                           attr='person')
                .join_from(cls, ESCORT, JOIN.LEFT_OUTER, on=(cls.escort == ESCORT.id),
                           attr='escort'))

    @classmethod
    def visible_to(cls, user):
        return scope(cls._joined(), user, ServerArea.department)

    @classmethod
    def open_in(cls, area):
        """Who is inside ``area`` now, the earliest first (one query)."""
        return list(cls._joined().where((cls.area == area.id) & cls.exited_at.is_null())
                    .order_by(cls.entered_at, cls.id))

    @classmethod
    def search(cls, user, today, area_id=None, state=None, day_from=None, day_to=None,
               q=None):
        """The log of entries the user may read, newest first (query)."""
        query = cls.visible_to(user)
        if area_id:
            query = query.where(cls.area == area_id)
        if state == 'open':
            query = query.where(cls.exited_at.is_null())
        elif state == 'flagged':
            query = query.where(cls.flagged_condition(today))
        if day_from:
            query = query.where(cls.entered_at >= local_date_to_utc(day_from))
        if day_to:
            query = query.where(
                cls.entered_at < local_date_to_utc(day_to + datetime.timedelta(days=1)))
        if q:
            query = query.where(cls.visitor_name.contains(q) | cls.visitor_company.contains(q)
                                | cls.purpose_detail.contains(q) | PERSON.name.contains(q))
        return query.order_by(cls.entered_at.desc(), cls.id.desc())

    @classmethod
    def without_exit(cls, user, today):
        """Entries still open from an earlier day in areas ``user`` manages: the committee's
        every area, a manager's departments' (query, oldest first)."""
        query = (cls.select(cls, ServerArea, User)
                 .join(ServerArea, on=(cls.area == ServerArea.id))
                 .join_from(cls, User, JOIN.LEFT_OUTER, on=(cls.person == User.id),
                            attr='person')
                 .where(cls.exited_at.is_null() & (cls.entered_at < local_date_to_utc(today))))
        if not user.has_role(R.COMMITTEE):
            managed = sorted(user.managed_department_ids) if user.has_role(R.MANAGER) else []
            query = query.where(ServerArea.department.in_(managed) if managed else NOTHING)
        return query.order_by(cls.entered_at, cls.id)

    @classmethod
    def inside(cls, area_id, person_id):
        return cls.select().where((cls.area == area_id) & (cls.person == person_id)
                                  & cls.exited_at.is_null()).exists()


class AreaDevice(Bookkeeping):
    """A device brought into an area: its kind, owner, who approved it, in, out and whether
    it was inspected."""
    area = ForeignKeyField(ServerArea, backref='+', index=True)
    entry = ForeignKeyField(AreaEntry, null=True, backref='+', index=True)
    kind = CharField(max_length=20)
    description = CharField(max_length=200, default='')
    owner = CharField(max_length=160)
    approved_by = ForeignKeyField(User, null=True, backref='+')
    approved_at = DateTimeField(null=True)
    brought_in_at = DateTimeField()
    taken_out_at = DateTimeField(null=True)
    inspected = BooleanField(default=False)
    recorded_by = ForeignKeyField(User, backref='+')

    class Meta:
        table_name = 'server_area_device'
        indexes = ((('area', 'taken_out_at'), False),)

    @property
    def kind_label(self):
        label = C.DEVICE_LABELS.get(self.kind, self.kind)
        return '%s: %s' % (label, self.description) if self.description else label

    @property
    def is_approved(self):
        return self.approved_by_id is not None

    @classmethod
    def _joined(cls):
        return (cls.select(cls, ServerArea, Department, APPROVER)
                .join(ServerArea, on=(cls.area == ServerArea.id))
                .join(Department, on=(ServerArea.department == Department.id))
                .join_from(cls, APPROVER, JOIN.LEFT_OUTER,
                           on=(cls.approved_by == APPROVER.id), attr='approved_by'))

    @classmethod
    def visible_to(cls, user):
        return scope(cls._joined(), user, ServerArea.department)

    @classmethod
    def search(cls, user, area_id=None, state=None, q=None):
        query = cls.visible_to(user)
        if area_id:
            query = query.where(cls.area == area_id)
        if state == 'unapproved':
            query = query.where(cls.approved_by.is_null())
        elif state == 'inside':
            query = query.where(cls.taken_out_at.is_null())
        if q:
            query = query.where(cls.owner.contains(q) | cls.description.contains(q))
        return query.order_by(cls.brought_in_at.desc(), cls.id.desc())

    @classmethod
    def of_entries(cls, entry_ids):
        """{entry id: [devices, in order]} for many entries (one query)."""
        found = {}
        if entry_ids:
            for device in (cls.select(cls, APPROVER)
                           .join_from(cls, APPROVER, JOIN.LEFT_OUTER,
                                      on=(cls.approved_by == APPROVER.id), attr='approved_by')
                           .where(cls.entry.in_(list(entry_ids)))
                           .order_by(cls.brought_in_at, cls.id)):
                found.setdefault(device.entry_id, []).append(device)
        return found

    @classmethod
    def unapproved_counts(cls, user):
        """How many visible devices lack an approval (one query)."""
        return cls.visible_to(user).where(cls.approved_by.is_null()).count()


def flag_counts(user, today):
    """{'no_exit', 'no_escort', 'unapproved'} over the visible areas (one query)."""
    cutoff = local_date_to_utc(today)
    no_exit = fn.SUM(Case(None, [(AreaEntry.exited_at.is_null()
                                  & (AreaEntry.entered_at < cutoff), 1)], 0))
    no_escort = fn.SUM(Case(None, [((AreaEntry.authorised == False)  # noqa: E712
                                    & AreaEntry.escort.is_null(), 1)], 0))
    unapproved = (AreaDevice.select(fn.COUNT(AreaDevice.id))
                  .join(ServerArea, on=(AreaDevice.area == ServerArea.id))
                  .where(AreaDevice.approved_by.is_null()))
    unapproved = scope(unapproved, user, ServerArea.department)
    query = (AreaEntry.select(no_exit.alias('no_exit'), no_escort.alias('no_escort'),
                              unapproved.alias('unapproved'))
             .join(ServerArea, on=(AreaEntry.area == ServerArea.id)))
    row = scope(query, user, ServerArea.department).dicts().first() or {}
    return {k: int(row.get(k) or 0) for k in ('no_exit', 'no_escort', 'unapproved')}

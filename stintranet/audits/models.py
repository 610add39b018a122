"""Inspections of the Audit Department: scope, team, checklist answers and findings."""
from flask_babel import lazy_gettext as _l
from peewee import (
    SQL,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from ..auth import roles as R
from ..auth.models import Department, User
from ..corrective.models import DONE as ACTION_DONE
from ..corrective.models import OPEN_STATUSES as ACTION_OPEN
from ..corrective.models import CorrectiveAction
from ..db import BaseModel
from ..models import Bookkeeping
from . import checklist as C

PLANNED = 'planned'
IN_PROGRESS = 'in_progress'
REPORTED = 'reported'
CANCELLED = 'cancelled'

STATUSES = (PLANNED, IN_PROGRESS, REPORTED, CANCELLED)
STATUS_LABELS = {
    PLANNED: _l('Planned'),
    IN_PROGRESS: _l('In progress'),
    REPORTED: _l('Reported (closed)'),
    CANCELLED: _l('Cancelled'),
}

MAJOR, MINOR, OBSERVATION = C.MAJOR, C.MINOR, C.OBSERVATION
SEVERITIES = (MAJOR, MINOR, OBSERVATION)
SEVERITY_LABELS = {
    MAJOR: _l('Major nonconformity'),
    MINOR: _l('Minor nonconformity'),
    OBSERVATION: _l('Observation'),
}
# Severities that call for a corrective action; an observation is advice.
NONCONFORMITIES = (MAJOR, MINOR)

SOURCE_TYPE = 'finding'


def nothing(query, model):
    return query.where(SQL('1 = 0'))


def own_department_ids(user):
    """The departments ``user`` may not inspect: their own and those they manage."""
    ids = {user.department_id}
    if user.has_role(R.MANAGER):
        ids |= set(user.managed_department_ids)
    return ids


class InspectionSequence(BaseModel):
    """The last inspection number issued per year."""
    year = IntegerField(primary_key=True)
    last_number = IntegerField()

    class Meta:
        table_name = 'inspection_sequence'

    @classmethod
    def next_number(cls, year):
        """Atomically take the next number of ``year`` (one statement, any database)."""
        query = (cls.insert(year=year, last_number=1)
                 .on_conflict(conflict_target=[cls.year],
                              update={cls.last_number: cls.last_number + 1})
                 .returning(cls.last_number))
        row = next(iter(query.execute()))
        return row.last_number if hasattr(row, 'last_number') else row[0]


class Inspection(Bookkeeping):
    reference = CharField(max_length=16, unique=True)
    year = IntegerField()
    number = IntegerField()
    title = CharField(max_length=200)
    objective = TextField(default='')
    planned_on = DateField(index=True)
    performed_on = DateField(null=True)
    status = CharField(max_length=16, default=PLANNED, index=True)
    lead = ForeignKeyField(User, backref='+', index=True)
    checklist_version = CharField(max_length=20, default='')
    summary = TextField(default='')
    reported_at = DateTimeField(null=True)
    reported_by = ForeignKeyField(User, null=True, backref='+')
    cancel_reason = CharField(max_length=500, default='')
    cancelled_at = DateTimeField(null=True)
    cancelled_by = ForeignKeyField(User, null=True, backref='+')
    created_by = ForeignKeyField(User, null=True, backref='+')  # no ON DELETE (0008)

    class Meta:
        table_name = 'inspection'
        indexes = ((('year', 'number'), True),)

    def __str__(self):
        return self.reference

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_planned(self):
        return self.status == PLANNED

    @property
    def is_in_progress(self):
        return self.status == IN_PROGRESS

    @property
    def is_reported(self):
        return self.status == REPORTED

    @classmethod
    def visible_to(cls, user):
        """Every inspection for the auditors and the committee; for a manager those
        whose scope includes a department they manage; none for anyone else."""
        Lead = User.alias('lead_user')
        query = cls.select(cls, Lead).join(Lead, on=(cls.lead == Lead.id))
        if user.reads_all_departments():
            return query
        managed = sorted(user.managed_department_ids) if user.has_role(R.MANAGER) else []
        if managed:
            return query.where(cls.id.in_(
                InspectionDepartment.select(InspectionDepartment.inspection)
                .where(InspectionDepartment.department.in_(managed))))
        return nothing(query, cls)

    @classmethod
    def listing(cls, user, status=None, department_id=None, year=None):
        query = cls.visible_to(user)
        if status == 'open':
            query = query.where(cls.status.in_((PLANNED, IN_PROGRESS)))
        elif status in STATUSES:
            query = query.where(cls.status == status)
        if department_id:
            query = query.where(cls.id.in_(
                InspectionDepartment.select(InspectionDepartment.inspection)
                .where(InspectionDepartment.department == department_id)))
        if year:
            query = query.where(cls.year == year)
        return query.order_by(cls.planned_on.desc(), cls.id.desc())

    @classmethod
    def years(cls):
        """The years that have inspections, newest first."""
        return [year for year, in cls.select(cls.year).distinct()
                .order_by(cls.year.desc()).tuples()]

    @classmethod
    def upcoming(cls, user, limit=10):
        """Planned and running inspections the user may see, soonest first."""
        return list(cls.upcoming_query(user, limit))

    @classmethod
    def upcoming_query(cls, user, limit=10):
        """The query behind ``upcoming`` (not run)."""
        return (cls.visible_to(user)
                .where(cls.status.in_((PLANNED, IN_PROGRESS)))
                .order_by(cls.planned_on, cls.id).limit(limit))

    @classmethod
    def led_by(cls, user):
        """The planned and running inspections ``user`` leads, the soonest first."""
        return (cls.select(cls.id, cls.reference, cls.title, cls.planned_on, cls.status)
                .where((cls.lead == user.id) & cls.status.in_((PLANNED, IN_PROGRESS)))
                .order_by(cls.planned_on, cls.id))

    def scope(self):
        return attach_scope([self])[0].scope_departments

    def team(self):
        return attach_team([self])[0].team_members

    def department_ids(self):
        return [row.department_id for row in
                InspectionDepartment.select(InspectionDepartment.department)
                .where(InspectionDepartment.inspection == self.id)]

    def member_ids(self):
        return [row.user_id for row in
                InspectionMember.select(InspectionMember.user)
                .where(InspectionMember.inspection == self.id)]


class InspectionDepartment(BaseModel):
    inspection = ForeignKeyField(Inspection, backref='scope_rows', on_delete='CASCADE')
    department = ForeignKeyField(Department, backref='+', on_delete='RESTRICT')

    class Meta:
        table_name = 'inspection_department'
        indexes = ((('inspection', 'department'), True), (('department',), False))


class InspectionMember(BaseModel):
    """A member of the inspection team besides the lead auditor."""
    inspection = ForeignKeyField(Inspection, backref='member_rows', on_delete='CASCADE')
    user = ForeignKeyField(User, backref='+', on_delete='RESTRICT')

    class Meta:
        table_name = 'inspection_member'
        indexes = ((('inspection', 'user'), True), (('user',), False))


def attach_scope(inspections):
    """Set ``scope_departments`` on each inspection (one query)."""
    by_id = {i.id: i for i in inspections}
    rows = scope_query(list(by_id)) if by_id else []
    return attach_scope_rows(inspections, rows)


def scope_query(inspection_ids):
    """The scope rows, with their department, of some inspections (query, not run).

    ``inspection_ids`` is a list or a subquery of ids, such as
    ``Inspection.upcoming_query(user).select(Inspection.id)``.
    """
    return (InspectionDepartment.select(InspectionDepartment, Department)
            .join(Department, on=(InspectionDepartment.department == Department.id))
            .where(InspectionDepartment.inspection.in_(inspection_ids))
            .order_by(Department.code))


def attach_scope_rows(inspections, rows):
    """Set ``scope_departments`` on each inspection from the rows of ``scope_query``."""
    by_id = {i.id: i for i in inspections}
    for inspection in inspections:
        inspection.scope_departments = []
    for row in rows:
        if row.inspection_id in by_id:
            by_id[row.inspection_id].scope_departments.append(row.department)
    return inspections


def attach_team(inspections):
    """Set ``team_members`` (users with their department) on each inspection (one query)."""
    by_id = {i.id: i for i in inspections}
    for inspection in inspections:
        inspection.team_members = []
    if by_id:
        query = (InspectionMember.select(InspectionMember, User, Department)
                 .join(User, on=(InspectionMember.user == User.id))
                 .join(Department, on=(User.department == Department.id))
                 .where(InspectionMember.inspection.in_(list(by_id)))
                 .order_by(User.name))
        for row in query:
            by_id[row.inspection_id].team_members.append(row.user)
    return inspections


class ChecklistAnswer(BaseModel):
    """One checklist item for one scope department, with its wording at the start."""
    inspection = ForeignKeyField(Inspection, backref='answers', on_delete='CASCADE')
    department = ForeignKeyField(Department, backref='+', on_delete='RESTRICT')
    position = IntegerField()
    item_key = CharField(max_length=40)
    clause = CharField(max_length=120, default='')
    question = TextField()
    result = CharField(max_length=16, null=True)
    note = TextField(default='')
    answered_by = ForeignKeyField(User, null=True, backref='+')
    answered_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        table_name = 'checklist_answer'
        indexes = ((('inspection', 'department', 'item_key'), True),)

    @property
    def result_label(self):
        return C.RESULT_LABELS.get(self.result, '') if self.result else ''

    @property
    def guidance(self):
        item = C.BY_KEY.get(self.item_key)
        return item.guidance if item else ''

    @classmethod
    def for_department(cls, inspection, department_id):
        return list(cls.select().where((cls.inspection == inspection.id)
                                       & (cls.department == department_id))
                    .order_by(cls.position))

    @classmethod
    def for_inspection(cls, inspection, department_ids=None):
        query = (cls.select(cls, Department)
                 .join(Department, on=(cls.department == Department.id))
                 .where(cls.inspection == inspection.id))
        if department_ids is not None:
            query = query.where(cls.department.in_(list(department_ids) or [0]))
        return list(query.order_by(Department.code, cls.position))

    @classmethod
    def progress(cls, inspection):
        """{department id: (answered, total, nonconform)} in one query."""
        answered = fn.SUM(Case(None, [(cls.result.is_null(False), 1)], 0))
        nonconform = fn.SUM(Case(None, [(cls.result.in_((C.MINOR, C.MAJOR)), 1)], 0))
        query = (cls.select(cls.department, fn.COUNT(cls.id), answered, nonconform)
                 .where(cls.inspection == inspection.id).group_by(cls.department))
        return {row[0]: (int(row[2] or 0), row[1], int(row[3] or 0)) for row in query.tuples()}

    @classmethod
    def unanswered(cls, inspection):
        return (cls.select().where((cls.inspection == inspection.id)
                                   & cls.result.is_null()).count())

    @classmethod
    def without_finding(cls, inspection):
        """Nonconforming answers and observations that no finding writes up."""
        written = (Finding.select(Finding.id)
                   .where((Finding.inspection == inspection.id)
                          & (Finding.department == cls.department)
                          & (Finding.item_key == cls.item_key)))
        return list(cls.select(cls, Department)
                    .join(Department, on=(cls.department == Department.id))
                    .where((cls.inspection == inspection.id)
                           & cls.result.in_(C.NEEDS_FINDING)
                           & ~fn.EXISTS(written))
                    .order_by(Department.code, cls.position))


class Finding(Bookkeeping):
    inspection = ForeignKeyField(Inspection, backref='findings', on_delete='RESTRICT')
    department = ForeignKeyField(Department, backref='+', on_delete='RESTRICT')
    number = IntegerField()
    item_key = CharField(max_length=40, default='')
    severity = CharField(max_length=16)
    title = CharField(max_length=200)
    description = TextField()
    created_by = ForeignKeyField(User, null=True, backref='+')  # no ON DELETE (0008)
    closed_at = DateTimeField(null=True)

    class Meta:
        table_name = 'finding'
        indexes = ((('inspection', 'number'), True), (('department', 'closed_at'), False))

    @property
    def severity_label(self):
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def needs_action(self):
        return self.severity in NONCONFORMITIES

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def item(self):
        return C.BY_KEY.get(self.item_key)

    @property
    def item_position(self):
        return C.position_of(self.item_key)

    def reference_in(self, inspection):
        return '%s-F%d' % (inspection.reference, self.number)

    @classmethod
    def visible_to(cls, user):
        """Findings with their inspection and department; a manager sees those of the
        departments they manage, the auditors and the committee all."""
        query = (cls.select(cls, Inspection, Department)
                 .join(Inspection, on=(cls.inspection == Inspection.id))
                 .switch(cls).join(Department, on=(cls.department == Department.id)))
        if user.reads_all_departments():
            return query
        managed = sorted(user.managed_department_ids) if user.has_role(R.MANAGER) else []
        if managed:
            return query.where(cls.department.in_(managed))
        return nothing(query, cls)

    @classmethod
    def listing(cls, user, state=None, severity=None, department_id=None):
        query = cls.visible_to(user)
        if state == 'open':
            query = query.where(cls.closed_at.is_null() & cls.severity.in_(NONCONFORMITIES))
        elif state == 'closed':
            query = query.where(cls.closed_at.is_null(False))
        if severity in SEVERITIES:
            query = query.where(cls.severity == severity)
        if department_id:
            query = query.where(cls.department == department_id)
        return query.order_by(Inspection.planned_on.desc(), Inspection.id.desc(), cls.number)

    @classmethod
    def of_inspection(cls, inspection, department_ids=None):
        query = (cls.select(cls, Department)
                 .join(Department, on=(cls.department == Department.id))
                 .where(cls.inspection == inspection.id))
        if department_ids is not None:
            query = query.where(cls.department.in_(list(department_ids) or [0]))
        return list(query.order_by(cls.number))

    @classmethod
    def open_counts(cls, inspection_ids):
        """{inspection id: open nonconformities} in one query."""
        if not inspection_ids:
            return {}
        return dict(cls.select(cls.inspection, fn.COUNT(cls.id))
                    .where(cls.inspection.in_(list(inspection_ids)) & cls.closed_at.is_null()
                           & cls.severity.in_(NONCONFORMITIES))
                    .group_by(cls.inspection).tuples())

    @classmethod
    def open_for(cls, user):
        """Open nonconformities the user may see, oldest inspection first."""
        return (cls.visible_to(user)
                .where(cls.closed_at.is_null() & cls.severity.in_(NONCONFORMITIES))
                .order_by(Inspection.planned_on, cls.number))


def finding_actions(user, today):
    """Corrective actions on findings the user may see that are open or await the
    auditor's effectiveness check, with counts.

    Four queries whatever the number of actions: the ten soonest due, how many
    are open, how many of those are overdue, and how many await the check.
    """
    rows, counts = finding_action_queries(user, today)
    return dict({'rows': list(rows)}, **{name: query.count() for name, query in counts.items()})


def finding_action_queries(user, today):
    """The queries behind ``finding_actions`` (not run): the rows, and {name: query to
    count} for 'open', 'overdue' and 'awaiting_check'."""
    visible = Finding.visible_to(user).select(Finding.id)
    Owner = User.alias()
    base = (CorrectiveAction.select()
            .where((CorrectiveAction.source_type == SOURCE_TYPE)
                   & CorrectiveAction.source_id.in_(visible)))
    pending = base.where(CorrectiveAction.status.in_(ACTION_OPEN + (ACTION_DONE,)))
    opened = base.where(CorrectiveAction.status.in_(ACTION_OPEN))
    rows = (pending.select(CorrectiveAction, Owner)
            .join(Owner, on=(CorrectiveAction.owner == Owner.id))
            .order_by(CorrectiveAction.due_on, CorrectiveAction.id).limit(10))
    return rows, {
        'open': opened,
        'overdue': opened.where(CorrectiveAction.due_on < today),
        'awaiting_check': base.where(CorrectiveAction.status == ACTION_DONE),
    }


def finding_action_counts(user, today):
    """{'open', 'overdue', 'awaiting_check'}: the corrective actions on findings the user
    may see, counted in one query."""
    visible = Finding.visible_to(user).select(Finding.id)
    action = CorrectiveAction
    is_open = action.status.in_(ACTION_OPEN)

    def count(condition):
        return fn.SUM(Case(None, [(condition, 1)], 0))

    row = (action.select(count(is_open).alias('open'),
                         count(is_open & (action.due_on < today)).alias('overdue'),
                         count(action.status == ACTION_DONE).alias('awaiting_check'))
           .where((action.source_type == SOURCE_TYPE) & action.source_id.in_(visible))
           .dicts().get())
    return {name: int(value or 0) for name, value in row.items()}

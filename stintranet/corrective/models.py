"""Corrective actions: owner, due date, status, done evidence, effectiveness check.

An action belongs to a source named by type and id ('incident' / 42,
'finding' / 7), so any capability can raise actions without a table of its own.
"""
from flask_babel import lazy_gettext as _l
from peewee import (
    SQL,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ..auth.models import Department, User
from ..models import Bookkeeping
from . import sources

OPEN = 'open'
IN_PROGRESS = 'in_progress'
DONE = 'done'
VERIFIED = 'verified'

STATUSES = (OPEN, IN_PROGRESS, DONE, VERIFIED)
OPEN_STATUSES = (OPEN, IN_PROGRESS)

STATUS_LABELS = {
    OPEN: _l('Open'),
    IN_PROGRESS: _l('In progress'),
    DONE: _l('Done'),
    VERIFIED: _l('Verified effective'),
}


class CorrectiveAction(Bookkeeping):
    source_type = CharField(max_length=20)
    source_id = IntegerField()
    title = CharField(max_length=200)
    owner = ForeignKeyField(User, backref='corrective_actions', index=True)
    due_on = DateField()
    status = CharField(max_length=16, default=OPEN, index=True)
    done_evidence = TextField(default='')
    done_at = DateTimeField(null=True)
    effectiveness_check = TextField(default='')
    verified_by = ForeignKeyField(User, null=True, backref='+')
    verified_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref='+')  # no ON DELETE (0003)

    class Meta:
        table_name = 'corrective_action'
        indexes = ((('source_type', 'source_id'), False),)

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, today):
        return self.is_open and self.due_on < today

    @classmethod
    def visible_to(cls, user):
        """The actions listed for ``user``, each with its owner and the owner's
        department: everyone's for the committee and auditors, their own for anyone
        else (query). An action's page also opens to those its source allows
        (``services.may_read``)."""
        Owner = User.alias()
        query = (cls.select(cls, Owner, Department)
                 .join(Owner, on=(cls.owner == Owner.id))
                 .join(Department, on=(Owner.department == Department.id)))
        if not user.reads_all_departments():
            query = query.where(cls.owner == user.id)
        return query

    @classmethod
    def for_source(cls, source_type, source_id):
        """The actions of one source with their owners, in due-date order (one query)."""
        Owner = User.alias()
        return list(cls.select(cls, Owner).join(Owner, on=(cls.owner == Owner.id))
                    .where((cls.source_type == source_type) & (cls.source_id == source_id))
                    .order_by(cls.due_on, cls.id))

    @classmethod
    def for_sources(cls, source_type, source_ids):
        """{source id: [actions with their owner, in due-date order]} for many sources at
        once (one query)."""
        if not source_ids:
            return {}
        Owner = User.alias()
        found = {}
        for action in (cls.select(cls, Owner).join(Owner, on=(cls.owner == Owner.id))
                       .where((cls.source_type == source_type)
                              & (cls.source_id.in_(list(source_ids))))
                       .order_by(cls.due_on, cls.id)):
            found.setdefault(action.source_id, []).append(action)
        return found

    @classmethod
    def open_for_owner(cls, user):
        return (cls.select().where((cls.owner == user.id) & (cls.status.in_(OPEN_STATUSES)))
                .order_by(cls.due_on, cls.id))

    @classmethod
    def to_verify_by(cls, user):
        """Done actions awaiting ``user``'s effectiveness check, the longest waiting first;
        each source says whose actions ``user`` checks (``Source.verifiable_ids``)."""
        condition = SQL('1 = 0')
        for source in sources.registered().values():
            ids = source.verifiable_ids(user)
            if ids is not None:
                condition = condition | ((cls.source_type == source.type)
                                         & cls.source_id.in_(ids))
        return (cls.select().where((cls.status == DONE) & condition)
                .order_by(cls.done_at, cls.id))

    @classmethod
    def overdue(cls, today, source_type=None):
        query = (cls.select(cls, User, Department)
                 .join(User, on=(cls.owner == User.id))
                 .join(Department, on=(User.department == Department.id))
                 .where((cls.status.in_(OPEN_STATUSES)) & (cls.due_on < today)))
        if source_type:
            query = query.where(cls.source_type == source_type)
        return query.order_by(cls.due_on, cls.id)


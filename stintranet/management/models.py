"""The management review (JIS Q 15001 9.3): the record of the top management's yearly review
of the personal-information management system, its inputs and its decisions.

A review's inputs are gathered from the other capabilities as a JSON snapshot when it is
prepared (``inputs.gather``), so the record shows what the top management saw, whatever
changes later. Each input area gets one ``ReviewDecision``; the corrective actions a
decision raises are ordinary corrective actions whose source is the decision.

The committee prepares and records reviews; the auditors read them; nobody else does.
"""
import datetime
import json

from peewee import (
    JOIN,
    SQL,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
    fn,
)

from ..auth import roles as R
from ..auth.models import User
from ..corrective.models import OPEN_STATUSES as ACTION_OPEN
from ..corrective.models import CorrectiveAction
from ..ledger.models import add_months
from ..models import Bookkeeping, Tracked
from . import catalogue as C

READERS = (R.COMMITTEE, R.AUDITOR)
RECORDERS = (R.COMMITTEE,)
SOURCE_TYPE = 'review_decision'
# At least yearly (JIS Q 15001 9.3; the group's rules).
INTERVAL_MONTHS = 12


def may_read(user):
    return bool(user and user.is_authenticated and user.has_role(*READERS))


def may_record(user):
    return bool(user and user.is_authenticated and user.has_role(*RECORDERS))


class ManagementReview(Tracked):
    title = CharField(max_length=200)
    period_start = DateField()
    period_end = DateField()
    planned_on = DateField(index=True)
    held_on = DateField(null=True, index=True)
    status = CharField(max_length=16, default=C.DRAFT, index=True)
    top_management = CharField(max_length=200, default='')
    attendees = TextField(default='')
    law_changes = TextField(default='')
    summary = TextField(default='')
    inputs = TextField(default='')
    inputs_at = DateTimeField(null=True)
    inputs_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')

    class Meta:
        table_name = 'management_review'

    # What the list, the panel and the export read (never the snapshot).
    LIST_COLUMNS = ('id', 'title', 'period_start', 'period_end', 'planned_on', 'held_on',
                    'status', 'top_management', 'closed_at', 'version')

    @property
    def reference(self):
        return 'MR-%05d' % self.id if self.id else ''

    @property
    def status_label(self):
        return C.STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self):
        return self.status in C.OPEN_STATUSES

    @property
    def snapshot(self):
        """The inputs as gathered (a dict; empty before they are)."""
        return json.loads(self.inputs) if self.inputs else {}

    @classmethod
    def list_columns(cls):
        return [getattr(cls, name) for name in cls.LIST_COLUMNS]

    @classmethod
    def visible_to(cls, user, *columns):
        """Every review for the committee and the auditors, none for anyone else."""
        query = cls.select(*columns) if columns else cls.select()
        return query if may_read(user) else query.where(SQL('1 = 0'))

    @classmethod
    def get_visible(cls, user, review_id):
        return cls.visible_to(user).where(cls.id == review_id).first()

    @classmethod
    def listing(cls, user, status=None, year=None):
        """The list's rows, newest meeting first, each with how many areas are decided and
        how many of the actions raised are still open (one query)."""
        decided = (ReviewDecision.select(fn.COUNT(ReviewDecision.id))
                   .where(ReviewDecision.review == cls.id))
        open_actions = (CorrectiveAction.select(fn.COUNT(CorrectiveAction.id))
                        .join(ReviewDecision, on=(
                            (CorrectiveAction.source_type == SOURCE_TYPE)
                            & (CorrectiveAction.source_id == ReviewDecision.id)))
                        .where((ReviewDecision.review == cls.id)
                               & CorrectiveAction.status.in_(ACTION_OPEN)))
        query = cls.visible_to(user, *cls.list_columns(), decided.alias('decided_count'),
                               open_actions.alias('open_action_count'))
        if status in C.STATUS_LABELS:
            query = query.where(cls.status == status)
        if year:
            query = query.where((cls.planned_on >= datetime.date(year, 1, 1))
                                & (cls.planned_on <= datetime.date(year, 12, 31)))
        return query.order_by(fn.COALESCE(cls.held_on, cls.planned_on).desc(), cls.id.desc())

    @classmethod
    def previous_of(cls, review):
        """The latest review held before ``review`` (None if there is none)."""
        query = cls.select().where(cls.status.in_((C.HELD, C.CLOSED)))
        if review is not None and review.id:
            query = query.where(cls.id != review.id)
            if review.held_on:
                query = query.where(cls.held_on <= review.held_on)
        return query.order_by(cls.held_on.desc(), cls.id.desc()).first()

    @classmethod
    def open_and_last_held(cls, user):
        """The reviews in preparation or held and not closed, and the last one held, the
        earliest meeting first (one query; none for a role that may not read them)."""
        last_held = (cls.select(cls.id).where(cls.status.in_((C.HELD, C.CLOSED)))
                     .order_by(cls.held_on.desc(), cls.id.desc()).limit(1))
        return (cls.visible_to(user, *cls.list_columns())
                .where(cls.status.in_(C.OPEN_STATUSES) | (cls.id.in_(last_held)))
                .order_by(cls.planned_on, cls.id))

    @classmethod
    def needing_work(cls, user):
        """``open_and_last_held`` for a committee member's work list, nothing for others."""
        query = cls.open_and_last_held(user)
        return query if may_record(user) else query.where(SQL('1 = 0'))


def next_due(last_held_on, today):
    """When the next review is due: a year after the last one held; today when none was."""
    if last_held_on is None:
        return today
    return add_months(last_held_on, INTERVAL_MONTHS)


class ReviewDecision(Bookkeeping):
    """The top management's decision on one input area of one review."""
    review = ForeignKeyField(ManagementReview, on_delete='CASCADE', backref='+')
    area = CharField(max_length=16)
    decision = TextField(default='')
    decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')

    class Meta:
        table_name = 'management_review_decision'
        indexes = ((('review', 'area'), True),)

    @property
    def area_label(self):
        return C.AREA_LABELS.get(self.area, self.area)

    @classmethod
    def of_review(cls, review_id):
        """{area: decision with the decider's name} of a review (one query)."""
        return {d.area: d for d in (cls.select(cls, User.id, User.name)
                                    .join(User, JOIN.LEFT_OUTER,
                                          on=(cls.decided_by == User.id), attr='decided_by')
                                    .where(cls.review == review_id))}

    @classmethod
    def actions_of(cls, decision_ids):
        """{decision id: [corrective actions with their owner]} (one query)."""
        return CorrectiveAction.for_sources(SOURCE_TYPE, decision_ids)


def action_counts(user, today):
    """{'open', 'overdue'} of the corrective actions raised by reviews (one query)."""
    if not may_read(user):
        return {'open': 0, 'overdue': 0}
    is_open = CorrectiveAction.status.in_(ACTION_OPEN)
    row = (CorrectiveAction.select(
        fn.SUM(Case(None, [(is_open, 1)], 0)).alias('open'),
        fn.SUM(Case(None, [(is_open & (CorrectiveAction.due_on < today), 1)], 0))
        .alias('overdue'))
        .where(CorrectiveAction.source_type == SOURCE_TYPE).dicts().get())
    return {name: int(row.get(name) or 0) for name in ('open', 'overdue')}

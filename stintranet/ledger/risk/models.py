"""The risk assessment of a ledger entry (JIS Q 15001 6.1.2, A.3.3.3).

One ``RiskAssessment`` per entry says who assessed it when and who confirmed it in a
yearly review when; its ``Risk`` rows name, stage by stage, the threat, what could happen,
likelihood and impact with the measures in place, the measures, and the residual risk
(derived from the matrix, or overridden with a reason). Every save and confirmation is a
``RiskRevision`` with the risks before and after.

An assessment is *current* when it was made or confirmed within the last review interval
(``ledger.models.risk_cutoff``); an entry without a current one is a ledger-health problem.
"""
import json

from peewee import (
    JOIN,
    SQL,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
    fn,
)

from ...auth.models import Department, User
from ...db import BaseModel, utcnow
from ...models import Bookkeeping
from ..models import LedgerEntry
from . import catalogue as C


class RiskAssessment(Bookkeeping):
    entry = ForeignKeyField(LedgerEntry, unique=True, on_delete='CASCADE', backref='+')
    assessed_on = DateField(index=True)
    assessed_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    confirmed_on = DateField(null=True, index=True)
    confirmed_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    note = TextField(default='')

    class Meta:
        table_name = 'ledger_risk_assessment'

    @property
    def as_of(self):
        """The day it was last made or confirmed."""
        return max(day for day in (self.assessed_on, self.confirmed_on) if day is not None)

    def is_current(self, cutoff):
        return self.as_of >= cutoff

    @classmethod
    def current(cls, cutoff):
        """``SELECT 1`` of the assessments made or confirmed on or after ``cutoff`` (for an
        EXISTS with the entry's condition added)."""
        return cls.select(SQL('1')).where((cls.assessed_on >= cutoff)
                                          | (cls.confirmed_on >= cutoff))

    @classmethod
    def for_entry(cls, entry_id):
        """(assessment with its assessor and confirmer, [its risks in order]), or
        (None, []): one query."""
        Assessor, Confirmer = User.alias(), User.alias()
        rows = list(cls.select(cls, Risk, Assessor.id, Assessor.name, Confirmer.id,
                               Confirmer.name)
                    .join_from(cls, Risk, JOIN.LEFT_OUTER, on=(Risk.assessment == cls.id),
                               attr='row')
                    .join_from(cls, Assessor, JOIN.LEFT_OUTER,
                               on=(cls.assessed_by == Assessor.id), attr='assessed_by')
                    .join_from(cls, Confirmer, JOIN.LEFT_OUTER,
                               on=(cls.confirmed_by == Confirmer.id), attr='confirmed_by')
                    .where(cls.entry == entry_id)
                    .order_by(Risk.position))
        if not rows:
            return None, []
        risks = [row.row for row in rows if row.row is not None and row.row.id is not None]
        return rows[0], risks

    @classmethod
    def missing_for(cls, user, today, cutoff):
        """The non-retired entries of the departments ``user`` manages without a current
        assessment, those never assessed first (query): the manager's own to-do, so the
        committee and the auditors, who read every department, get none."""
        managed = sorted(user.managed_department_ids) if user.has_role('manager') else []
        return (LedgerEntry.select(LedgerEntry.id, LedgerEntry.title, cls.id, cls.assessed_on,
                                   cls.confirmed_on, Department.id, Department.code)
                .join(Department, on=(LedgerEntry.department == Department.id))
                .join_from(LedgerEntry, cls, JOIN.LEFT_OUTER, on=(cls.entry == LedgerEntry.id),
                           attr='assessment')
                .where(LedgerEntry.department.in_(managed)
                       & (LedgerEntry.status != 'retired')
                       & ~fn.EXISTS(cls.current(cutoff).where(cls.entry == LedgerEntry.id)))
                .order_by(cls.id.is_null(False), cls.assessed_on, LedgerEntry.id))


def attach_assessments(entries, query=None):
    """Give each of ``entries`` its ``risk_assessment`` (or None) with one query;
    ``query``, the query the entries came from, selects them through a subquery."""
    by_id = {entry.id: entry for entry in entries}
    for entry in entries:
        entry._risk_assessment = None
    if by_id:
        ids = (query.select(LedgerEntry.id).order_by() if query is not None
               else list(by_id))
        for assessment in RiskAssessment.select().where(RiskAssessment.entry.in_(ids)):
            if assessment.entry_id in by_id:
                by_id[assessment.entry_id]._risk_assessment = assessment
    return entries


class Risk(BaseModel):
    """One risk at one stage; a stage that does not occur has one row saying why."""
    assessment = ForeignKeyField(RiskAssessment, on_delete='CASCADE', backref='+')
    position = SmallIntegerField()
    stage = CharField(max_length=16)
    threat = CharField(max_length=24)
    scenario = TextField(default='')
    likelihood = SmallIntegerField(null=True)
    impact = SmallIntegerField(null=True)
    measures = TextField(default='')
    residual_override = CharField(max_length=8, default='')
    override_reason = TextField(default='')

    class Meta:
        table_name = 'ledger_risk'
        indexes = ((('assessment', 'position'), True),)

    # What a revision keeps of each risk, in this order.
    FIELDS = ('stage', 'threat', 'scenario', 'likelihood', 'impact', 'measures',
              'residual_override', 'override_reason')

    @property
    def stage_label(self):
        return C.STAGE_LABELS.get(self.stage, self.stage)

    @property
    def threat_label(self):
        return C.THREAT_LABELS.get(self.threat, self.threat)

    @property
    def not_applicable(self):
        return self.threat == C.NOT_APPLICABLE

    @property
    def derived_level(self):
        return C.level(self.likelihood, self.impact)

    @property
    def residual_level(self):
        """The residual risk: the override when one is given, else the matrix's level."""
        if self.not_applicable:
            return None
        return self.residual_override or self.derived_level

    @property
    def residual_label(self):
        level = self.residual_level
        return C.LEVEL_LABELS.get(level, '') if level else ''

    def as_dict(self):
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def high_residual_count(cls, cutoff):
        """How many risks of current assessments of non-retired entries leave a high
        residual risk (one query)."""
        derived_high = (cls.residual_override == '') & ((cls.likelihood * cls.impact) >= 6)
        high = (cls.residual_override == C.HIGH) | derived_high
        return (cls.select(fn.SUM(Case(None, [(high, 1)], 0)))
                .join(RiskAssessment, on=(cls.assessment == RiskAssessment.id))
                .join(LedgerEntry, on=(RiskAssessment.entry == LedgerEntry.id))
                .where((LedgerEntry.status != 'retired') & (cls.threat != C.NOT_APPLICABLE)
                       & ((RiskAssessment.assessed_on >= cutoff)
                          | (RiskAssessment.confirmed_on >= cutoff)))
                .scalar() or 0)


class RiskRevision(BaseModel):
    """One save or confirmation of an assessment: who, when, the risks before and after."""
    assessment = ForeignKeyField(RiskAssessment, on_delete='CASCADE', backref='+')
    version = IntegerField()
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    action = CharField(max_length=16)
    changes = TextField(default='')

    class Meta:
        table_name = 'ledger_risk_revision'
        indexes = ((('assessment', 'version'), True),)

    @property
    def change_map(self):
        return json.loads(self.changes) if self.changes else {}

    def changed_stages(self):
        """The stages whose risks differ between before and after, in stage order."""
        data = self.change_map
        before, after = data.get('before') or [], data.get('after') or []

        def of(rows, stage):
            return [row for row in rows if row.get('stage') == stage]
        return [code for code in C.STAGE_CODES if of(before, code) != of(after, code)]

    @classmethod
    def for_assessment(cls, assessment_id):
        """The assessment's revisions with their authors, newest first (one query)."""
        return list(cls.select(cls, User.id, User.name)
                    .join(User, JOIN.LEFT_OUTER, on=(cls.actor == User.id))
                    .where(cls.assessment == assessment_id).order_by(cls.version.desc()))

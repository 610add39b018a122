"""Writes of risk assessments: the assessment, its risks, a revision and the audit-log row
in one transaction.

Only the managers of the entry's department write, and not on a retired entry
(``RiskError`` 403 / 409); ``actor=None`` is the system (the demo data). A save carries
the version the person started from; a stale one raises ``StaleAssessment`` with the
current assessment, so nothing is lost silently.
"""
import json

from flask_babel import gettext as _

from ... import auditlog
from ...db import database, is_sqlite, utcnow
from ...timezone import today_local
from .models import Risk, RiskAssessment, RiskRevision


class RiskError(Exception):
    """A write that cannot be made; ``status`` 403 or 409."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


class StaleAssessment(Exception):
    """Someone saved the assessment since the person loaded it."""

    def __init__(self, current):
        super().__init__('risk assessment changed meanwhile')
        self.current = current


def may_edit(entry, user):
    return entry.editable_by(user) and not entry.is_retired


def _require(entry, actor):
    if actor is not None and not entry.editable_by(actor):
        raise RiskError(_('Only the managers of the entry\'s department assess its risks.'),
                        403)
    if entry.is_retired:
        raise RiskError(_('%(ref)s is retired; its risk assessment is kept as it was.',
                          ref=entry.reference), 409)


def _id(user):
    return user.id if user is not None else None


def _locked(entry_id):
    query = RiskAssessment.select().where(RiskAssessment.entry == entry_id)
    if not is_sqlite():
        query = query.for_update()
    return query.first()


def _risk_rows(assessment_id):
    return [risk.as_dict() for risk in Risk.select().where(Risk.assessment == assessment_id)
            .order_by(Risk.position)]


def _revision(assessment, action, actor, changes):
    RiskRevision.create(assessment=assessment.id, version=assessment.version, at=utcnow(),
                        actor=_id(actor), action=action,
                        changes=json.dumps(changes, ensure_ascii=False))


def save(entry, risks, note, *, expected_version, actor):
    """Make or update the entry's assessment with ``risks`` (dicts in order) and ``note``.

    ``expected_version`` is None for a first assessment; saving counts as assessing it
    again today even when nothing changed.
    """
    _require(entry, actor)
    today = today_local()
    with database.atomic():
        current = _locked(entry.id)
        if current is None and expected_version is not None:
            raise StaleAssessment(None)
        if current is not None and expected_version != current.version:
            raise StaleAssessment(current)
        before = _risk_rows(current.id) if current is not None else []
        if current is None:
            assessment = RiskAssessment.create(entry=entry.id, assessed_on=today,
                                               assessed_by=_id(actor), note=note or '')
            action, old_note = 'create', ''
        else:
            assessment, action, old_note = current, 'update', current.note
            assessment.version += 1
            assessment.assessed_on = today
            assessment.assessed_by = _id(actor)
            assessment.note = note or ''
            assessment.updated_at = utcnow()
            assessment.save()
            Risk.delete().where(Risk.assessment == assessment.id).execute()
        if risks:
            Risk.insert_many([dict(risk, assessment=assessment.id, position=n)
                              for n, risk in enumerate(risks, 1)]).execute()
        changes = {'before': before, 'after': list(risks)}
        if old_note != (note or ''):
            changes['note'] = [old_note, note or '']
        _revision(assessment, action, actor, changes)
        auditlog.record(action, assessment, actor=actor, details={
            'entry': entry.reference, 'version': assessment.version, 'risks': len(risks),
            'stages_changed': RiskRevision(changes=json.dumps(changes)).changed_stages()})
    return assessment


def confirm(entry, *, actor, review_id=None):
    """The yearly review confirms that the assessment still holds (no change to it)."""
    _require(entry, actor)
    with database.atomic():
        assessment = _locked(entry.id)
        if assessment is None:
            raise RiskError(_('%(ref)s has no risk assessment to confirm.',
                              ref=entry.reference), 409)
        assessment.version += 1
        assessment.confirmed_on = today_local()
        assessment.confirmed_by = _id(actor)
        assessment.updated_at = utcnow()
        assessment.save()
        _revision(assessment, 'confirm', actor, {'review': review_id})
        auditlog.record('confirm', assessment, actor=actor, details={
            'entry': entry.reference, 'version': assessment.version, 'review': review_id})
    return assessment

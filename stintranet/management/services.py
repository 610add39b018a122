"""Writes of management reviews: each with its audit-log row in one transaction.

Only the committee writes (``ReviewError`` 403 for anyone else). A review moves
draft → held → closed; its details, inputs and decisions change while it is open, and
a closed review is read-only (its actions go on at /corrective-actions/). Every form
carries the version the person saw; a stale write is a 409 with the current record.
"""
import datetime
import json

from flask_babel import gettext as _

from .. import auditlog
from ..corrective import services as corrective
from ..db import database, is_sqlite, utcnow
from ..ledger.models import add_months
from ..timezone import today_local
from . import catalogue as C
from . import inputs
from .models import INTERVAL_MONTHS, SOURCE_TYPE, ManagementReview, ReviewDecision, may_record

DETAILS = ('title', 'period_start', 'period_end', 'planned_on', 'top_management',
           'attendees', 'law_changes', 'summary')


class ReviewError(Exception):
    """A write that cannot be made; ``status`` 403, 409 or 422."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


def _require(actor):
    if not may_record(actor):
        raise ReviewError(_('Only the Personal Information Protection Committee prepares and '
                            'records management reviews.'), 403)


def _locked(review_id, version):
    query = ManagementReview.select().where(ManagementReview.id == review_id)
    if not is_sqlite():
        query = query.for_update()
    review = query.get()
    if version is not None and version != review.version:
        raise ReviewError(_('Someone else changed this review meanwhile; the current record '
                            'is shown. Repeat your change on it.'), 409)
    return review


def _require_open(review):
    if not review.is_open:
        raise ReviewError(_('This review is closed; it can no longer be changed.'), 409)


def _save(review, action, actor, details):
    review.version += 1
    review.updated_at = utcnow()
    review.updated_by = actor.id
    review.save()
    auditlog.record(action, review, actor=actor, details=dict(details,
                                                              reference=review.reference))


def _gather(review, actor, today):
    review.inputs = json.dumps(inputs.gather(review, actor, today), ensure_ascii=False)
    review.inputs_at = utcnow()
    review.inputs_by = actor.id


def create(data, actor):
    """Prepare a review: its details, and its inputs gathered at once."""
    _require(actor)
    with database.atomic():
        review = ManagementReview(created_by=actor.id, updated_by=actor.id,
                                  **{name: data.get(name) or '' for name in DETAILS
                                     if name not in ('period_start', 'period_end',
                                                     'planned_on')})
        review.period_start = data['period_start']
        review.period_end = data['period_end']
        review.planned_on = data['planned_on']
        review.save()
        _gather(review, actor, today_local())
        review.save()
        auditlog.record('create', review, actor=actor, details={
            'reference': review.reference, 'period': [data['period_start'],
                                                      data['period_end']],
            'planned_on': data['planned_on'], 'inputs': True})
    return review


def update(review, data, version, actor):
    """Correct the details while the review is open; the audit log names the fields."""
    _require(actor)
    with database.atomic():
        current = _locked(review.id, version)
        _require_open(current)
        changed = []
        for name in DETAILS:
            if name not in data:
                continue
            value = data[name] if name in ('period_start', 'period_end', 'planned_on') \
                else (data[name] or '')
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed.append(name)
        if changed:
            _save(current, 'update', actor, {'fields': changed})
    return current


def gather_again(review, version, actor):
    """Gather the inputs again (in preparation only: once held, they are what was seen)."""
    _require(actor)
    with database.atomic():
        current = _locked(review.id, version)
        if current.status != C.DRAFT:
            raise ReviewError(_('The inputs are kept as they were at the meeting once the '
                                'review is held.'), 409)
        _gather(current, actor, today_local())
        _save(current, 'gather', actor, {'gathered_on': today_local()})
    return current


def decide(review, area, text, decision_version, actor, action=None):
    """Record the top management's decision on one input area; ``action`` (title, owner,
    due date) raises a corrective action on it in the same transaction."""
    _require(actor)
    if area not in C.AREA_LABELS:
        raise ReviewError(_('Unknown input area.'), 404)
    with database.atomic():
        current = _locked(review.id, None)
        _require_open(current)
        decision = ReviewDecision.get_or_none((ReviewDecision.review == current.id)
                                              & (ReviewDecision.area == area))
        if decision is None:
            if decision_version is not None:
                raise ReviewError(_('This decision changed meanwhile; the current one is '
                                    'shown. Repeat your change on it.'), 409)
            decision = ReviewDecision(review=current.id, area=area)
            what = 'create'
        else:
            if decision_version != decision.version:
                raise ReviewError(_('Someone else recorded a decision here meanwhile; it is '
                                    'shown now. Repeat your change on it.'), 409)
            decision.version += 1
            what = 'update'
        changed = (decision.decision or '') != text
        decision.decision = text
        decision.decided_by = actor.id
        decision.updated_at = utcnow()
        decision.save()
        raised = None
        if action is not None:
            try:
                raised = corrective.create(SOURCE_TYPE, decision.id, title=action['title'],
                                           owner=action['owner'], due_on=action['due_on'],
                                           actor=actor)
            except corrective.ActionError as exc:
                raise ReviewError(exc.message, exc.status) from exc
        auditlog.record('decide', current, actor=actor, details={
            'reference': current.reference, 'area': area, 'decision': what,
            'text_changed': changed, 'action_id': raised.id if raised else None})
    return decision, raised


def hold(review, held_on, version, actor):
    """draft → held: the meeting took place on ``held_on`` with the top management."""
    _require(actor)
    with database.atomic():
        current = _locked(review.id, version)
        if current.status != C.DRAFT:
            raise ReviewError(_('Only a review in preparation can be marked as held.'), 409)
        if not current.top_management.strip():
            raise ReviewError(_('Name the top management who held the review first (edit '
                                'the details).'), 422)
        if not current.inputs:
            raise ReviewError(_('Gather the inputs first.'), 422)
        current.status = C.HELD
        current.held_on = held_on
        _save(current, 'hold', actor, {'status': [C.DRAFT, C.HELD], 'held_on': held_on})
    return current


def missing_decisions(review_id):
    decided = {area for area, d in ReviewDecision.of_review(review_id).items()
               if (d.decision or '').strip()}
    return [code for code in C.AREA_CODES if code not in decided]


def close(review, version, actor):
    """held → closed, once every input area has its decision and the conclusion is
    written; the actions raised go on at /corrective-actions/."""
    _require(actor)
    with database.atomic():
        current = _locked(review.id, version)
        if current.status != C.HELD:
            raise ReviewError(_('Only a held review can be closed.'), 409)
        missing = missing_decisions(current.id)
        if missing:
            raise ReviewError(_('Record the decision on every input area before closing: '
                                '%(areas)s.', areas=', '.join(
                                    str(C.AREA_LABELS[a]) for a in missing)), 422)
        if not current.summary.strip():
            raise ReviewError(_('Write the conclusion of the review (edit the details) '
                                'before closing it.'), 422)
        current.status = C.CLOSED
        current.closed_at = utcnow()
        current.closed_by = actor.id
        _save(current, 'close', actor, {'status': [C.HELD, C.CLOSED]})
    return current


def default_period(today, previous=None):
    """The period a new review covers: from the day after the previous review's period
    (or a year back) to today."""
    if previous is not None:
        start = previous.period_end + datetime.timedelta(days=1)
    else:
        start = add_months(today, -INTERVAL_MONTHS) + datetime.timedelta(days=1)
    return min(start, today), today

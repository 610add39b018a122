"""The corrective-action state machine: open → in progress → done → verified.

Owners move their actions forward and record the evidence; whoever the source
names as verifier checks effectiveness, sending an ineffective action back to
in progress. Each change writes the audit log and calls the source's hook in
the same transaction.
"""
from .. import auditlog
from ..db import database, utcnow
from . import sources
from .models import DONE, IN_PROGRESS, OPEN, VERIFIED, CorrectiveAction


class ActionError(Exception):
    """A change that cannot be made; ``status`` is 403 or 409, ``message`` for the user."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


def _check_version(action, version):
    if version is not None and int(version) != action.version:
        raise ActionError('Someone else changed this action meanwhile; the current '
                          'state is shown below.', 409)


def _save(action, what, actor, details=None):
    action.updated_at = utcnow()
    action.version += 1
    action.save()
    auditlog.record(what, action, actor=actor, details=details or {})
    sources.get(action.source_type).on_change(action, what, actor)


def create(source_type, source_id, *, title, owner, due_on, actor):
    """Raise an action on a source the actor may manage."""
    source = sources.get(source_type)
    if not source.can_manage(actor, source_id):
        raise ActionError('You may not add corrective actions here.', 403)
    if not source.is_open(source_id):
        raise ActionError('This record is closed; no action can be added to it.', 409)
    with database.atomic():
        action = CorrectiveAction(source_type=source_type, source_id=source_id,
                                  title=title.strip(), owner=owner, due_on=due_on,
                                  created_by=actor)
        action.save()
        auditlog.record('create', action, actor=actor, details={
            'source': '%s:%s' % (source_type, source_id), 'owner_id': owner.id,
            'due_on': due_on.isoformat()})
        source.on_change(action, 'create', actor)
    return action


def may_update(action, user):
    return action.owner_id == user.id or sources.get(action.source_type).can_update(
        user, action.source_id)


def may_verify(action, user):
    return sources.get(action.source_type).can_verify(user, action.source_id)


def may_read(action, user):
    return (action.owner_id == user.id or may_verify(action, user)
            or sources.get(action.source_type).can_read(user, action.source_id))


def replan(action, *, owner, due_on, actor, version=None):
    """Change the owner or the due date of an action that is not finished."""
    if not sources.get(action.source_type).can_manage(actor, action.source_id):
        raise ActionError('You may not re-plan this action.', 403)
    with database.atomic():
        action = CorrectiveAction.get_by_id(action.id)
        _check_version(action, version)
        if not action.is_open:
            raise ActionError('This action is finished; it can no longer be re-planned.')
        changes = {}
        if owner.id != action.owner_id:
            changes['owner_id'] = [action.owner_id, owner.id]
            action.owner = owner
        if due_on != action.due_on:
            changes['due_on'] = [action.due_on.isoformat(), due_on.isoformat()]
            action.due_on = due_on
        if changes:
            _save(action, 'update', actor, {'changes': changes})
    return action


def start(action, *, actor, version=None):
    """open → in progress, by the owner or a manager of the source."""
    if not may_update(action, actor):
        raise ActionError('Only the owner may start this action.', 403)
    with database.atomic():
        action = CorrectiveAction.get_by_id(action.id)
        _check_version(action, version)
        if action.status != OPEN:
            raise ActionError('Only an open action can be started.')
        action.status = IN_PROGRESS
        _save(action, 'start', actor, {'status': [OPEN, IN_PROGRESS]})
    return action


def complete(action, *, evidence, actor, version=None):
    """open / in progress → done, with the evidence of what was done."""
    if not may_update(action, actor):
        raise ActionError('Only the owner may mark this action done.', 403)
    evidence = (evidence or '').strip()
    if not evidence:
        raise ActionError('Describe what was done (the evidence).', 422)
    with database.atomic():
        action = CorrectiveAction.get_by_id(action.id)
        _check_version(action, version)
        if action.status not in (OPEN, IN_PROGRESS):
            raise ActionError('This action is already done.')
        before = action.status
        action.status = DONE
        action.done_evidence = evidence
        action.done_at = utcnow()
        _save(action, 'complete', actor, {'status': [before, DONE]})
    return action


def verify(action, *, check, effective, actor, version=None):
    """done → verified (effective) or back to in progress (not effective)."""
    if not may_verify(action, actor):
        raise ActionError('You may not check the effectiveness of this action.', 403)
    check = (check or '').strip()
    if not check:
        raise ActionError('Describe how the effectiveness was checked.', 422)
    with database.atomic():
        action = CorrectiveAction.get_by_id(action.id)
        _check_version(action, version)
        if action.status != DONE:
            raise ActionError('Only a done action can be checked for effectiveness.')
        if action.owner_id == actor.id:
            raise ActionError('The owner cannot verify their own action.', 403)
        action.effectiveness_check = check
        action.verified_by = actor
        action.verified_at = utcnow()
        action.status = VERIFIED if effective else IN_PROGRESS
        _save(action, 'verify' if effective else 'reject', actor,
              {'status': [DONE, action.status]})
    return action

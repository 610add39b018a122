"""The inspection state machine and every write of the audit capability.

planned → in progress → reported (closed); a planned inspection may also be
cancelled. Only the lead auditor and the team run an inspection, and nobody
ever works on an inspection whose scope holds their own department: the form
refuses such a plan and every write checks it again, since a person's
department can change after the plan was made.

Each change writes the audit log in the same transaction; details name ids,
codes and field names, never the text of notes or findings.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .. import auditlog
from ..auth import roles as R
from ..auth.models import ManagedDepartment, User, UserRole
from ..corrective.models import VERIFIED, CorrectiveAction
from ..db import database, utcnow
from ..languages import lazy_date
from ..notifications.services import link_to, notify
from . import checklist as C
from .models import (
    CANCELLED,
    IN_PROGRESS,
    PLANNED,
    REPORTED,
    SOURCE_TYPE,
    ChecklistAnswer,
    Finding,
    Inspection,
    InspectionDepartment,
    InspectionMember,
    InspectionSequence,
    own_department_ids,
)


class AuditError(Exception):
    """A change that cannot be made: ``status`` 403, 409 or 422, ``message`` for the user."""

    def __init__(self, message, status=409, conflicts=None):
        super().__init__(message)
        self.message, self.status = message, status
        self.conflicts = conflicts or []


READERS = (R.AUDITOR, R.COMMITTEE, R.MANAGER)


def may_plan(user):
    return user.has_role(R.AUDITOR)


def is_independent(user, department_ids):
    return not (own_department_ids(user) & set(department_ids))


def may_run(user, inspection, department_ids=None, member_ids=None):
    """The lead and the team run an inspection, if none of the scope is their own."""
    if not user.has_role(R.AUDITOR):
        return False
    members = member_ids if member_ids is not None else inspection.member_ids()
    if user.id != inspection.lead_id and user.id not in members:
        return False
    scope = department_ids if department_ids is not None else inspection.department_ids()
    return is_independent(user, scope)


def may_follow_up(user, finding):
    """Any auditor from another department raises and checks a finding's actions."""
    return user.has_role(R.AUDITOR) and finding.department_id not in own_department_ids(user)


def may_read_department(user, department_id):
    return user.reads_all_departments() or user.manages(department_id)


def _check_version(obj, version):
    if version is not None and str(version).strip() != '' and str(version) != str(obj.version):
        raise AuditError(_('Someone else changed this inspection meanwhile; the current '
                           'state is shown below.'), 409)


def _require_run(user, inspection):
    if not may_run(user, inspection):
        raise AuditError(_('Only the lead auditor and the team, none of them from a '
                           'department in the scope, may do this.'), 403)


def _check_independence(lead, team, department_ids):
    for user in [lead] + list(team):
        if not user.has_role(R.AUDITOR):
            raise AuditError(_('%(name)s is not an auditor.', name=user.name), 422)
        if not is_independent(user, department_ids):
            raise AuditError(_('Nobody may inspect their own department: %(name)s belongs '
                               'to a department in the scope.', name=user.name), 422)


def _touch(obj):
    obj.updated_at = utcnow()
    obj.version += 1


def create_inspection(actor, *, title, planned_on, departments, lead, team=(), objective=''):
    """Plan an inspection; the reference (AUD-2026-001) is taken at once."""
    if not may_plan(actor):
        raise AuditError(_('Only the Audit Department plans inspections.'), 403)
    department_ids = [d.id for d in departments]
    _check_independence(lead, team, department_ids)
    with database.atomic():
        year = planned_on.year
        number = InspectionSequence.next_number(year)
        inspection = Inspection.create(
            reference='AUD-%04d-%03d' % (year, number), year=year, number=number,
            title=title.strip(), objective=(objective or '').strip(), planned_on=planned_on,
            lead=lead, created_by=actor, status=PLANNED)
        for department in departments:
            InspectionDepartment.create(inspection=inspection, department=department)
        for user in team:
            InspectionMember.create(inspection=inspection, user=user)
        auditlog.record('create', inspection, actor=actor, details={
            'reference': inspection.reference, 'planned_on': planned_on.isoformat(),
            'departments': sorted(d.code for d in departments), 'lead_id': lead.id,
            'team_ids': sorted(u.id for u in team)})
    return inspection


def update_plan(inspection, actor, *, title, planned_on, departments, lead, team=(),
                objective='', version=None):
    """Change a planned inspection's title, date, scope, lead, team or objective."""
    _require_run(actor, inspection)
    department_ids = [d.id for d in departments]
    _check_independence(lead, team, department_ids)
    with database.atomic():
        inspection = Inspection.get_by_id(inspection.id)
        _check_version(inspection, version)
        if inspection.status != PLANNED:
            raise AuditError(_('Only a planned inspection can be re-planned.'))
        changes = {}
        if planned_on != inspection.planned_on:
            changes['planned_on'] = [inspection.planned_on.isoformat(), planned_on.isoformat()]
            inspection.planned_on = planned_on
        for name, value in (('title', title.strip()), ('objective', (objective or '').strip())):
            if getattr(inspection, name) != value:
                changes[name] = 'changed'  # field names only in the log
                setattr(inspection, name, value)
        if lead.id != inspection.lead_id:
            changes['lead_id'] = [inspection.lead_id, lead.id]
            inspection.lead = lead
        old_scope, new_scope = set(inspection.department_ids()), set(department_ids)
        if old_scope != new_scope:
            changes['departments'] = [sorted(old_scope), sorted(new_scope)]
            InspectionDepartment.delete().where(
                (InspectionDepartment.inspection == inspection.id)
                & InspectionDepartment.department.in_(list(old_scope - new_scope))).execute()
            for department_id in sorted(new_scope - old_scope):
                InspectionDepartment.create(inspection=inspection, department=department_id)
        old_team, new_team = set(inspection.member_ids()), {u.id for u in team}
        if old_team != new_team:
            changes['team_ids'] = [sorted(old_team), sorted(new_team)]
            InspectionMember.delete().where(
                (InspectionMember.inspection == inspection.id)
                & InspectionMember.user.in_(list(old_team - new_team))).execute()
            for user_id in sorted(new_team - old_team):
                InspectionMember.create(inspection=inspection, user=user_id)
        if changes:
            _touch(inspection)
            inspection.save()
            auditlog.record('update', inspection, actor=actor, details={'changes': changes})
    return inspection


def cancel(inspection, actor, *, reason, version=None):
    """planned → cancelled, with the reason."""
    _require_run(actor, inspection)
    reason = (reason or '').strip()
    if not reason:
        raise AuditError(_('Say why the inspection is cancelled.'), 422)
    with database.atomic():
        inspection = Inspection.get_by_id(inspection.id)
        _check_version(inspection, version)
        if inspection.status != PLANNED:
            raise AuditError(_('Only a planned inspection can be cancelled.'))
        inspection.status = CANCELLED
        inspection.cancel_reason = reason[:500]
        inspection.cancelled_at = utcnow()
        inspection.cancelled_by = actor
        _touch(inspection)
        inspection.save()
        auditlog.record('cancel', inspection, actor=actor,
                        details={'status': [PLANNED, CANCELLED]})
    return inspection


def start(inspection, actor, *, performed_on, version=None, today=None):
    """planned → in progress: the checklist is copied for every scope department."""
    _require_run(actor, inspection)
    if today is not None and performed_on > today:
        raise AuditError(_('The inspection cannot have been performed in the future.'), 422)
    with database.atomic():
        inspection = Inspection.get_by_id(inspection.id)
        _check_version(inspection, version)
        if inspection.status != PLANNED:
            raise AuditError(_('Only a planned inspection can be started.'))
        rows = []
        for department_id in sorted(inspection.department_ids()):
            for position, item in enumerate(C.ITEMS, start=1):
                rows.append({'inspection': inspection.id, 'department': department_id,
                             'position': position, 'item_key': item.key,
                             'clause': item.clause, 'question': item.question})
        ChecklistAnswer.insert_many(rows).execute()
        inspection.status = IN_PROGRESS
        inspection.performed_on = performed_on
        inspection.checklist_version = C.VERSION
        _touch(inspection)
        inspection.save()
        auditlog.record('start', inspection, actor=actor, details={
            'status': [PLANNED, IN_PROGRESS], 'performed_on': performed_on.isoformat(),
            'checklist_version': C.VERSION, 'items': len(rows)})
    return inspection


def save_answers(inspection, department_id, actor, submitted):
    """Save one department's answers: {item key: (result, note, version)}.

    An answer someone else changed since the form was loaded is a conflict
    when this person changes it too: nothing is saved, and the conflicts name
    the items. Returns the keys of the answers changed.
    """
    _require_run(actor, inspection)
    with database.atomic():
        inspection = Inspection.get_by_id(inspection.id)
        if inspection.status != IN_PROGRESS:
            raise AuditError(_('The checklist can be answered only while the inspection is '
                               'in progress.'))
        answers = {a.item_key: a for a in
                   ChecklistAnswer.for_department(inspection, department_id)}
        if not answers:
            raise AuditError(_('This department is not in the scope.'), 404)
        changed, conflicts, results = [], [], {}
        for key, (result, note, version) in submitted.items():
            answer = answers.get(key)
            if answer is None:
                continue
            if result is not None and result not in C.RESULTS:
                raise AuditError(_('Choose a result from the list.'), 422)
            if result in C.NEEDS_FINDING and not note:
                raise AuditError(_('Say what you saw: a note is needed for a '
                                   'nonconformity or an observation.'), 422)
            if (answer.result, answer.note) == (result, note):
                continue
            if version is not None and version != answer.version:
                conflicts.append(answer)
                continue
            results[key] = [answer.result, result]
            answer.result, answer.note = result, note
            answer.answered_by = actor if result else None
            answer.answered_at = utcnow() if result else None
            answer.version += 1
            changed.append(answer)
        if conflicts:
            raise AuditError(_('Someone else changed %(n)d of these answers meanwhile; '
                               'nothing was saved. Their answers are shown next to yours.',
                               n=len(conflicts)), 409, conflicts=conflicts)
        for answer in changed:
            answer.save()
        if changed:
            auditlog.record('answer', inspection, actor=actor, details={
                'department_id': department_id, 'results': results,
                'notes': sorted(a.item_key for a in changed)})
    return [a.item_key for a in changed]


def _finding_fields(inspection, *, department_id, item_key, severity, title, description):
    if department_id not in inspection.department_ids():
        raise AuditError(_('Choose one of the departments in the scope.'), 422)
    if item_key and item_key not in C.BY_KEY:
        raise AuditError(_('Choose a checklist item from the list.'), 422)
    if severity not in (C.MAJOR, C.MINOR, C.OBSERVATION):
        raise AuditError(_('Choose the severity.'), 422)
    if not (title or '').strip() or not (description or '').strip():
        raise AuditError(_('Say what was found and the evidence.'), 422)
    return {'department': department_id, 'item_key': item_key or '', 'severity': severity,
            'title': title.strip(), 'description': description.strip()}


def add_finding(inspection, actor, **fields):
    """Record a finding while the inspection is in progress; numbered F1, F2..."""
    _require_run(actor, inspection)
    with database.atomic():
        inspection = Inspection.get_by_id(inspection.id)
        if inspection.status != IN_PROGRESS:
            raise AuditError(_('Findings are recorded while the inspection is in progress.'))
        values = _finding_fields(inspection, **fields)
        last = (Finding.select(Finding.number).where(Finding.inspection == inspection.id)
                .order_by(Finding.number.desc()).first())
        finding = Finding.create(inspection=inspection, number=(last.number + 1) if last else 1,
                                 created_by=actor, **values)
        auditlog.record('create', finding, actor=actor, details={
            'inspection': inspection.reference, 'number': finding.number,
            'department_id': values['department'], 'item': values['item_key'],
            'severity': values['severity']})
    return finding


def update_finding(finding, actor, *, version=None, **fields):
    inspection = Inspection.get_by_id(finding.inspection_id)
    _require_run(actor, inspection)
    with database.atomic():
        finding = Finding.get_by_id(finding.id)
        if str(version or '') and str(version) != str(finding.version):
            raise AuditError(_('Someone else changed this finding meanwhile; the current '
                               'text is shown below.'), 409)
        if inspection.status != IN_PROGRESS:
            raise AuditError(_('The report is issued: its findings can no longer change.'))
        values = _finding_fields(inspection, **fields)
        changed = [name for name, value in values.items()
                   if getattr(finding, name if name != 'department' else 'department_id')
                   != value]
        if values['department'] != finding.department_id and CorrectiveAction.select().where(
                (CorrectiveAction.source_type == SOURCE_TYPE)
                & (CorrectiveAction.source_id == finding.id)).exists():
            raise AuditError(_('This finding already has corrective actions; it cannot move '
                               'to another department.'))
        if changed:
            for name, value in values.items():
                setattr(finding, name, value)
            _touch(finding)
            finding.save()
            auditlog.record('update', finding, actor=actor, details={'fields': sorted(changed)})
    return finding


def delete_finding(finding, actor):
    """Withdraw a finding recorded in error, before the report and any action."""
    inspection = Inspection.get_by_id(finding.inspection_id)
    _require_run(actor, inspection)
    with database.atomic():
        if inspection.status != IN_PROGRESS:
            raise AuditError(_('The report is issued: its findings can no longer change.'))
        if CorrectiveAction.select().where((CorrectiveAction.source_type == SOURCE_TYPE)
                                           & (CorrectiveAction.source_id == finding.id)).exists():
            raise AuditError(_('This finding has corrective actions; it cannot be withdrawn.'))
        auditlog.record('delete', finding, actor=actor, details={
            'inspection': inspection.reference, 'number': finding.number})
        finding.delete_instance()


def report_blockers(inspection):
    """What stops the report: unanswered items, answers not written up as findings."""
    problems = []
    unanswered = ChecklistAnswer.unanswered(inspection)
    if unanswered:
        problems.append(ngettext('%(num)d checklist answer is still open.',
                                 '%(num)d checklist answers are still open.', unanswered))
    for answer in ChecklistAnswer.without_finding(inspection):
        problems.append(_('%(code)s, item %(n)d (%(result)s): record it as a finding.',
                          code=answer.department.code, n=answer.position,
                          result=answer.result_label))
    return problems


def report(inspection, actor, *, performed_on, summary, version=None, today=None):
    """in progress → reported: the report is issued and frozen; managers are told."""
    _require_run(actor, inspection)
    summary = (summary or '').strip()
    if not summary:
        raise AuditError(_('Write the conclusion of the inspection.'), 422)
    if today is not None and performed_on > today:
        raise AuditError(_('The inspection cannot have been performed in the future.'), 422)
    with database.atomic():
        inspection = Inspection.get_by_id(inspection.id)
        _check_version(inspection, version)
        if inspection.status != IN_PROGRESS:
            raise AuditError(_('Only an inspection in progress can be reported.'))
        blockers = report_blockers(inspection)
        if blockers:
            raise AuditError(_('The report cannot be issued yet: %(what)s',
                               what=' '.join(blockers)), 409)
        inspection.status = REPORTED
        inspection.performed_on = performed_on
        inspection.summary = summary
        inspection.reported_at = utcnow()
        inspection.reported_by = actor
        _touch(inspection)
        inspection.save()
        auditlog.record('report', inspection, actor=actor, details={
            'status': [IN_PROGRESS, REPORTED], 'performed_on': performed_on.isoformat(),
            'findings': Finding.select().where(Finding.inspection == inspection.id).count()})
        _tell_report_issued(inspection)
    return inspection


def _tell_report_issued(inspection):
    """The managers of the scope departments and the committee hear of the report."""
    scope = inspection.department_ids()
    managers = User.select().where(User.id.in_(
        ManagedDepartment.select(ManagedDepartment.user)
        .where(ManagedDepartment.department.in_(scope))) & User.id.in_(
        UserRole.select(UserRole.user).where(UserRole.role == R.MANAGER)))
    committee = User.select().where(User.id.in_(
        UserRole.select(UserRole.user).where(UserRole.role == R.COMMITTEE)))
    notify(list(managers) + list(committee), 'inspection:%d:reported' % inspection.id,
           _l('Inspection report %(ref)s issued', ref=inspection.reference),
           link=link_to('audits.inspection', inspection_id=inspection.id))


def refresh_finding(finding, actor, action=None, what=None):
    """Close a finding once all its actions are verified effective; reopen it otherwise.

    Called by the corrective-action source hook inside the action's transaction.
    """
    actions = list(CorrectiveAction.select(CorrectiveAction.status).where(
        (CorrectiveAction.source_type == SOURCE_TYPE)
        & (CorrectiveAction.source_id == finding.id)))
    done = bool(actions) and all(a.status == VERIFIED for a in actions)
    if done and finding.closed_at is None:
        finding.closed_at = utcnow()
        _touch(finding)
        finding.save()
        auditlog.record('close', finding, actor=actor, details={
            'reason': 'all corrective actions verified effective'})
    elif not done and finding.closed_at is not None:
        finding.closed_at = None
        _touch(finding)
        finding.save()
        auditlog.record('reopen', finding, actor=actor, details={
            'reason': 'a corrective action is not verified'})
    if what == 'create' and action is not None:
        inspection = Inspection.get_by_id(finding.inspection_id)
        notify([action.owner], 'corrective:%d:raised' % action.id,
               _l('Corrective action on finding %(ref)s due %(day)s',
                  ref=finding.reference_in(inspection), day=lazy_date(action.due_on)),
               link=link_to('corrective.action', action_id=action.id))

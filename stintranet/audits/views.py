"""/audits/: plan, run and report inspections; findings and their corrective actions."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import auditlog, exports, refusals
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.forms import ConfirmForm
from ..auth.models import Department
from ..corrective.models import STATUS_LABELS as ACTION_STATUS_LABELS
from ..corrective.models import CorrectiveAction
from ..errors import render_error
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import paginate
from ..timezone import today_local
from . import READERS, bp, services
from . import checklist as C
from .forms import CancelForm, FindingForm, InspectionForm, ReportForm, StartForm, checklist_form
from .models import (
    SEVERITIES,
    SEVERITY_LABELS,
    SOURCE_TYPE,
    STATUS_LABELS,
    STATUSES,
    ChecklistAnswer,
    Finding,
    Inspection,
    attach_scope,
    attach_team,
)


def inspection_or_404(inspection_id):
    """The inspection if the current user may see it; another department's is a 404."""
    inspection = (Inspection.visible_to(current_user)
                  .where(Inspection.id == inspection_id).first())
    if inspection is None:
        refusals.not_found(Inspection, inspection_id)
    attach_scope([inspection])
    attach_team([inspection])
    return inspection


def finding_or_404(finding_id):
    finding = Finding.visible_to(current_user).where(Finding.id == finding_id).first()
    if finding is None:
        refusals.not_found(Finding, finding_id)
    return finding


def scope_ids(inspection):
    return [d.id for d in inspection.scope_departments]


def readable_ids(inspection):
    """The scope departments whose answers and findings the user may read."""
    return [d for d in scope_ids(inspection) if services.may_read_department(current_user, d)]


def can_run(inspection):
    return services.may_run(current_user, inspection, scope_ids(inspection),
                            [u.id for u in inspection.team_members])


def refused(exc):
    """An AuditError as a status the view can return; 403 and 404 end the request."""
    if exc.status in (403, 404):
        abort(exc.status)
    return exc.status


def department_choices():
    """(id, label) of the departments offered in a filter: the active ones for readers
    of all departments, else the managed ones."""
    if current_user.reads_all_departments():
        return Department.choices()
    return [(d.id, '%s — %s' % (d.code, d.name))
            for d in Department.visible_to(current_user)]


def inspection_filters(args):
    """({status, department, year}, the names of the filters not understood).

    The list shows everything for a filter it does not understand; an export refuses
    it, so that nobody takes a whole list for a filtered one.
    """
    raw = {name: (args.get(name) or '').strip() for name in ('status', 'department', 'year')}
    filters = {
        'status': raw['status'] if raw['status'] in STATUSES or raw['status'] == 'open' else '',
        'department': int_arg(raw['department']),
        'year': int_arg(raw['year']),
    }
    return filters, [name for name, value in raw.items() if value and not filters[name]]


def inspection_listing(filters):
    return Inspection.listing(current_user, status=filters['status'] or None,
                              department_id=filters['department'], year=filters['year'])


def bad_filters(names):
    """The export's answer to filters it does not understand: 422, naming them."""
    return render_error(422, _('These filters were not understood: %(names)s. Choose them '
                               'again on the list and export again.',
                               names=', '.join(names)))


@bp.route('/')
@roles_required(*READERS)
def index():
    """Inspections the user may see, filtered by status, department and year."""
    filters, _bad = inspection_filters(request.args)
    page = paginate(inspection_listing(filters))
    attach_scope(page.items)
    open_findings = Finding.open_counts([i.id for i in page.items])
    context = {'page': page, 'open_findings': open_findings,
               'status_labels': STATUS_LABELS, 'status': filters['status'],
               'department': filters['department'] or '', 'year': filters['year'] or ''}
    if is_htmx():
        template = 'audits/_rows.html'
    else:
        template = 'audits/index.html'
        context.update(departments=department_choices(), years=Inspection.years(),
                       may_plan=services.may_plan(current_user))
    return vary_on_htmx(make_response(render_template(template, **context)))


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def export(fmt):
    """The filtered inspections as CSV or XLSX, the list's columns (audit-logged); a
    manager's holds the inspections of their departments only."""
    filters, bad = inspection_filters(request.args)
    if bad:
        return bad_filters(bad)
    inspections = attach_scope(list(inspection_listing(filters)))
    open_findings = Finding.open_counts([i.id for i in inspections])
    columns = [
        exports.column('reference', _('Ref.')),
        exports.column('title', _('Inspection')),
        exports.column('scope', _('Scope'),
                       lambda i: ' '.join(d.code for d in i.scope_departments)),
        exports.column('planned_on', _('Planned')),
        exports.column('performed_on', _('Performed')),
        exports.column('lead', _('Lead auditor'), lambda i: i.lead.name),
        exports.column('status', _('Status'), lambda i: str(i.status_label)),
        exports.column('open_findings', _('Open findings'),
                       lambda i: open_findings.get(i.id, 0)),
    ]
    return exports.export_response(fmt, 'inspections', columns, inspections,
                                   object_type='inspection', filters=filters,
                                   title=_('Inspections'))


def _plan_values(form):
    departments = list(Department.select().where(Department.id.in_(form.departments.data))
                       .order_by(Department.code))
    return dict(title=form.title.data, planned_on=form.planned_on.data,
                departments=departments, lead=form.lead_user(), team=form.team_users(),
                objective=form.objective.data)


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(R.AUDITOR)
def new():
    """Plan an inspection: date, scope, lead and team, none of them inspecting their own."""
    form = InspectionForm()
    if request.method == 'GET':
        form.lead.data = current_user.id
    if form.validate_on_submit():
        try:
            inspection = services.create_inspection(current_user, **_plan_values(form))
        except services.AuditError as exc:
            form.departments.errors = list(form.departments.errors) + [exc.message]
            return render_template('audits/form.html', form=form, inspection=None), \
                refused(exc)
        flash(_('Inspection %(ref)s was planned.', ref=inspection.reference), 'success')
        return redirect(url_for('audits.inspection', inspection_id=inspection.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('audits/form.html', form=form, inspection=None), status


@bp.route('/<int:inspection_id>/edit', methods=['GET', 'POST'])
@roles_required(R.AUDITOR)
def edit(inspection_id):
    """Re-plan a planned inspection."""
    inspection = inspection_or_404(inspection_id)
    if not can_run(inspection):
        abort(403)
    form = InspectionForm(inspection=inspection)
    if request.method == 'GET':
        form.version.data = inspection.version
        form.title.data = inspection.title
        form.planned_on.data = inspection.planned_on
        form.departments.data = scope_ids(inspection)
        form.lead.data = inspection.lead_id
        form.team.data = [u.id for u in inspection.team_members]
        form.objective.data = inspection.objective
    problem = None
    if not inspection.is_planned:
        problem = _('Only a planned inspection can be re-planned.')
        if request.method == 'POST':
            return render_template('audits/form.html', form=form, inspection=inspection,
                                   problem=problem), 409
    if form.validate_on_submit():
        try:
            services.update_plan(inspection, current_user, version=form.version.data,
                                 **_plan_values(form))
        except services.AuditError as exc:
            status = refused(exc)
            current = inspection_or_404(inspection.id)
            form.version.data = current.version
            return render_template('audits/form.html', form=form, inspection=current,
                                   problem=exc.message, saved=current), status
        flash(_('The plan was saved.'), 'success')
        return redirect(url_for('audits.inspection', inspection_id=inspection.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('audits/form.html', form=form, inspection=inspection,
                           problem=problem), status


def render_inspection(inspection, status=200, problem=None, **forms):
    """The inspection page; ``forms`` replace the blank ones to show errors."""
    visible = readable_ids(inspection)
    running = can_run(inspection)
    findings = Finding.of_inspection(inspection, visible)
    today = today_local()
    forms.setdefault('start_form', StartForm(formdata=None, version=inspection.version,
                                             performed_on=today))
    forms.setdefault('cancel_form', CancelForm(formdata=None, version=inspection.version))
    forms.setdefault('report_form', ReportForm(
        formdata=None, version=inspection.version,
        performed_on=inspection.performed_on or today, summary=inspection.summary))
    return render_template(
        'audits/inspection.html', inspection=inspection, problem=problem,
        scope=[d for d in inspection.scope_departments if d.id in visible],
        hidden_scope=len(inspection.scope_departments) - len(visible),
        progress=ChecklistAnswer.progress(inspection), findings=findings,
        actions=CorrectiveAction.for_sources(SOURCE_TYPE, [f.id for f in findings]),
        blockers=services.report_blockers(inspection) if (
            running and inspection.is_in_progress) else [],
        can_run=running, today=today, confirm=ConfirmForm(), **forms), status


@bp.route('/<int:inspection_id>')
@roles_required(*READERS)
def inspection(inspection_id):
    """One inspection: plan, team, checklist progress, findings and their actions."""
    return render_inspection(inspection_or_404(inspection_id))


def _transition(inspection_id, form_class, form_name, change, done_message):
    inspection = inspection_or_404(inspection_id)
    if not can_run(inspection):
        abort(403)
    form = form_class()
    if not form.validate_on_submit():
        return render_inspection(inspection, 422, **{form_name: form})
    try:
        change(inspection, form)
    except services.AuditError as exc:
        status = refused(exc)
        current = inspection_or_404(inspection_id)
        form.version.data = current.version
        return render_inspection(current, status, problem=exc.message, **{form_name: form})
    flash(done_message, 'success')
    return redirect(url_for('audits.inspection', inspection_id=inspection_id), 303)


@bp.route('/<int:inspection_id>/start', methods=['POST'])
@roles_required(R.AUDITOR)
def start(inspection_id):
    """planned → in progress; the checklist is copied for each scope department."""
    return _transition(inspection_id, StartForm, 'start_form', lambda i, f: services.start(
        i, current_user, performed_on=f.performed_on.data, version=f.version.data,
        today=today_local()), _('The inspection is in progress: answer the checklist.'))


@bp.route('/<int:inspection_id>/cancel', methods=['POST'])
@roles_required(R.AUDITOR)
def cancel(inspection_id):
    """planned → cancelled, with the reason."""
    return _transition(inspection_id, CancelForm, 'cancel_form', lambda i, f: services.cancel(
        i, current_user, reason=f.reason.data, version=f.version.data),
        _('The inspection was cancelled.'))


@bp.route('/<int:inspection_id>/report', methods=['POST'])
@roles_required(R.AUDITOR)
def report(inspection_id):
    """in progress → reported: the report is issued and can be printed."""
    return _transition(inspection_id, ReportForm, 'report_form', lambda i, f: services.report(
        i, current_user, performed_on=f.performed_on.data, summary=f.summary.data,
        version=f.version.data, today=today_local()),
        _('The report was issued; the managers concerned and the committee were told.'))


def report_context(inspection):
    """What the inspection report shows, its print view and its PDF: the scope
    departments the user may read (their own only, for a manager)."""
    visible = readable_ids(inspection)
    findings = Finding.of_inspection(inspection, visible)
    answers = ChecklistAnswer.for_inspection(inspection, visible)
    by_department = {}
    for answer in answers:
        by_department.setdefault(answer.department_id, []).append(answer)
    return {
        'inspection': inspection, 'visible': visible,
        'scope': [d for d in inspection.scope_departments if d.id in visible],
        'answers': by_department, 'findings': findings,
        'actions': CorrectiveAction.for_sources(SOURCE_TYPE, [f.id for f in findings]),
        'result_labels': C.RESULT_LABELS, 'today': today_local()}


@bp.route('/<int:inspection_id>/print')
@roles_required(*READERS)
def print_report(inspection_id):
    """The inspection report laid out for A4 (the user's departments only, for a manager)."""
    context = report_context(inspection_or_404(inspection_id))
    auditlog.record('print', context['inspection'],
                    details={'departments': context['visible']})
    return render_template('audits/print.html', **context)


def _checklist_context(inspection, department, answers, form, editable, conflicts=(),
                       message=None, error=False):
    return {
        'inspection': inspection, 'department': department, 'answers': answers,
        'form': form, 'editable': editable, 'message': message, 'message_error': error,
        'conflicts': {a.item_key: a for a in conflicts},
        'finding_items': {f.item_key for f in Finding.of_inspection(inspection, [department.id])},
        'needs_finding': C.NEEDS_FINDING,
    }


@bp.route('/<int:inspection_id>/checklist/<int:department_id>', methods=['GET', 'POST'])
@roles_required(*READERS)
def checklist(inspection_id, department_id):
    """One scope department's checklist: read it, or answer it while in progress."""
    inspection = inspection_or_404(inspection_id)
    department = next((d for d in inspection.scope_departments if d.id == department_id), None)
    if department is None:
        abort(404)
    if not services.may_read_department(current_user, department_id):
        refusals.out_of_scope('department', department_id)
    answers = ChecklistAnswer.for_department(inspection, department_id)
    editable = inspection.is_in_progress and can_run(inspection)
    template = 'audits/_checklist.html' if is_htmx() else 'audits/checklist.html'
    if request.method == 'GET':
        form = checklist_form(answers) if editable else None
        return vary_on_htmx(make_response(render_template(
            template, **_checklist_context(inspection, department, answers, form, editable))))
    if not can_run(inspection):
        abort(403)
    form = checklist_form(answers)

    def show(status, **context):
        response = make_response(render_template(template, **_checklist_context(
            inspection, department, context.pop('answers', answers), form,
            context.pop('editable', True), **context)), status)
        return vary_on_htmx(response)

    if not inspection.is_in_progress:
        return show(409, editable=False, error=True, message=_(
            'The checklist can be answered only while the inspection is in progress.'))
    if not form.validate_on_submit():
        return show(422)
    try:
        changed = services.save_answers(inspection, department_id, current_user,
                                        form.submitted())
    except services.AuditError as exc:
        status = refused(exc)
        for conflict in exc.conflicts:
            form['version-' + conflict.item_key].data = conflict.version
        return show(status, answers=ChecklistAnswer.for_department(inspection, department_id),
                    conflicts=exc.conflicts, message=exc.message, error=True)
    message = _('%(n)d answers saved.', n=len(changed)) if changed else _('Nothing changed.')
    if is_htmx():
        answers = ChecklistAnswer.for_department(inspection, department_id)
        form = checklist_form(answers, fresh=True)
        return hx_trigger(show(200, answers=answers, message=message),
                          'audits-checklist-changed')
    flash(message, 'success')
    return redirect(url_for('audits.checklist', inspection_id=inspection.id,
                            department_id=department_id), 303)


def _finding_values(form):
    return dict(department_id=form.department.data, item_key=form.item.data or '',
                severity=form.severity.data, title=form.title.data,
                description=form.description.data)


@bp.route('/<int:inspection_id>/findings/new', methods=['GET', 'POST'])
@roles_required(R.AUDITOR)
def finding_new(inspection_id):
    """Record a finding (nonconformity or observation) with its severity."""
    inspection = inspection_or_404(inspection_id)
    if not can_run(inspection):
        abort(403)
    form = FindingForm(scope=inspection.scope_departments, new=True)
    if request.method == 'GET':
        _prefill_finding(inspection, form)
    if not inspection.is_in_progress:
        return render_template('audits/finding_form.html', form=form, inspection=inspection,
                               finding=None, problem=_(
                                   'Findings are recorded while the inspection is in '
                                   'progress.')), 409 if request.method == 'POST' else 200
    if form.validate_on_submit():
        try:
            finding = services.add_finding(inspection, current_user, **_finding_values(form))
        except services.AuditError as exc:
            return render_template('audits/finding_form.html', form=form,
                                   inspection=inspection, finding=None,
                                   problem=exc.message), refused(exc)
        flash(_('Finding F%(n)d was recorded.', n=finding.number), 'success')
        return redirect(url_for('audits.inspection', inspection_id=inspection.id,
                                _anchor='audits-findings'), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('audits/finding_form.html', form=form, inspection=inspection,
                           finding=None), status


def _prefill_finding(inspection, form):
    """From a checklist answer's "record a finding" link: department, item, severity."""
    department_id = int_arg(request.args.get('department'))
    item_key = request.args.get('item', '')
    if department_id and item_key in C.BY_KEY:
        answer = ChecklistAnswer.get_or_none(
            (ChecklistAnswer.inspection == inspection.id)
            & (ChecklistAnswer.department == department_id)
            & (ChecklistAnswer.item_key == item_key))
        if answer is not None:
            form.department.data = department_id
            form.item.data = item_key
            if answer.result in SEVERITIES:
                form.severity.data = answer.result
            form.description.data = answer.note


def finding_filters(args):
    """({state, severity, department}, the names of the filters not understood)."""
    raw = {name: (args.get(name) or '').strip() for name in ('state', 'severity', 'department')}
    filters = {
        'state': raw['state'] if raw['state'] in ('open', 'closed', 'all') else 'open',
        'severity': raw['severity'] if raw['severity'] in SEVERITIES else '',
        'department': int_arg(raw['department']),
    }
    bad = [name for name in ('severity', 'department') if raw[name] and not filters[name]]
    if raw['state'] and raw['state'] != filters['state']:
        bad.insert(0, 'state')
    return filters, bad


def finding_listing(filters):
    return Finding.listing(current_user, state=filters['state'],
                           severity=filters['severity'] or None,
                           department_id=filters['department'])


@bp.route('/findings/')
@roles_required(*READERS)
def findings():
    """Findings the user may see, with their corrective actions."""
    filters, _bad = finding_filters(request.args)
    page = paginate(finding_listing(filters))
    actions = CorrectiveAction.for_sources(SOURCE_TYPE, [f.id for f in page.items])
    context = {
        'page': page, 'state': filters['state'], 'severity': filters['severity'],
        'department': filters['department'] or '',
        'actions': actions,
        'severity_labels': SEVERITY_LABELS, 'today': today_local(),
    }
    if is_htmx():
        template = 'audits/_finding_rows.html'
    else:
        template = 'audits/findings.html'
        context['departments'] = department_choices()
    return vary_on_htmx(make_response(render_template(template, **context)))


def finding_state(finding, actions):
    """The list's "State" cell as text."""
    if finding.closed_at:
        return _('Closed %(d)s', d=exports.plain(finding.closed_at)[:10])
    if not actions:
        return (_('Needs a corrective action') if finding.needs_action
                else _('No action required'))
    return _('Open')


def action_summary(actions, today):
    """The list's "Corrective actions" cell as text, one action after another."""
    parts = []
    for action in actions:
        text = '%s — %s, %s (%s)' % (action.title, action.owner.name,
                                     _('due %(d)s', d=action.due_on.isoformat()),
                                     action.status_label)
        if action.is_overdue(today):
            text += ' ' + _('OVERDUE')
        parts.append(text)
    return '; '.join(parts)


@bp.route('/findings/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def findings_export(fmt):
    """The filtered findings as CSV or XLSX, the list's columns (audit-logged); a
    manager's holds their departments' findings only."""
    filters, bad = finding_filters(request.args)
    if bad:
        return bad_filters(bad)
    rows = list(finding_listing(filters))
    actions = CorrectiveAction.for_sources(SOURCE_TYPE, [f.id for f in rows])
    today = today_local()
    columns = [
        exports.column('reference', _('Ref.'), lambda f: f.reference_in(f.inspection)),
        exports.column('department', _('Department'), lambda f: f.department.code),
        exports.column('severity', _('Severity'), lambda f: str(f.severity_label)),
        exports.column('title', _('Finding')),
        exports.column('corrective_actions', _('Corrective actions'),
                       lambda f: action_summary(actions.get(f.id, []), today)),
        exports.column('state', _('State'), lambda f: finding_state(f, actions.get(f.id))),
    ]
    return exports.export_response(fmt, 'audit-findings', columns, rows,
                                   object_type='finding', filters=filters,
                                   title=_('Audit findings'))


def render_finding(finding, status=200, problem=None):
    inspection = finding.inspection
    attach_team([inspection])
    attach_scope([inspection])
    source_open = finding.is_open and inspection.status in ('in_progress', 'reported')
    answer = None
    if finding.item_key:
        answer = ChecklistAnswer.get_or_none(
            (ChecklistAnswer.inspection == inspection.id)
            & (ChecklistAnswer.department == finding.department_id)
            & (ChecklistAnswer.item_key == finding.item_key))
    return render_template(
        'audits/finding.html', finding=finding, inspection=inspection, answer=answer,
        actions=CorrectiveAction.for_source(SOURCE_TYPE, finding.id),
        may_raise=source_open and services.may_follow_up(current_user, finding),
        may_change=inspection.is_in_progress and can_run(inspection), problem=problem,
        action_labels=ACTION_STATUS_LABELS, today=today_local(), confirm=ConfirmForm()), status


@bp.route('/findings/<int:finding_id>')
@roles_required(*READERS)
def finding(finding_id):
    """One finding and its corrective actions."""
    return render_finding(finding_or_404(finding_id))


@bp.route('/findings/<int:finding_id>/edit', methods=['GET', 'POST'])
@roles_required(R.AUDITOR)
def finding_edit(finding_id):
    """Correct a finding while the inspection is in progress."""
    finding = finding_or_404(finding_id)
    inspection = finding.inspection
    attach_scope([inspection])
    attach_team([inspection])
    if not can_run(inspection):
        abort(403)
    form = FindingForm(scope=inspection.scope_departments)
    if request.method == 'GET':
        form.version.data = finding.version
        form.department.data = finding.department_id
        form.item.data = finding.item_key
        form.severity.data = finding.severity
        form.title.data = finding.title
        form.description.data = finding.description
    if form.validate_on_submit():
        try:
            services.update_finding(finding, current_user, version=form.version.data,
                                    **_finding_values(form))
        except services.AuditError as exc:
            status = refused(exc)
            current = Finding.visible_to(current_user).where(Finding.id == finding.id).first()
            form.version.data = current.version
            return render_template('audits/finding_form.html', form=form,
                                   inspection=inspection, finding=current,
                                   problem=exc.message, saved=current), status
        flash(_('The finding was saved.'), 'success')
        return redirect(url_for('audits.finding', finding_id=finding.id), 303)
    status = 422 if request.method == 'POST' else 200
    problem = None if inspection.is_in_progress else _(
        'The report is issued: its findings can no longer change.')
    return render_template('audits/finding_form.html', form=form, inspection=inspection,
                           finding=finding, problem=problem), status


@bp.route('/findings/<int:finding_id>/delete', methods=['POST'])
@roles_required(R.AUDITOR)
def finding_delete(finding_id):
    """Withdraw a finding recorded in error (before the report, without actions)."""
    finding = finding_or_404(finding_id)
    inspection = finding.inspection
    attach_scope([inspection])
    attach_team([inspection])
    if not can_run(inspection):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.delete_finding(finding, current_user)
    except services.AuditError as exc:
        return render_finding(finding, refused(exc), problem=exc.message)
    flash(_('The finding was withdrawn.'), 'success')
    return redirect(url_for('audits.inspection', inspection_id=inspection.id), 303)


"""/corrective-actions/: the actions a person owns or oversees, and their updates."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import exports, refusals
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.models import User
from ..htmx import is_htmx, vary_on_htmx
from ..pagination import paginate
from ..timezone import today_local
from . import bp, services, sources
from .forms import ActionForm, CompleteForm, ReplanForm, StartForm, VerifyForm
from .models import OPEN_STATUSES, STATUS_LABELS, STATUSES, CorrectiveAction

CONTENT_ROLES = (R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR)


def _action_or_404(action_id):
    action = CorrectiveAction.get_or_none(CorrectiveAction.id == action_id)
    if action is None:
        abort(404)
    if not services.may_read(action, current_user):
        refusals.out_of_scope('corrective_action', action_id)
    return action


def _source_or_404(raw):
    source_type, _sep, source_id = (raw or '').partition(':')
    try:
        source = sources.get(source_type)
    except LookupError:
        abort(404)
    if not source_id.isdigit() or not source.exists(int(source_id)):
        abort(404)
    if not source.can_read(current_user, int(source_id)):
        refusals.out_of_scope(source_type, int(source_id))
    return source, int(source_id)


def _listing():
    """The list's query for the current filters: (query, status, everyone, today)."""
    everyone = current_user.reads_all_departments() and request.args.get('who') != 'me'
    status = request.args.get('status', 'open')
    query = CorrectiveAction.visible_to(current_user)
    if not everyone:
        query = query.where(CorrectiveAction.owner == current_user.id)
    today = today_local()
    if status == 'open':
        query = query.where(CorrectiveAction.status.in_(OPEN_STATUSES))
    elif status == 'overdue':
        query = query.where(CorrectiveAction.status.in_(OPEN_STATUSES)
                            & (CorrectiveAction.due_on < today))
    elif status in STATUSES:
        query = query.where(CorrectiveAction.status == status)
    else:
        status = 'all'
    return query.order_by(CorrectiveAction.due_on, CorrectiveAction.id), status, everyone, today


@bp.route('/')
@roles_required(*CONTENT_ROLES)
def index():
    """Your actions; the committee and the auditors see everyone's."""
    query, status, everyone, today = _listing()
    page = paginate(query)
    template = 'corrective/_rows.html' if is_htmx() else 'corrective/index.html'
    response = make_response(render_template(
        template, page=page, status=status, everyone=everyone, today=today,
        status_labels=STATUS_LABELS, sources=sources.registered(),
        references=sources.references_of(page.items)))
    return vary_on_htmx(response)


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*CONTENT_ROLES)
def export(fmt):
    """The current filtered list as CSV or XLSX (audit-logged)."""
    query, status, everyone, today = _listing()
    actions = list(query)
    references = sources.references_of(actions)
    columns = [
        exports.column('id', _('Number')),
        exports.column('title', _('Action')),
        exports.column('source', _('Source'),
                       lambda a: references.get((a.source_type, a.source_id),
                                                '%s:%s' % (a.source_type, a.source_id))),
        exports.column('owner', _('Owner'), lambda a: a.owner.name),
        exports.column('department', _('Department'), lambda a: a.owner.department.code),
        exports.column('due_on', _('Due')),
        exports.column('status', _('Status'), lambda a: str(STATUS_LABELS.get(a.status, a.status))),
        exports.column('overdue', _('Overdue'),
                       lambda a: a.status in OPEN_STATUSES and a.due_on < today),
    ]
    return exports.export_response(fmt, 'corrective-actions', columns, actions,
                                   object_type='corrective_action',
                                   filters={'status': status, 'everyone': everyone})


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(*CONTENT_ROLES)
def new():
    """Raise an action on a source (``?source=incident:42``) you may manage."""
    source, source_id = _source_or_404(request.args.get('source'))
    if not source.can_manage(current_user, source_id):
        abort(403)
    if not source.is_open(source_id):
        flash(_('This record is closed; no action can be added to it.'), 'error')
        return redirect(source.url(source_id), 303)
    form = ActionForm()
    if form.validate_on_submit():
        services.create(source.type, source_id, title=form.title.data,
                        owner=User.get_by_id(form.owner.data), due_on=form.due_on.data,
                        actor=current_user)
        flash(_('The corrective action was added.'), 'success')
        return redirect(source.url(source_id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('corrective/new.html', form=form, source=source,
                           source_id=source_id), status


def _render(action, status=200, **forms):
    source = sources.get(action.source_type)
    forms.setdefault('start_form', StartForm(formdata=None, version=action.version))
    forms.setdefault('complete_form', CompleteForm(formdata=None, version=action.version))
    forms.setdefault('verify_form', VerifyForm(formdata=None, version=action.version))
    forms.setdefault('replan_form', ReplanForm(formdata=None, action=action,
                                               version=action.version, owner=action.owner_id,
                                               due_on=action.due_on))
    return render_template(
        'corrective/action.html', action=action, source=source,
        source_title=source.title(action.source_id), source_url=(
            source.url(action.source_id) if source.can_read(current_user, action.source_id)
            else None),
        may_update=services.may_update(action, current_user),
        may_verify=services.may_verify(action, current_user),
        may_manage=source.can_manage(current_user, action.source_id),
        today=today_local(), **forms), status


@bp.route('/<int:action_id>')
@roles_required(*CONTENT_ROLES)
def action(action_id):
    """One action: its plan, evidence and effectiveness check."""
    return _render(_action_or_404(action_id))


def _apply(action, change, form_name, form):
    try:
        change()
    except services.ActionError as exc:
        if exc.status == 403:
            abort(403)
        return _render_error(CorrectiveAction.get_by_id(action.id), exc, form_name, form)
    flash(_('The action was updated.'), 'success')
    return redirect(url_for('corrective.action', action_id=action.id), 303)


def _render_error(action, exc, form_name, form):
    """Re-show the page with the message and the person's input kept.

    The form carries the current version, so sending it again applies it on
    top of the change shown.
    """
    if hasattr(form, 'version'):
        form.version.data = action.version
    body, _status = _render(action, exc.status, **{form_name: form, 'problem': exc.message})
    return body, exc.status


@bp.route('/<int:action_id>/start', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def start(action_id):
    """The owner starts working on the action."""
    action = _action_or_404(action_id)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(action, lambda: services.start(action, actor=current_user,
                                                 version=form.version.data or None),
                  'start_form', form)


@bp.route('/<int:action_id>/complete', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def complete(action_id):
    """The owner marks the action done, with the evidence."""
    action = _action_or_404(action_id)
    form = CompleteForm()
    if not form.validate_on_submit():
        if not services.may_update(action, current_user):
            abort(403)
        return _render(action, 422, complete_form=form)
    return _apply(action, lambda: services.complete(
        action, evidence=form.evidence.data, actor=current_user,
        version=form.version.data or None), 'complete_form', form)


@bp.route('/<int:action_id>/verify', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def verify(action_id):
    """The source's verifier checks whether the done action was effective."""
    action = _action_or_404(action_id)
    form = VerifyForm()
    if not form.validate_on_submit():
        if not services.may_verify(action, current_user):
            abort(403)
        return _render(action, 422, verify_form=form)
    return _apply(action, lambda: services.verify(
        action, check=form.check.data, effective=form.effective.data == 'yes',
        actor=current_user, version=form.version.data or None), 'verify_form', form)


@bp.route('/<int:action_id>/replan', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def replan(action_id):
    """Change the owner or due date of an unfinished action."""
    action = _action_or_404(action_id)
    form = ReplanForm(action=action)
    if not form.validate_on_submit():
        if not sources.get(action.source_type).can_manage(current_user, action.source_id):
            abort(403)
        return _render(action, 422, replan_form=form)
    return _apply(action, lambda: services.replan(
        action, owner=User.get_by_id(form.owner.data), due_on=form.due_on.data,
        actor=current_user, version=form.version.data or None), 'replan_form', form)

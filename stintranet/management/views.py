"""/management-reviews/: the committee prepares each review (its inputs gathered from the
app), records the top management's decisions and the actions they raise, and marks it
held and closed; the auditors read every review; a review prints for signature."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from .. import exports
from ..audits import models as audits
from ..auth.decorators import roles_required
from ..auth.models import User
from ..corrective.models import STATUS_LABELS as ACTION_STATUSES
from ..disclosure import catalogue as disclosure
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..incidents import models as incidents
from ..inquiries import catalogue as inquiries
from ..pagination import paginate
from ..timezone import today_local
from . import bp, services
from . import catalogue as C
from .forms import DecisionForm, EditForm, FilterForm, HoldForm, ReviewForm, StateForm
from .models import READERS, RECORDERS, ManagementReview, ReviewDecision, may_record

CHANGED = 'management-changed'


def labels():
    """The labels of the codes a snapshot holds, by kind."""
    return {'inspection': audits.STATUS_LABELS, 'severity': audits.SEVERITY_LABELS,
            'incident_kind': incidents.SHORT_KIND_LABELS,
            'incident_status': incidents.STATUS_LABELS,
            'request_type': disclosure.TYPE_LABELS, 'category': inquiries.CATEGORY_LABELS,
            'action': ACTION_STATUSES}


def get_review(review_id):
    review = ManagementReview.get_visible(current_user, review_id)
    if review is None:
        abort(404)
    return review


def listing():
    """(form, filters, status): a bad filter is a 422 with the unfiltered list."""
    form = FilterForm(request.args)
    if request.args and not form.validate():
        return form, {}, 422
    return form, form.filters(), 200


@bp.route('/')
@roles_required(*READERS)
def index():
    """Every review, the latest meeting first, with its decisions and open actions."""
    form, filters, status = listing()
    page = paginate(ManagementReview.listing(current_user, **filters))
    template = 'management/_rows.html' if is_htmx() else 'management/index.html'
    response = make_response(render_template(
        template, form=form, page=page, today=today_local(), C=C,
        can_create=may_record(current_user)), status)
    return vary_on_htmx(response)


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def export(fmt):
    """The filtered list as CSV or XLSX (audit-logged)."""
    form, filters, status = listing()
    if status != 200:
        abort(422)
    columns = [
        exports.column('reference', _('Reference')),
        exports.column('title', _('Title')),
        exports.column('period_start', _('Period from')),
        exports.column('period_end', _('Period to')),
        exports.column('planned_on', _('Meeting planned on')),
        exports.column('held_on', _('Held on')),
        exports.column('top_management', _('Top management')),
        exports.column('status', _('Status'), lambda r: str(r.status_label)),
        exports.column('decided', _('Input areas decided'),
                       lambda r: '%d/%d' % (r.decided_count, len(C.AREAS))),
        exports.column('open_actions', _('Open corrective actions'),
                       lambda r: r.open_action_count),
        exports.column('closed_at', pgettext('finished', 'Closed')),
    ]
    return exports.export_response(fmt, 'management-reviews', columns,
                                   ManagementReview.listing(current_user, **filters),
                                   object_type='management_review', filters=filters,
                                   title=_('Management reviews'))


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(*RECORDERS)
def new():
    """Prepare a review: its period and meeting; the inputs are gathered on saving."""
    form = ReviewForm(new=True)
    if request.method == 'GET':
        today = today_local()
        previous = ManagementReview.previous_of(None)
        form.period_start.data, form.period_end.data = services.default_period(today,
                                                                               previous)
        form.planned_on.data = today
        form.title.data = _('Management review %(year)d', year=today.year)
    if form.validate_on_submit():
        try:
            review = services.create(form.service_data(), current_user)
        except services.ReviewError as exc:
            abort(exc.status)
        flash(_('%(ref)s was prepared; its inputs were gathered from the app.',
                ref=review.reference), 'success')
        return redirect(url_for('management.review', review_id=review.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('management/form.html', form=form, review=None), status


def decision_form(review, area, decision, form=None):
    if form is not None:
        return form
    return DecisionForm(prefix=area, formdata=None,
                        version=str(decision.version) if decision else '',
                        decision=decision.decision if decision else '')


def review_context(review, **extra):
    """Everything the review page shows: the snapshot, the decisions and their actions
    (three queries)."""
    decisions = ReviewDecision.of_review(review.id)
    actions = ReviewDecision.actions_of([d.id for d in decisions.values()])
    forms = extra.pop('forms', {})
    records = may_record(current_user) and review.is_open
    context = {
        'review': review, 'inputs': review.snapshot, 'C': C, 'L': labels(),
        'today': today_local(),
        'decisions': decisions, 'actions': actions, 'records': records,
        'forms': {area: decision_form(review, area, decisions.get(area), forms.get(area))
                  for area in C.AREA_CODES} if records else {},
        'hold_form': HoldForm(formdata=None, version=review.version, held_on=today_local()),
        'state_form': StateForm(formdata=None, version=review.version),
        'missing': services.missing_decisions(review.id) if review.status == C.HELD else [],
    }
    context.update(extra)
    return context


@bp.route('/<int:review_id>')
@roles_required(*READERS)
def review(review_id):
    """A review: its details, each input area with the decision and the actions raised."""
    return render_template('management/review.html', **review_context(get_review(review_id)))


@bp.route('/<int:review_id>/edit', methods=['GET', 'POST'])
@roles_required(*RECORDERS)
def edit(review_id):
    """Correct the details, the changes in law and the conclusion while the review is open."""
    review = get_review(review_id)
    if request.method == 'GET':
        if not review.is_open:
            flash(_('This review is closed; it can no longer be changed.'), 'error')
            return redirect(url_for('management.review', review_id=review.id), 303)
        form = EditForm(obj=review)
        return render_template('management/form.html', form=form, review=review)
    form = EditForm()
    if not form.validate_on_submit():
        return render_template('management/form.html', form=form, review=review), 422
    try:
        services.update(review, form.service_data(), form.version_value(), current_user)
    except services.ReviewError as exc:
        if exc.status == 403:
            abort(403)
        current = ManagementReview.get_by_id(review.id)
        form.version.data = current.version
        return render_template('management/form.html', form=form, review=current,
                               problem=exc.message), exc.status
    flash(_('The review was saved.'), 'success')
    return redirect(url_for('management.review', review_id=review.id), 303)


def after_change(review, notice, status=200, problem=None, **extra):
    """The page again after a state change: 303 when it worked, the page with the problem
    and the status otherwise."""
    if status == 200:
        flash(notice, 'success')
        return redirect(url_for('management.review', review_id=review.id), 303)
    context = review_context(ManagementReview.get_by_id(review.id), problem=problem, **extra)
    return render_template('management/review.html', **context), status


def _change_state(review_id, change, done):
    """A state change with nothing to fill in (gather again, close): the version checked,
    ``change(review, version, actor)`` applied, ``done`` said on success."""
    review = get_review(review_id)
    form = StateForm()
    if not form.validate_on_submit():
        return after_change(review, None, 422, _('This form is incomplete or damaged: open the '
                                                 'page again and repeat your change.'))
    try:
        change(review, form.version_value(), current_user)
    except services.ReviewError as exc:
        if exc.status == 403:
            abort(403)
        return after_change(review, None, exc.status, exc.message)
    return after_change(review, done)


@bp.route('/<int:review_id>/inputs', methods=['POST'])
@roles_required(*RECORDERS)
def gather(review_id):
    """Gather the inputs again (in preparation only)."""
    return _change_state(review_id, services.gather_again,
                         _('The inputs were gathered again.'))


@bp.route('/<int:review_id>/hold', methods=['POST'])
@roles_required(*RECORDERS)
def hold(review_id):
    """Mark the review as held on the day of the meeting."""
    review = get_review(review_id)
    form = HoldForm()
    if not form.validate_on_submit():
        return after_change(review, None, 422, _('Check the date of the meeting.'),
                            hold_form=form)
    try:
        services.hold(review, form.held_on.data, form.version_value(), current_user)
    except services.ReviewError as exc:
        if exc.status == 403:
            abort(403)
        return after_change(review, None, exc.status, exc.message, hold_form=form)
    return after_change(review, _('The review was marked as held on %(day)s.',
                                  day=form.held_on.data.isoformat()))


@bp.route('/<int:review_id>/close', methods=['POST'])
@roles_required(*RECORDERS)
def close(review_id):
    """Close a held review once every input area is decided and the conclusion written."""
    return _change_state(review_id, services.close,
                         _('The review was closed; its actions go on under '
                           'Corrective actions.'))


def area_response(review, area, status=200, form=None, notice=None, problem=None):
    """One input area's section for htmx (with the change event), else the page."""
    review = ManagementReview.get_by_id(review.id)
    if not is_htmx():
        if status == 200:
            flash(notice, 'success')
            return redirect(url_for('management.review', review_id=review.id)
                            + '#management-area-%s' % area, 303)
        context = review_context(review, forms={area: form}, problem=problem)
        return render_template('management/review.html', **context), status
    context = review_context(review, forms={area: form} if form is not None else {})
    response = make_response(render_template(
        'management/_area.html', area=area, label=C.AREA_LABELS[area], notice=notice,
        area_problem=problem, **context), status)
    if status == 200:
        hx_trigger(response, CHANGED)
    return vary_on_htmx(response)


@bp.route('/<int:review_id>/decisions/<area>', methods=['POST'])
@roles_required(*RECORDERS)
def decide(review_id, area):
    """Record the decision on one input area, and the corrective action it raises."""
    review = get_review(review_id)
    if area not in C.AREA_LABELS:
        abort(404)
    form = DecisionForm(prefix=area)
    if not form.validate_on_submit():
        return area_response(review, area, 422, form=form)
    action = form.action()
    if action is not None:
        owner = User.get_or_none(User.id == action[1])
        if owner is None:
            form.action_owner.errors = [_('Choose who owns the action.')]
            return area_response(review, area, 422, form=form)
        action = {'title': action[0], 'owner': owner, 'due_on': action[2]}
    try:
        decision, raised = services.decide(review, area, form.decision.data,
                                           form.version_value(), current_user, action=action)
    except services.ReviewError as exc:
        if exc.status == 403:
            abort(403)
        if exc.status == 409:
            current = ReviewDecision.get_or_none((ReviewDecision.review == review.id)
                                                 & (ReviewDecision.area == area))
            form.version.data = str(current.version) if current else ''
        return area_response(review, area, exc.status, form=form, problem=exc.message)
    notice = (_('The decision was recorded and the corrective action “%(title)s” raised.',
                title=raised.title) if raised else _('The decision was recorded.'))
    return area_response(review, area, notice=notice)


@bp.route('/<int:review_id>/print')
@roles_required(*READERS)
def print_view(review_id):
    """The review laid out for paper (A4), with the signature boxes."""
    return render_template('management/print.html', **review_context(get_review(review_id)))

"""The risk-assessment section of a ledger entry: read by whoever reads the entry, edited
in place (htmx) by the managers of its department; without JavaScript the form is a page
of its own."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles as R
from ...auth.decorators import roles_required
from ...htmx import hx_trigger, is_htmx, vary_on_htmx
from ...timezone import today_local
from .. import READERS, bp
from ..models import risk_cutoff
from ..views import get_entry_or_404
from . import catalogue as C
from . import services
from .forms import RiskAssessmentForm
from .models import RiskAssessment, RiskRevision

CHANGED = 'ledger-risk-changed'


def risk_context(entry, assessment=None, risks=None, **extra):
    """What ``ledger/_risk.html`` shows; reads the assessment unless it is given."""
    if assessment is None and risks is None:
        assessment, risks = RiskAssessment.for_entry(entry.id)
    today = today_local()
    context = {
        'entry': entry, 'assessment': assessment, 'risks': risks or [], 'RC': C,
        'risk_current': assessment is not None and assessment.is_current(risk_cutoff(today)),
        'risk_editable': services.may_edit(entry, current_user),
        'stages': [(code, label, [r for r in risks or [] if r.stage == code])
                   for code, label in C.STAGES],
    }
    context.update(extra)
    return context


def blank_form(assessment, risks):
    form = RiskAssessmentForm(formdata=None, new=assessment is None,
                              version=assessment.version if assessment else None,
                              note=assessment.note if assessment else '')
    form.fill(risks)
    return form


def section(entry, status=200, **extra):
    """The section for htmx (with the change event after a save), else the entry page."""
    if not is_htmx():
        if extra.get('notice'):
            flash(extra['notice'], 'success')
        return redirect(url_for('ledger.entry', entry_id=entry.id) + '#ledger-risk', 303)
    response = make_response(render_template('ledger/_risk.html', **risk_context(
        entry, **extra)), status)
    if extra.get('notice'):
        hx_trigger(response, CHANGED)
    return vary_on_htmx(response)


def form_response(entry, form, status=200, **extra):
    """The form: in place for htmx, as a page of its own otherwise."""
    template = 'ledger/_risk_form.html' if is_htmx() else 'ledger/risk_form.html'
    context = risk_context(entry, form=form, **extra)
    return vary_on_htmx(make_response(render_template(template, **context), status))


def editable_entry(entry_id):
    entry = get_entry_or_404(entry_id)
    if not entry.editable_by(current_user):
        abort(403)
    return entry


@bp.route('/<int:entry_id>/risk')
@roles_required(*READERS)
def risk(entry_id):
    """The entry's risk-assessment section (what the Cancel button brings back)."""
    return section(get_entry_or_404(entry_id))


@bp.route('/<int:entry_id>/risk/edit')
@roles_required(R.MANAGER)
def risk_edit(entry_id):
    """The form, filled with the current risks and an empty row per stage."""
    entry = editable_entry(entry_id)
    if entry.is_retired:
        abort(409)
    assessment, risks = RiskAssessment.for_entry(entry.id)
    return form_response(entry, blank_form(assessment, risks), assessment=assessment,
                         risks=risks)


@bp.route('/<int:entry_id>/risk', methods=['POST'])
@roles_required(R.MANAGER)
def risk_save(entry_id):
    """Save the assessment; a stale save answers 409 with the form as typed and the
    current assessment."""
    entry = editable_entry(entry_id)
    assessment, risks = RiskAssessment.for_entry(entry.id)
    # The version is checked by the service: missing or damaged, the save is stale (409).
    form = RiskAssessmentForm(new=True)
    if not form.validate_on_submit():
        return form_response(entry, form, 422, assessment=assessment, risks=risks)
    try:
        services.save(entry, form.risks_data(), form.note.data,
                      expected_version=form.version_value(), actor=current_user)
    except services.RiskError as exc:
        if exc.status == 403:
            abort(403)
        return form_response(entry, form, exc.status, assessment=assessment, risks=risks,
                             problem=exc.message)
    except services.StaleAssessment as exc:
        assessment, risks = RiskAssessment.for_entry(entry.id)
        form.version.data = str(assessment.version) if assessment else ''
        return form_response(entry, form, 409, assessment=assessment, risks=risks,
                             problem=_('Someone else saved this risk assessment meanwhile; '
                                       'their version is shown above the form. Check it, '
                                       'then save yours again.'), stale=exc.current)
    return section(entry, notice=_('The risk assessment was saved.'))


@bp.route('/<int:entry_id>/risk/history')
@roles_required(*READERS)
def risk_history(entry_id):
    """Every save and confirmation of the entry's assessment, newest first."""
    entry = get_entry_or_404(entry_id)
    assessment = RiskAssessment.get_or_none(RiskAssessment.entry == entry.id)
    revisions = RiskRevision.for_assessment(assessment.id) if assessment else []
    template = 'ledger/_risk_history.html' if is_htmx() else 'ledger/risk_history.html'
    return vary_on_htmx(make_response(render_template(
        template, entry=entry, revisions=revisions, RC=C)))

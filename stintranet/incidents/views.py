"""/incidents/: report a suspected leak, follow it, triage and review it."""
from zoneinfo import ZoneInfo

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import exports, refusals, uploads
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.models import Department
from ..corrective.models import CorrectiveAction
from ..db import utcnow
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..ledger.models import LedgerEntry
from ..pagination import paginate
from ..timezone import today_local
from . import appi, bp, pack, services
from .forms import (
    AttachmentForm,
    AwarenessForm,
    CommentForm,
    LinkForm,
    PackForm,
    ReportForm,
    ReportsForm,
    TransitionForm,
    TriageForm,
    VersionForm,
    handler_choices,
)
from .models import (
    PACK_STAGE_LABELS,
    PACK_STAGES,
    STATUS_LABELS,
    STATUSES,
    Incident,
    IncidentAttachment,
    IncidentEvent,
    IncidentLedgerLink,
    IncidentPackCopy,
    committee_entry_choices,
    reporter_entry_choices,
)

CONTENT_ROLES = (R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR)
REVIEW_ROLES = (R.MANAGER, R.COMMITTEE, R.AUDITOR)


def incident_or_404(incident_id):
    """The incident if ``current_user`` may see it; another department's is a 404."""
    incident = Incident.visible_to(current_user).where(Incident.id == incident_id).first()
    if incident is None:
        refusals.not_found(Incident, incident_id)
    return incident


def _view_of(incident):
    """'reviewer' or 'reporter': what the current user sees of the case."""
    return 'reviewer' if services.is_reviewer(current_user, incident) else 'reporter'


def _committee_only():
    if not current_user.has_role(R.COMMITTEE):
        abort(403)


def _refused(exc):
    """An IncidentError as a response: 403 aborts; 409/422 flash and show the case."""
    if exc.status == 403:
        abort(403)
    if exc.status == 400:
        abort(400)
    return exc.status, str(exc.message)


def _filters():
    args = request.args
    status = args.get('status', '')
    reportable = {'yes': True, 'no': False}.get(args.get('reportable', ''))
    department = args.get('department', '')
    handler = args.get('handler', '')
    return {
        'status': status if status in STATUSES or status == 'open' else '',
        'reportable': reportable,
        'overdue': args.get('overdue') == '1',
        'department_id': int_arg(department),
        'handler_id': 'none' if handler == 'none' else int_arg(handler),
    }


@bp.route('/')
@roles_required(*CONTENT_ROLES)
def index():
    """Incidents the user may see, filtered by status, reportability, clocks,
    department and handler; the reporter sees their own reports."""
    filters = _filters()
    reviewer = current_user.has_role(*REVIEW_ROLES)
    query = Incident.listing(current_user, today=today_local(), **filters)
    page = paginate(query)
    now = utcnow()
    clocks = {i.id: i.next_clock(now) for i in page.items}
    template = 'incidents/_rows.html' if is_htmx() else 'incidents/index.html'
    context = {'page': page, 'clocks': clocks, 'reviewer': reviewer, 'args': request.args,
               'status_labels': STATUS_LABELS, 'now': now}
    if reviewer and not is_htmx():  # the filters' choices
        context['departments'] = Department.choices()
        context['handlers'] = handler_choices()[1:]
    response = make_response(render_template(template, **context))
    return vary_on_htmx(response)



@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*CONTENT_ROLES)
def export(fmt):
    """The current filtered list as CSV or XLSX: the columns of the list page, never the
    narrative nor the reporter's identity (audit-logged)."""
    filters = _filters()
    query = Incident.listing(current_user, today=today_local(), **filters)
    now = utcnow()

    def next_deadline(i):
        clock = i.next_clock(now)
        if clock is None:
            return ''
        return '%s %s (%s)' % (clock.deadline.label, clock.deadline.due_on.isoformat(),
                               clock.state)

    columns = [exports.column('reference', _('Reference')),
               exports.column('reported_at', _('Reported')),
               exports.column('kind', _('Kind'), lambda i: str(i.kind_label))]
    if current_user.has_role(*REVIEW_ROLES):
        columns += [
            exports.column('summary', _('Title'), lambda i: i.summary or ''),
            exports.column('department', _('Department'), lambda i: i.department.code),
            exports.column('severity', _('Severity'), lambda i: str(i.severity_label or '')),
            exports.column('handler', _('Handler'),
                           lambda i: i.handler.name if i.handler_id else ''),
            exports.column('reportable', _('Reportable to the PPC'), lambda i: i.reportable),
            exports.column('next_deadline', _('Next deadline'), next_deadline)]
    columns.append(exports.column('status', _('Status'), lambda i: str(i.status_label)))
    return exports.export_response(fmt, 'incidents', columns, query, object_type='incident',
                                   filters=filters)


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(*CONTENT_ROLES)
def new():
    """The one short form every employee uses to report a suspected leak."""
    entries = reporter_entry_choices(current_user, limit=None)
    form = ReportForm(entries=entries)
    if form.validate_on_submit():
        entry = (LedgerEntry.get_by_id(int(form.entry.data)) if form.entry.data else None)
        incident = services.report(
            current_user, narrative=form.narrative.data, noticed_at=form.noticed_at_utc(),
            kind=form.kind.data, estimated_persons=form.estimated_persons.data,
            name_shown=form.name_shown.data == 'yes', entry=entry)
        flash(_('Thank you. Your report was received as %(ref)s. The Personal Information '
                'Protection Committee has been told.', ref=incident.reference), 'success')
        return redirect(url_for('incidents.detail', incident_id=incident.id, reported=1), 303)
    status = 422 if request.method == 'POST' else 200
    q = request.form.get('entry_q', '') if request.method == 'POST' else ''
    shown = [e for e in entries if q.lower() in e.title.lower()][:20] if q else entries[:20]
    selected = form.entry.data or ''
    return render_template('incidents/new.html', form=form, entries=shown, q=q,
                           selected=selected, total_entries=len(entries)), status


@bp.route('/new/data-sets')
@roles_required(*CONTENT_ROLES)
def entry_search():
    """htmx: the reporter's department's ledger entry titles matching ``q``."""
    q = request.args.get('entry_q', '')[:100]
    selected = request.args.get('entry', '')
    chosen = int_arg(selected)
    entries = reporter_entry_choices(current_user, q)
    if chosen is not None and chosen not in {e.id for e in entries}:
        # Keep the data set already chosen, if it is still one of the department's.
        entries = [e for e in reporter_entry_choices(current_user, limit=None)
                   if e.id == chosen] + entries
    response = make_response(render_template(
        'incidents/_entry_choices.html', entries=entries, q=q, selected=selected))
    return vary_on_htmx(response)


def _detail_context(incident, **extra):
    """Everything the case page shows; logs the read of the encrypted fields."""
    view = _view_of(incident)
    now = utcnow()
    for_reporter = view == 'reporter'
    events = IncidentEvent.timeline(incident, for_reporter=for_reporter)
    read = ['narrative']
    attachments = {}
    attachment_ids = [e.attachment_id for e in events if e.attachment_id]
    if attachment_ids:
        read.append('incident_attachment.filename')
        for a in IncidentAttachment.without_content().where(
                IncidentAttachment.id.in_(attachment_ids)):
            attachments[a.id] = a
    if any(e.__data__.get('body') is not None and (e.by_reporter or not for_reporter)
           for e in events):
        read.append('incident_event.body')
    reporter = None
    if not for_reporter and incident.reporter_name_shown:
        reporter = incident.reporter()
        read.append('reporter_identity')
    services.log_read(incident, current_user, read,
                      by_reporter=for_reporter and incident.is_reporter(current_user))
    context = {
        'incident': incident, 'view': view, 'events': events, 'attachments': attachments,
        'reporter': reporter, 'now': now,
        'may_comment': services.may_comment(current_user, incident) and incident.is_open,
        'comment_form': CommentForm(formdata=None),
        'attachment_form': AttachmentForm(formdata=None),
        'status_labels': STATUS_LABELS,
    }
    if not for_reporter:
        context.update(_review_context(incident, now))
    if current_user.has_role(R.COMMITTEE, R.AUDITOR):
        context['pack_copies'] = IncidentPackCopy.for_incident(incident.id)
    context.update(extra)
    return context


def _review_context(incident, now):
    return {
        'assessment': incident.assessment(),
        'clocks': incident.clocks(now),
        'deadlines': incident.deadlines(),
        'links': IncidentLedgerLink.for_incident(incident),
        'actions': CorrectiveAction.for_source('incident', incident.id),
        'today': today_local(),
        'transitions': services.available_transitions(current_user, incident),
        'transition_form': TransitionForm(formdata=None, version=incident.version),
        'is_committee': current_user.has_role(R.COMMITTEE),
        'may_add_action': current_user.has_role(R.COMMITTEE) and incident.is_open,
    }


@bp.route('/<int:incident_id>')
@roles_required(*CONTENT_ROLES)
def detail(incident_id):
    """The case: the reporter follows its status; reviewers see everything."""
    incident = incident_or_404(incident_id)
    return render_template('incidents/detail.html', **_detail_context(incident))


def _show_problem(incident, status, message, **extra):
    if is_htmx() and extra.get('fragment'):
        template = extra.pop('fragment')
        context = _review_context(incident, utcnow())
        context.update(incident=incident, problem=message, **extra)
        return make_response(render_template(template, **context), status)
    extra.pop('fragment', None)
    context = _detail_context(incident, problem=message, **extra)
    return make_response(render_template('incidents/detail.html', **context), status)


@bp.route('/<int:incident_id>/transition', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def transition(incident_id):
    """Move the case through its states (htmx swaps the status panel)."""
    incident = incident_or_404(incident_id)
    if _view_of(incident) != 'reviewer':
        abort(403)
    form = TransitionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        incident = services.transition(incident, form.step.data, actor=current_user,
                                       note=form.note.data, version=form.version.data)
    except services.IncidentError as exc:
        status, message = _refused(exc)
        fresh = Incident.get_by_id(incident.id)
        form.version.data = fresh.version if status == 409 else form.version.data
        return _show_problem(fresh, status, message, transition_form=form,
                             fragment='incidents/_status.html')
    if is_htmx():
        context = _review_context(incident, utcnow())
        context['incident'] = incident
        context['done'] = _('The case is now "%(s)s".', s=incident.status_label)
        response = make_response(render_template('incidents/_status.html', **context))
        return hx_trigger(response, 'incident-changed')
    flash(_('The case is now "%(s)s".', s=incident.status_label), 'success')
    return redirect(url_for('incidents.detail', incident_id=incident.id), 303)


@bp.route('/<int:incident_id>/clocks')
@roles_required(*CONTENT_ROLES)
def clocks(incident_id):
    """htmx: the clocks panel, refreshed every minute and after a change."""
    incident = incident_or_404(incident_id)
    if _view_of(incident) != 'reviewer':
        abort(404)
    response = make_response(render_template('incidents/_clocks.html', incident=incident,
                                             clocks=incident.clocks()))
    return vary_on_htmx(response)


@bp.app_template_filter('remaining')
def remaining_filter(delta):
    """'2 days 4 hours left' / 'OVERDUE by 1 day' for a countdown."""
    return appi.describe_remaining(delta) if delta is not None else ''


@bp.route('/<int:incident_id>/timeline')
@roles_required(*CONTENT_ROLES)
def timeline(incident_id):
    """htmx: the timeline, refreshed after a change."""
    incident = incident_or_404(incident_id)
    context = _detail_context(incident)
    return vary_on_htmx(make_response(render_template('incidents/_timeline.html', **context)))


def _edit_page(incident_id, form_class, template, save, form_kwargs=None, obj_data=None):
    """GET shows a committee form; POST validates, saves, or re-shows it with 422/409."""
    _committee_only()
    incident = incident_or_404(incident_id)
    if not incident.is_open:
        flash(_('This case is %(s)s; it can no longer be changed.',
                s=incident.status_label.lower()), 'error')
        if request.method == 'POST':
            return make_response(render_template('incidents/detail.html', **_detail_context(
                incident, problem=_('This case is %(s)s; it can no longer be changed.',
                                    s=incident.status_label.lower()))), 409)
        return redirect(url_for('incidents.detail', incident_id=incident.id), 303)
    kwargs = dict(form_kwargs(incident) if form_kwargs else {})
    if request.method == 'GET':
        form = form_class(formdata=None, data=dict(obj_data(incident), version=incident.version),
                          **kwargs)
    else:
        form = form_class(**kwargs)
    problem = None
    status = 200
    if form.validate_on_submit():
        try:
            save(incident, form)
        except services.IncidentError as exc:
            status, problem = _refused(exc)
            form.version.data = Incident.get_by_id(incident.id).version if status == 409 \
                else form.version.data
        else:
            flash(_('Saved.'), 'success')
            return redirect(url_for('incidents.detail', incident_id=incident.id), 303)
    elif request.method == 'POST':
        status = 422
    incident = Incident.get_by_id(incident.id)
    return render_template(template, form=form, incident=incident, problem=problem,
                           assessment=incident.assessment()), status


def _triage_data(incident):
    return {'handler': str(incident.handler_id or ''), 'kind': incident.kind,
            'severity': incident.severity or '', 'summary': incident.summary,
            'data_items': incident.data_items, 'persons_affected': incident.persons_affected,
            'special_care': incident.special_care,
            'property_damage_risk': incident.property_damage_risk,
            'wrongful_purpose': incident.wrongful_purpose,
            'data_being_acquired': incident.data_being_acquired,
            'advanced_encryption': incident.advanced_encryption,
            'encryption_note': incident.encryption_note}


@bp.route('/<int:incident_id>/triage', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def triage(incident_id):
    """Handler, kind, severity and the facts that decide reportability."""
    def save(incident, form):
        services.update_triage(incident, actor=current_user, version=form.version.data,
                               **form.values())
    return _edit_page(incident_id, TriageForm, 'incidents/triage.html', save,
                      form_kwargs=lambda i: {'incident': i}, obj_data=_triage_data)


@bp.route('/<int:incident_id>/awareness', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def awareness(incident_id):
    """Set an earlier time of awareness, with the reason: the clocks move."""
    def save(incident, form):
        services.set_awareness(incident, aware_at=form.aware_at_utc(), reason=form.reason.data,
                               actor=current_user, version=form.version.data)
    return _edit_page(incident_id, AwarenessForm, 'incidents/awareness.html', save,
                      form_kwargs=lambda i: {'incident': i},
                      obj_data=lambda i: {'aware_at': services.utc_to_local(i.aware_at),
                                          'reason': i.aware_reason})


@bp.route('/<int:incident_id>/reports', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def reports(incident_id):
    """Dates of the PPC reports, the notice to the individuals and the announcement."""
    def save(incident, form):
        services.record_reports(incident, actor=current_user, version=form.version.data,
                                **form.values())

    def data(incident):
        return {name: getattr(incident, name) for name in services.REPORT_FIELDS}

    def kwargs(incident):
        zone = ZoneInfo(current_app.config['TIMEZONE'])
        return {'aware_on': appi.local_date(incident.aware_at, zone)}
    return _edit_page(incident_id, ReportsForm, 'incidents/reports.html', save,
                      form_kwargs=kwargs, obj_data=data)


@bp.route('/<int:incident_id>/report-texts', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def pack_texts(incident_id):
    """Cause, secondary damage, measures and other matters of the PPC report."""
    def save(incident, form):
        services.update_pack(incident, actor=current_user, version=form.version.data,
                             **{name: getattr(form, name).data
                                for name in services.PACK_FIELDS})

    def data(incident):
        services.log_read(incident, current_user, services.PACK_FIELDS)
        return {name: getattr(incident, name) or '' for name in services.PACK_FIELDS}
    return _edit_page(incident_id, PackForm, 'incidents/pack_form.html', save, obj_data=data)


def pack_context(incident, stage):
    """The pack's print view and PDF: the case as it stands, or the 速報 / 確報 version
    (``stage``) as filed; logs the read of the encrypted texts."""
    services.log_read(incident, current_user, list(pack.ENCRYPTED_READ))
    context = pack.context(incident, stage)
    context.update(stages=PACK_STAGES, today=today_local())
    return context


@bp.route('/<int:incident_id>/ppc-report')
@roles_required(R.COMMITTEE, R.AUDITOR)
def ppc_report(incident_id):
    """The printable report pack: the nine items of the PPC's report form; with
    ``?stage=preliminary`` or ``final`` the 速報 or 確報 as filed."""
    incident = incident_or_404(incident_id)
    stage = request.args.get('stage')
    if stage not in PACK_STAGE_LABELS:
        stage = None
    return render_template('incidents/ppc_report.html', **pack_context(incident, stage))


@bp.route('/<int:incident_id>/comments', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def comment(incident_id):
    """Add a comment (reviewers) or further information (the reporter)."""
    incident = incident_or_404(incident_id)
    if not services.may_comment(current_user, incident):
        abort(403)
    form = CommentForm()
    by_reporter = _view_of(incident) == 'reporter'
    if not form.validate_on_submit():
        return make_response(render_template('incidents/detail.html', **_detail_context(
            incident, comment_form=form)), 422)
    try:
        services.add_comment(incident, actor=current_user, body=form.body.data,
                             by_reporter=by_reporter)
    except services.IncidentError as exc:
        status, message = _refused(exc)
        return _show_problem(Incident.get_by_id(incident.id), status, message,
                             comment_form=form)
    flash(_('Your comment was added.'), 'success')
    return redirect(url_for('incidents.detail', incident_id=incident.id) + '#incident-timeline',
                    303)


@bp.route('/<int:incident_id>/attachments', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def attach(incident_id):
    """Attach a PDF, PNG or JPEG (checked by content), stored encrypted."""
    incident = incident_or_404(incident_id)
    if not services.may_comment(current_user, incident):
        abort(403)
    form = AttachmentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data, mime, filename = uploads.read_upload(
            request.files.get('file'), current_app.config['INCIDENT_ATTACHMENT_MAX_BYTES'])
    except uploads.UploadError as exc:
        form.file.errors = [str(exc)]
        return make_response(render_template('incidents/detail.html', **_detail_context(
            incident, attachment_form=form)), 422)
    try:
        services.add_attachment(incident, actor=current_user, data=data, media_type=mime,
                                filename=filename,
                                by_reporter=_view_of(incident) == 'reporter')
    except services.IncidentError as exc:
        status, message = _refused(exc)
        return _show_problem(Incident.get_by_id(incident.id), status, message)
    flash(_('The file was attached.'), 'success')
    return redirect(url_for('incidents.detail', incident_id=incident.id) + '#incident-timeline',
                    303)


@bp.route('/<int:incident_id>/attachments/<int:attachment_id>')
@roles_required(*CONTENT_ROLES)
def download(incident_id, attachment_id):
    """A download for those who may read the case; the reporter gets their own files."""
    incident = incident_or_404(incident_id)
    attachment = IncidentAttachment.get_or_none(
        (IncidentAttachment.id == attachment_id) & (IncidentAttachment.incident == incident.id))
    if attachment is None:
        abort(404)
    for_reporter = _view_of(incident) == 'reporter'
    if for_reporter and not attachment.by_reporter:
        refusals.out_of_scope('incident_attachment', attachment.id)
    services.record_as(incident, 'download', current_user,
                       {'fields': ['content', 'filename'], 'incident_id': incident.id},
                       by_reporter=for_reporter, object_=attachment)
    return uploads.download(attachment.content, attachment.filename, attachment.media_type)


@bp.route('/<int:incident_id>/ledger')
@roles_required(R.COMMITTEE)
def ledger_search(incident_id):
    """htmx: ledger entries of any department, by title or LE- reference."""
    incident = incident_or_404(incident_id)
    q = request.args.get('q', '')[:100]
    links = IncidentLedgerLink.for_incident(incident)
    linked = {link.entry_id for link in links}
    entries = committee_entry_choices(q) if q.strip() else []
    template = 'incidents/_ledger_results.html' if is_htmx() else 'incidents/ledger.html'
    response = make_response(render_template(
        template, incident=incident, entries=entries, q=q, linked=linked,
        link_form=LinkForm(formdata=None, version=incident.version), links=links))
    return vary_on_htmx(response)


@bp.route('/<int:incident_id>/ledger', methods=['POST'])
@roles_required(R.COMMITTEE)
def ledger_link(incident_id):
    """Link a ledger entry: data items and special care are prefilled. When the entry
    gives a size, the committee is asked first whether the reporter's count or the whole
    data set applies (or neither yet); nothing replaces the count unasked."""
    incident = incident_or_404(incident_id)
    form = LinkForm()
    entry, size = None, None
    if form.entry.data and form.entry.data.isdigit():
        entry = LedgerEntry.get_or_none(LedgerEntry.id == int(form.entry.data))
        size = services.entry_size(entry) if entry is not None else None
        if size is not None:
            form.offer_persons(incident, size)
    if not form.validate_on_submit() or not form.entry.data.isdigit():
        if form.persons.errors and size is not None:
            return _ask_persons(incident, entry, form, size, 422)
        abort(400)
    if entry is None:
        abort(404)
    if size is not None and not form.persons.data:
        return _ask_persons(incident, entry, form, size, 200)
    try:
        incident, changed = services.link_entry(incident, entry, actor=current_user,
                                                version=form.version.data,
                                                persons=form.persons.data or None)
    except services.IncidentError as exc:
        status, message = _refused(exc)
        return _show_problem(Incident.get_by_id(incident.id), status, message)
    if changed:
        flash(_('%(ref)s was linked; the facts were prefilled from it. Check them in the '
                'triage.', ref=entry.reference), 'success')
    else:
        flash(_('%(ref)s was linked.', ref=entry.reference), 'success')
    return redirect(url_for('incidents.detail', incident_id=incident.id), 303)


def _ask_persons(incident, entry, form, size, status):
    """The question before a link: which number of persons applies to the incident."""
    return render_template('incidents/link_persons.html', incident=incident, entry=entry,
                           form=form, size=size), status


@bp.route('/<int:incident_id>/ledger/<int:link_id>/unlink', methods=['POST'])
@roles_required(R.COMMITTEE)
def ledger_unlink(incident_id, link_id):
    """Remove a ledger link made in error."""
    incident = incident_or_404(incident_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.unlink_entry(incident, link_id, actor=current_user, version=form.version.data)
    except services.IncidentError as exc:
        status, message = _refused(exc)
        return _show_problem(Incident.get_by_id(incident.id), status, message)
    flash(_('The ledger entry was unlinked.'), 'success')
    return redirect(url_for('incidents.detail', incident_id=incident.id), 303)

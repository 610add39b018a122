"""/requests/: the Customer Center handles Requests for Disclosure; the committee reads."""
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
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import exports, refusals
from ..auth.decorators import roles_required
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import paginate
from ..timezone import today_local
from ..uploads import download
from . import bp, checklist, services
from . import catalogue as C
from .forms import (
    AcceptForm,
    ChecklistForm,
    CompleteForm,
    ConfirmIdentityForm,
    DetailsForm,
    IntakeForm,
    RefuseForm,
    ResponseForm,
    StepForm,
    UploadForm,
)
from .models import (
    READERS,
    DisclosureDestruction,
    DisclosureEvent,
    DisclosureLedgerLink,
    DisclosureLetterCopy,
    DisclosureRequest,
    RequestDocument,
    linked_provisions,
    linked_purposes,
)

LIST_STATUSES = ('open', '') + tuple(code for code, _label in C.STATUSES)

# The prefixes of the forms on the request page (their fields' ids and names).
FORMS = {
    'start': StepForm,
    'confirm': ConfirmIdentityForm,
    'accept': AcceptForm,
    'refuse': RefuseForm,
    'response': ResponseForm,
    'complete': CompleteForm,
}
ACTION_OF = {'start': 'start_verification', 'confirm': 'confirm_identity',
             'accept': 'accept', 'refuse': 'refuse', 'response': 'respond',
             'complete': 'complete'}


def handler_required(action):
    """Only the roles the state machine allows for ``action`` (403 otherwise)."""
    return roles_required(*services.ACTIONS[action].roles)


def get_request_or_404(request_id):
    req = DisclosureRequest.get_visible(current_user, request_id)
    if req is None:
        refusals.not_found(DisclosureRequest, request_id)
    return req


def _shown_fields(req, names):
    return [name for name in names if req.__data__.get(name) is not None]


def _make_form(prefix, req):
    """A blank action form carrying the version shown."""
    extra = {'request_obj': req} if FORMS[prefix] is ResponseForm else {}
    form = FORMS[prefix](prefix=prefix, formdata=None, **extra)
    form.version.data = str(req.version)
    return form


def _checklist_context(req, form=None, confirm=None):
    kinds = RequestDocument.kinds_for(req.id)
    if form is None:
        form = ChecklistForm(prefix='check', formdata=None, obj=req)
    return {
        'req': req,
        'C': C,
        'check_form': form,
        'confirm_form': confirm or _make_form('confirm', req),
        'check_items': checklist.items(req.proxy_kind, req.ticked(), req.id_document_type,
                                       kinds, req.concerns_minor),
        'missing_documents': checklist.missing_documents(req.proxy_kind, kinds,
                                                         req.concerns_minor),
        'applicable_checks': [name for name, _label in
                              checklist.applicable_checks(req.proxy_kind, req.concerns_minor)],
        'minor_guidance': (checklist.minor_guidance(req.proxy_kind) if req.concerns_minor
                           else None),
        'can_check': services.may(current_user, 'checklist', req),
        'can_confirm': services.may(current_user, 'confirm_identity', req),
    }


def _ledger_context(req, results=None, q='', links=None):
    links = DisclosureLedgerLink.for_request(req.id) if links is None else links
    return {'req': req, 'C': C, 'links': links, 'results': results, 'q': q,
            'can_link': services.may(current_user, 'link', req)}


def render_detail(req, status=200, forms=None, error=None, upload_form=None,
                  check_form=None, results=None, q='', **answer):
    """The request page; a failed action shows its form with the person's input kept.
    ``answer``: the linked entries' purposes or provision records, when asked for."""
    forms = dict(forms or {})
    for prefix in FORMS:
        forms.setdefault(prefix, _make_form(prefix, req))
    context = {
        'req': req,
        'today': today_local(),
        'forms': forms,
        'error': error,
        'may': {action: services.may(current_user, action, req)
                for action in services.ACTIONS},
        'documents': RequestDocument.metadata_for(req.id),
        'events': DisclosureEvent.timeline(req.id),
        'destruction': (DisclosureDestruction.get_or_none(
            DisclosureDestruction.request == req.id) if req.is_destroyed else None),
        'letter_copies': DisclosureLetterCopy.for_request(req.id),
        'upload_form': upload_form or UploadForm(prefix='upload', formdata=None),
        'C': C,
    }
    context.update(_checklist_context(req, check_form, forms['confirm']))
    context.update(_ledger_context(req, results, q))
    context.update(answer)
    shown = DisclosureRequest.IDENTITY_FIELDS + ('explanation', 'paper_reason')
    if not req.is_destroyed:
        services.record_read(req, _shown_fields(req, shown), current_user)
    response = make_response(render_template('disclosure/detail.html', **context), status)
    return vary_on_htmx(response)


def _list_filters():
    """The list's filters from the query string: (status, q, overdue)."""
    status = request.args.get('status', 'open')
    if status not in LIST_STATUSES:
        status = 'open'
    q = request.args.get('q', '')[:60].strip()
    return status, q, request.args.get('overdue') == '1'


@bp.route('/')
@roles_required(*READERS)
def index():
    """Requests, awaiting ones first by internal due date, with their countdown."""
    today = today_local()
    status, q, overdue = _list_filters()
    page = paginate(DisclosureRequest.listing(current_user, today, status=status or None,
                                              overdue=overdue, search=q or None))
    template = 'disclosure/_rows.html' if is_htmx() else 'disclosure/index.html'
    response = make_response(render_template(
        template, page=page, today=today, status=status, q=q, overdue=overdue, C=C))
    return vary_on_htmx(response)


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def export(fmt):
    """The current filtered list as CSV or XLSX: the list's columns only, never the
    requester's identity (audit-logged)."""
    today = today_local()
    status, q, overdue = _list_filters()
    query = DisclosureRequest.listing(current_user, today, status=status or None,
                                      overdue=overdue, search=q or None)
    columns = [
        exports.column('reference', _('Reference')),
        exports.column('received_on', _('Received')),
        exports.column('types', _('What is requested'),
                       lambda r: ', '.join(str(label) for label in r.type_labels)),
        exports.column('proxy_kind', _('Made by'),
                       lambda r: str(C.PROXY_LABELS.get(r.proxy_kind, ''))),
        exports.column('status', _('State'), lambda r: str(r.status_label)),
        exports.column('due_on', _('Internal due date')),
        exports.column('days_left', _('Days left'),
                       lambda r: '' if r.days_left(today) is None else r.days_left(today)),
        exports.column('destroy_after', _('Documents kept until'),
                       lambda r: '' if r.destroyed_at else r.destroy_after),
    ]
    return exports.export_response(fmt, 'requests', columns, query,
                                   object_type='disclosure_request',
                                   filters={'status': status, 'q': q, 'overdue': overdue})


@bp.route('/new', methods=['GET', 'POST'])
@handler_required('edit')
def new():
    """Record a request received by registered mail, with its scanned documents."""
    form = IntakeForm()
    if form.validate_on_submit():
        try:
            req = services.create_request(current_user, documents=form.documents,
                                          **form.values())
        except services.NotPermitted:
            abort(403)
        except services.RequestError as exc:
            field = getattr(form, exc.field or '', None)
            if field is not None:
                field.errors = list(field.errors) + [exc.message]
        else:
            flash(_('Request %(ref)s was recorded; its internal due date is %(date)s.',
                    ref=req.reference, date=req.due_on.isoformat()), 'success')
            return redirect(url_for('disclosure.detail', request_id=req.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('disclosure/new.html', form=form, C=C,
                           max_mb=current_app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)
                           ), status


@bp.route('/<int:request_id>')
@roles_required(*READERS)
def detail(request_id):
    """One request: identity, checklist, documents, ledger links, decision, timeline.

    Showing the requester's identity is an audit-logged read."""
    return render_detail(get_request_or_404(request_id))


@bp.route('/<int:request_id>/edit', methods=['GET', 'POST'])
@handler_required('edit')
def edit(request_id):
    """Correct what was recorded at intake (until the identity is verified)."""
    req = get_request_or_404(request_id)
    if request.method == 'GET':
        error = state_error(req, 'edit')
        if error:
            return render_detail(req, status=409, error=error)
        form = DetailsForm(obj=req)
        form.types.data = req.type_codes
        form.version.data = str(req.version)
        services.record_read(req, _shown_fields(req, DisclosureRequest.IDENTITY_FIELDS),
                             current_user)
        return render_template('disclosure/edit.html', form=form, req=req)
    form = DetailsForm()
    status, error = 422, state_error(req, 'edit')
    if error:
        status = 409
    elif form.validate_on_submit():
        try:
            services.update_details(req.id, current_user, form.version_value(), form.values())
        except services.NotPermitted:
            abort(403)
        except services.InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        except services.Conflict as exc:
            status, error = 409, exc.message
            req = DisclosureRequest.get_by_id(req.id)
            form.version.data = str(req.version)
        else:
            flash(_('Request %(ref)s was saved.', ref=req.reference), 'success')
            return redirect(url_for('disclosure.detail', request_id=req.id), 303)
    return render_template('disclosure/edit.html', form=form, req=req, error=error), status


def state_error(req, action):
    """The 409 message when ``req`` cannot take ``action`` now (403 for the wrong role)."""
    try:
        services.check(req, action, current_user)
    except services.NotPermitted:
        abort(403)
    except services.Conflict as exc:
        return exc.message
    return None


def _run(req, prefix, call, success):
    """Validate the ``prefix`` form, run the service ``call(form)`` and answer:
    303 to the request page, or the page again with 422 (input) or 409 (state)."""
    form = FORMS[prefix](prefix=prefix, **({'request_obj': req}
                                            if FORMS[prefix] is ResponseForm else {}))
    error = state_error(req, ACTION_OF[prefix])
    if error:
        return render_detail(req, status=409, forms={prefix: form}, error=error)
    if not form.validate_on_submit():
        return render_detail(req, status=422, forms={prefix: form})
    try:
        call(form)
    except services.NotPermitted:
        abort(403)
    except services.InvalidInput as exc:
        field = getattr(form, exc.field or '', None)
        if field is not None:
            field.errors = list(field.errors) + [exc.message]
        return render_detail(req, status=422, forms={prefix: form},
                             error=None if field is not None else exc.message)
    except services.Conflict as exc:
        req = DisclosureRequest.get_by_id(req.id)
        form.version.data = str(req.version)
        return render_detail(req, status=409, forms={prefix: form}, error=exc.message)
    flash(success, 'success')
    return redirect(url_for('disclosure.detail', request_id=req.id), 303)


@bp.route('/<int:request_id>/start-verification', methods=['POST'])
@handler_required('start_verification')
def start_verification(request_id):
    """received -> verifying."""
    req = get_request_or_404(request_id)
    return _run(req, 'start', lambda form: services.start_verification(
        req.id, current_user, form.version_value()),
        _('The identity check of %(ref)s has started.', ref=req.reference))


@bp.route('/<int:request_id>/confirm-identity', methods=['POST'])
@handler_required('confirm_identity')
def confirm_identity(request_id):
    """verifying -> in progress, when the checklist for the case is complete."""
    req = get_request_or_404(request_id)
    return _run(req, 'confirm', lambda form: services.confirm_identity(
        req.id, current_user, form.version_value(), form.verified_on.data),
        _('The identity for %(ref)s is confirmed.', ref=req.reference))


@bp.route('/<int:request_id>/accept', methods=['POST'])
@handler_required('accept')
def accept(request_id):
    """Decide to comply with the request."""
    req = get_request_or_404(request_id)
    return _run(req, 'accept', lambda form: services.accept(
        req.id, current_user, form.version_value(), form.decided_on.data),
        _('Request %(ref)s was accepted.', ref=req.reference))


@bp.route('/<int:request_id>/refuse', methods=['POST'])
@handler_required('refuse')
def refuse(request_id):
    """Refuse for one of the five reasons in the policy, with an explanation."""
    req = get_request_or_404(request_id)
    return _run(req, 'refuse', lambda form: services.refuse(
        req.id, current_user, form.version_value(), form.refusal_reason.data,
        form.explanation.data, form.decided_on.data),
        _('Request %(ref)s was refused; print the refusal letter.', ref=req.reference))


@bp.route('/<int:request_id>/response', methods=['POST'])
@handler_required('respond')
def respond(request_id):
    """Record how and when the answer or the refusal notice was sent."""
    req = get_request_or_404(request_id)
    return _run(req, 'response', lambda form: services.record_response(
        req.id, current_user, form.version_value(), form.response_method.data,
        form.responded_on.data, form.paper_reason.data),
        _('The response to %(ref)s was recorded.', ref=req.reference))


@bp.route('/<int:request_id>/complete', methods=['POST'])
@handler_required('complete')
def complete(request_id):
    """Complete the request; its documents are destroyed after the keeping period."""
    req = get_request_or_404(request_id)
    return _run(req, 'complete', lambda form: services.complete(
        req.id, current_user, form.version_value(), form.completed_on.data),
        _('Request %(ref)s is completed.', ref=req.reference))


@bp.route('/<int:request_id>/checklist', methods=['POST'])
@handler_required('checklist')
def update_checklist(request_id):
    """Tick the identity checks; htmx gets the checklist back, a plain form a redirect."""
    req = get_request_or_404(request_id)
    form = ChecklistForm(prefix='check')
    status, error = 200, state_error(req, 'checklist')
    if error:
        status = 409
    elif not form.validate_on_submit():
        status = 422
    else:
        try:
            req = services.update_checklist(req.id, current_user, form.ticked(),
                                            form.id_document_type.data)
        except services.NotPermitted:
            abort(403)
        except services.InvalidInput as exc:
            status = 422
            getattr(form, exc.field).errors.append(exc.message)
        except services.Conflict as exc:
            status, error = 409, exc.message
            req = DisclosureRequest.get_by_id(req.id)
        else:
            if not is_htmx():
                flash(_('The checklist was saved.'), 'success')
                return redirect(url_for('disclosure.detail', request_id=req.id)
                                + '#requests-checklist', 303)
            form = None
    if not is_htmx():
        return render_detail(req, status=status, error=error, check_form=form)
    context = _checklist_context(req, form)
    response = make_response(render_template('disclosure/_checklist.html', check_error=error,
                                              **context), status)
    if status == 200:
        hx_trigger(response, 'requests-changed')
    return vary_on_htmx(response)


@bp.route('/<int:request_id>/documents', methods=['POST'])
@handler_required('upload')
def upload(request_id):
    """Add one scanned document (PDF, PNG or JPEG by content, 10 MB at most)."""
    req = get_request_or_404(request_id)
    form = UploadForm(prefix='upload')
    error = state_error(req, 'upload')
    if error:
        return render_detail(req, status=409, upload_form=form, error=error)
    if not form.validate_on_submit():
        return render_detail(req, status=422, upload_form=form)
    data, mime, filename = form.upload
    try:
        services.add_document(req.id, current_user, form.kind.data, data, mime, filename)
    except services.NotPermitted:
        abort(403)
    except services.InvalidInput as exc:
        form.kind.errors.append(exc.message)
        return render_detail(req, status=422, upload_form=form)
    except services.Conflict as exc:
        return render_detail(DisclosureRequest.get_by_id(req.id), status=409,
                             upload_form=form, error=exc.message)
    flash(_('The document was added to %(ref)s.', ref=req.reference), 'success')
    return redirect(url_for('disclosure.detail', request_id=req.id) + '#requests-documents',
                    303)


@bp.route('/<int:request_id>/documents/<int:document_id>')
@roles_required(*READERS)
def document(request_id, document_id):
    """Download one document (an audit-logged read); gone once destroyed."""
    req = get_request_or_404(request_id)
    found = services.read_document(req, document_id, current_user)
    if found is None:
        abort(404)
    content, filename, mime = found
    return download(content, filename, mime)


@bp.route('/<int:request_id>/ledger')
@roles_required(*READERS)
def ledger_search(request_id):
    """Search ledger entries to link (titles and departments only)."""
    req = get_request_or_404(request_id)
    q = request.args.get('q', '')[:100].strip()
    links = DisclosureLedgerLink.for_request(req.id)
    results = DisclosureLedgerLink.candidates(q, exclude=[link.entry_id for link in links])
    if not is_htmx():
        return render_detail(req, results=results, q=q)
    context = _ledger_context(req, results, q, links=links)
    response = make_response(render_template('disclosure/_ledger.html', **context))
    return vary_on_htmx(response)


@bp.route('/<int:request_id>/ledger/<any(link,unlink):action>', methods=['POST'])
@handler_required('link')
def ledger_link(request_id, action):
    """Link or unlink a ledger entry; htmx gets the linked list back."""
    req = get_request_or_404(request_id)
    entry_id = int_arg(request.form.get('entry'), minimum=1)
    status, error = 200, None
    try:
        services.check(req, 'link', current_user)
        if entry_id is None:
            raise services.InvalidInput(_('Choose a ledger entry from the search results.'),
                                        'entry')
        if action == 'link':
            services.link_entry(req.id, current_user, entry_id)
        else:
            services.unlink_entry(req.id, current_user, entry_id)
    except services.NotPermitted:
        abort(403)
    except services.RequestError as exc:
        status, error = exc.status, exc.message
    if not is_htmx():
        if status != 200:
            return render_detail(req, status=status, error=error)
        return redirect(url_for('disclosure.detail', request_id=req.id) + '#requests-ledger',
                        303)
    context = _ledger_context(req)
    response = make_response(render_template('disclosure/_ledger.html', ledger_error=error,
                                              **context), status)
    if status == 200:
        hx_trigger(response, 'requests-changed')
    return vary_on_htmx(response)


def letter_refused(req):
    """The request page with a 409 when no letter can be made, else None."""
    if req.is_destroyed:
        return render_detail(req, status=409, error=_(
            'The identity of the requester was destroyed; no letter can be printed.'))
    if req.decision not in (C.ACCEPTED, C.REFUSAL):
        return render_detail(req, status=409, error=_(
            'Decide first: the letter is produced once the request is accepted or refused.'))
    return None


def letter_context(req):
    """What the letter shows (its print view and its PDF); logs the read of the identity."""
    services.record_read(req, _shown_fields(req, (
        'requester_name', 'requester_address', 'proxy_name', 'proxy_relationship',
        'explanation', 'paper_reason')), current_user)
    return {'req': req, 'C': C, 'today': today_local()}


@bp.route('/<int:request_id>/letter')
@roles_required(*READERS)
def letter(request_id):
    """The printable response or refusal letter, in the requester's language (an
    audit-logged read of the identity)."""
    req = get_request_or_404(request_id)
    refused = letter_refused(req)
    if refused is not None:
        return refused
    context = letter_context(req)
    with force_locale(req.language):
        return render_template('disclosure/letter.html', **context)


def _answer_fragment(req, view, template, context, status=200, error=None):
    """A panel of data the answer needs: htmx gets the fragment, else the request page
    with the panel open."""
    context = dict(context, req=req, C=C, answer_error=error,
                   can_pick=services.may(current_user, 'link', req))
    if is_htmx():
        response = make_response(render_template(template, **context), status)
        return vary_on_htmx(response)
    return render_detail(req, status=status, error=error, **{view: context})


@bp.route('/<int:request_id>/purposes')
@roles_required(*READERS)
def answer_purposes(request_id):
    """The linked entries' purposes of use, read-only, for a notification of the purpose
    of use (the Customer Center does not read the ledger itself); the read is logged."""
    req = get_request_or_404(request_id)
    if C.PURPOSE_NOTIFICATION not in req.type_codes:
        abort(404)
    entries = linked_purposes(req.id)
    services.record_answer_read(req, current_user, 'purposes',
                                entry_ids=[e.id for e in entries])
    return _answer_fragment(req, 'answer_purposes', 'disclosure/_purposes.html',
                            {'entries': entries})


def _provisions_context(req):
    records = linked_provisions(req.id)
    return {'records': records, 'picked': [r for r in records if r.picked]}


@bp.route('/<int:request_id>/provisions')
@roles_required(*READERS)
def answer_provisions(request_id):
    """The provision records of the linked entries, read-only, for a disclosure of
    third-party provision records; the Customer Center picks those concerning the
    requester. The read is logged."""
    req = get_request_or_404(request_id)
    if C.THIRD_PARTY_RECORDS not in req.type_codes:
        abort(404)
    context = _provisions_context(req)
    services.record_answer_read(req, current_user, 'provisions',
                                record_ids=[r.id for r in context['records']])
    return _answer_fragment(req, 'answer_provisions', 'disclosure/_provisions.html', context)


@bp.route('/<int:request_id>/provisions/<int:record_id>/<any(pick,unpick):action>',
          methods=['POST'])
@handler_required('link')
def answer_provision_pick(request_id, record_id, action):
    """Mark a provision record as concerning the requester, or no longer."""
    req = get_request_or_404(request_id)
    if C.THIRD_PARTY_RECORDS not in req.type_codes:
        abort(404)
    status, error = 200, None
    try:
        services.check(req, 'link', current_user)
        services.pick_provision(req.id, current_user, record_id, picked=action == 'pick')
    except services.NotPermitted:
        abort(403)
    except services.RequestError as exc:
        status, error = exc.status, exc.message
    if not is_htmx() and status == 200:
        return redirect(url_for('disclosure.answer_provisions', request_id=req.id)
                        + '#requests-provisions', 303)
    context = _provisions_context(req)
    services.record_answer_read(req, current_user, 'provisions',
                                record_ids=[r.id for r in context['records']])
    response = _answer_fragment(req, 'answer_provisions', 'disclosure/_provisions.html',
                                context, status=status, error=error)
    if status == 200:
        hx_trigger(response, 'requests-changed')
    return response

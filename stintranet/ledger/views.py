"""/ledger/: list, entry, edit, review, retire, health, print, import and export."""
import datetime

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from .. import auditlog, exports, refusals
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.forms import ConfirmForm
from ..auth.models import Department
from ..db import database
from ..errors import render_error
from ..htmx import is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import Page, page_size, paginate
from ..timezone import today_local
from . import READERS, bp, display, exporting, importing, services
from . import catalogue as C
from .forms import (
    EntryForm,
    FilterForm,
    ImportForm,
    RetireForm,
    ReviewForm,
    form_choices,
    form_data_of,
)
from .models import (
    ENCRYPTED_FIELDS,
    FIELD_LABELS,
    FIELDS,
    LedgerEntry,
    LedgerImport,
    LedgerReview,
    LedgerRevision,
)
from .risk.models import attach_assessments


@bp.app_template_filter('ledger_value')
def ledger_value(raw, name):
    return display.value(name, raw)


@bp.app_template_filter('ledger_filter_label')
def ledger_filter_label(name, form):
    return form[name].label.text if name in form else name


@bp.app_template_filter('ledger_lines')
def ledger_lines(text):
    """Multi-line text with its line breaks kept (escaped; no CSS needed)."""
    if not text:
        return text
    return Markup('<br>').join(escape(line) for line in str(text).splitlines())


@bp.app_context_processor
def ledger_templates():
    return {'ledger_field_label': FIELD_LABELS.get,
            'fact_groups': display.fact_groups, 'items_by_code': C.ITEMS_BY_CODE}


def get_entry_or_404(entry_id, *columns):
    """An entry the user may read, with its department, its responsible person and any
    further ``columns``; another department's is 404, as if it did not exist."""
    entry = (LedgerEntry.visible_with_responsible(current_user).select_extend(*columns)
             .where(LedgerEntry.id == entry_id).first())
    if entry is None:
        refusals.not_found(LedgerEntry, entry_id)
    return entry


def require_editor(entry):
    if not entry.editable_by(current_user):
        abort(403)


def posted_version(field):
    """The version a form was loaded at; a tampered, missing or out-of-range one is a bad
    request."""
    version = int_arg(field.data, minimum=1)
    if version is None:
        abort(400)
    return version


def shown_fields(entry):
    return [name for name in ENCRYPTED_FIELDS if entry.has_value(name)]


def filtered(args):
    """(form, filters, sort, status) for the list and the export; a bad filter gives no
    filters and 422."""
    form = FilterForm(args, departments=Department.visible_to(current_user))
    filters, status = {}, 200
    if args and not form.validate():
        status = 422
    else:
        filters = form.filters()
    sort = args.get('sort', '')
    if sort.lstrip('-') not in LedgerEntry.SORTS:
        sort = LedgerEntry.DEFAULT_SORT
    return form, filters, sort, status


@bp.route('/')
@roles_required(*READERS)
def index():
    """The entries the user may read, a page at a time, searchable, filterable and
    sortable."""
    today = today_local()
    form, filters, sort, status = filtered(request.args)
    query = LedgerEntry.search(current_user, sort=sort, today=today, **filters)
    page = paginate(LedgerEntry.list_columns(query))
    export_args = {k: v for k, v in request.args.items() if k != 'page'}
    template = 'ledger/_rows.html' if is_htmx() else 'ledger/index.html'
    response = make_response(render_template(
        template, form=form, page=page, sort=sort, today=today, export_args=export_args,
        can_create=current_user.has_role(R.MANAGER) and bool(current_user.managed_department_ids)),
        status)
    return vary_on_htmx(response)


def entry_context(entry, **extra):
    revisions = list(LedgerRevision.for_entry(entry.id))
    reviews = list(LedgerReview.for_entry(entry.id))
    editable = entry.editable_by(current_user)
    can_approve = current_user.has_role(R.COMMITTEE)
    # Only the forms the page shows: the review (or reinstate) and retire forms to the
    # entry's managers, the approve buttons to the committee.
    context = {
        'entry': entry, 'revisions': revisions, 'reviews': reviews, 'editable': editable,
        'today': today_local(), 'fields': FIELDS, 'can_approve': can_approve,
        'review_form': ReviewForm(formdata=None, version=str(entry.version))
        if editable else None,
        'retire_form': RetireForm(formdata=None, version=str(entry.version))
        if editable and not entry.is_retired else None,
        'confirm': ConfirmForm() if can_approve else None,
    }
    # Contractors, provision records, assets and purpose-change notices of this entry.
    from ..registers import linked
    context['registers_linked'] = linked.linked_records(entry, current_user)
    # Its risk assessment (one query), which the review confirms.
    from .risk.views import risk_context
    context.update(risk_context(entry))
    context.update(extra)
    fields = shown_fields(entry) + (['revision changes'] if revisions else [])
    services.record_read(entry, fields)
    return context


@bp.route('/<int:entry_id>')
@roles_required(*READERS)
def entry(entry_id):
    """An entry with its revisions, reviews and register records; reading it is recorded."""
    entry = LedgerEntry.for_page(current_user, entry_id)
    if entry is None:
        refusals.not_found(LedgerEntry, entry_id)
    LedgerEntry.attach_items([entry])
    return render_template('ledger/entry.html', **entry_context(entry))


@bp.route('/<int:entry_id>/print')
@roles_required(*READERS)
def print_view(entry_id):
    """One entry laid out for paper (A4), with the approval boxes."""
    entry = get_entry_or_404(entry_id)
    LedgerEntry.attach_items([entry])
    services.record_read(entry, shown_fields(entry), context='print')
    return render_template('ledger/print.html', entry=entry, fields=FIELDS,
                           today=today_local(),
                           reviews=list(LedgerReview.for_entry(entry.id).limit(3)))


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def new():
    """Create an entry in one of the user's departments."""
    choices = form_choices(current_user)
    if not choices.departments:
        abort(403)
    form = EntryForm(choices=choices)
    if request.method == 'GET':
        if len(choices.departments) == 1:
            form.department.data = choices.departments[0][0]
        form.responsible.data = str(current_user.id)
    if form.validate_on_submit():
        entry = services.create_entry(form.entry_data(), actor=current_user)
        flash(_('%(ref)s was created.', ref=entry.reference), 'success')
        return redirect(url_for('ledger.entry', entry_id=entry.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('ledger/form.html', form=form, entry=None), status


@bp.route('/<int:entry_id>/edit', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def edit(entry_id):
    """Edit an entry; a stale save answers 409 with the other person's changes."""
    entry = get_entry_or_404(entry_id)
    require_editor(entry)
    if entry.is_retired:
        flash(_('%(ref)s is retired; reinstate it before editing.', ref=entry.reference), 'error')
        return redirect(url_for('ledger.entry', entry_id=entry.id), 303)
    LedgerEntry.attach_items([entry])
    choices = form_choices(current_user, entry)
    if request.method == 'POST':
        form = EntryForm(choices=choices)
    else:
        form = EntryForm(data=form_data_of(entry), choices=choices)
        services.record_read(entry, shown_fields(entry), context='edit')
    if form.validate_on_submit():
        expected = posted_version(form.version)
        try:
            entry, changes = services.update_entry(entry, form.entry_data(),
                                                   expected_version=expected,
                                                   actor=current_user)
        except services.StaleEntry as exc:
            return conflict(form, exc)
        except services.RetiredEntry:
            abort(409)
        if changes:
            flash(_('%(ref)s was saved and counts as reviewed.', ref=entry.reference),
                  'success')
        else:
            flash(_('Nothing changed.'), 'info')
        return redirect(url_for('ledger.entry', entry_id=entry.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('ledger/form.html', form=form, entry=entry), status


def conflict(form, exc):
    """409: the form again with the user's input, and what the other person changed."""
    current = exc.entry
    LedgerEntry.attach_items([current])
    revisions = list(LedgerRevision.for_entry(current.id, since_version=exc.expected_version))
    theirs = {}
    for revision in reversed(revisions):
        for name, (old, new) in revision.change_map.items():
            first_old = theirs[name][0] if name in theirs else old
            theirs[name] = (first_old, new, revision)
    lookups = importing.Lookups(current_user, [])
    mine = services.snapshot_of_data(form.entry_data(), lookups.dept_codes, lookups.emails)
    rows = [{'name': name, 'label': FIELD_LABELS.get(name, name), 'old': old, 'new': new,
             'mine': mine.get(name), 'by': revision.actor, 'at': revision.at}
            for name, _label in FIELDS
            if name in theirs and name not in services.REVIEW_FIELDS
            for old, new, revision in [theirs[name]]]
    services.record_read(current, [n for n in theirs if n in ENCRYPTED_FIELDS], context='conflict')
    form.version.data = str(current.version)
    form.version.raw_data = [str(current.version)]
    return render_template('ledger/form.html', form=form, entry=current, conflict=rows,
                           revisions=revisions), 409


@bp.route('/<int:entry_id>/review', methods=['POST'])
@roles_required(R.MANAGER)
def review(entry_id):
    """"Reviewed, still accurate": the next review moves forward."""
    entry = get_entry_or_404(entry_id)
    require_editor(entry)
    form = ReviewForm()
    if not form.validate_on_submit():
        LedgerEntry.attach_items([entry])
        return render_template('ledger/entry.html', **entry_context(
            entry, review_form=form)), 422
    try:
        entry = services.review_entry(entry, expected_version=posted_version(form.version),
                                      actor=current_user, note=form.note.data,
                                      risk_confirmed=form.risk_confirmed.data)
    except services.RiskUnconfirmed:
        LedgerEntry.attach_items([entry])
        form.risk_confirmed.errors = list(form.risk_confirmed.errors) + [_(
            'Confirm that the risk assessment still holds, or update it first.')]
        return render_template('ledger/entry.html', **entry_context(
            entry, review_form=form)), 422
    except services.StaleEntry as exc:
        LedgerEntry.attach_items([exc.entry])
        flash(_('Someone changed this entry while you were reading it. Check it again, '
                'then confirm your review.'), 'error')
        return render_template('ledger/entry.html', **entry_context(exc.entry)), 409
    except services.RetiredEntry:
        abort(409)
    flash(_('Review recorded; the next review is due on %(day)s.',
            day=entry.next_review_due.isoformat()), 'success')
    return redirect(url_for('ledger.entry', entry_id=entry.id), 303)


@bp.route('/<int:entry_id>/retire', methods=['POST'])
@roles_required(R.MANAGER)
def retire(entry_id):
    """Retire an entry (never deleted); it becomes read-only."""
    entry = get_entry_or_404(entry_id)
    require_editor(entry)
    form = RetireForm()
    if not form.validate_on_submit():
        LedgerEntry.attach_items([entry])
        return render_template('ledger/entry.html', **entry_context(
            entry, retire_form=form)), 422
    try:
        entry = services.retire_entry(entry, expected_version=posted_version(form.version),
                                      actor=current_user, reason=form.reason.data)
    except services.StaleEntry as exc:
        LedgerEntry.attach_items([exc.entry])
        flash(_('Someone changed this entry meanwhile. Check it before retiring it.'), 'error')
        return render_template('ledger/entry.html', **entry_context(
            exc.entry, retire_form=form)), 409
    except services.RetiredEntry:
        abort(409)
    flash(_('%(ref)s was retired.', ref=entry.reference), 'success')
    return redirect(url_for('ledger.entry', entry_id=entry.id), 303)


@bp.route('/<int:entry_id>/reinstate', methods=['POST'])
@roles_required(R.MANAGER)
def reinstate(entry_id):
    """Bring a retired entry back as a draft."""
    entry = get_entry_or_404(entry_id)
    require_editor(entry)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        entry = services.reinstate_entry(entry, expected_version=posted_version(form.version),
                                         actor=current_user)
    except services.StaleEntry:
        abort(409)
    flash(_('%(ref)s is a draft again.', ref=entry.reference), 'success')
    return redirect(url_for('ledger.entry', entry_id=entry.id), 303)


@bp.route('/<int:entry_id>/reviews/<int:review_id>/approve', methods=['POST'])
@roles_required(R.COMMITTEE)
def approve(entry_id, review_id):
    """The committee approves a manager's review."""
    entry = get_entry_or_404(entry_id)
    review = LedgerReview.get_or_none((LedgerReview.id == review_id)
                                      & (LedgerReview.entry == entry.id))
    if review is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if review.reviewer_id == current_user.id:
        flash(_('A review is approved by another committee member than its reviewer.'),
              'error')
        return redirect(url_for('ledger.entry', entry_id=entry.id), 303)
    services.approve_review(review, actor=current_user)
    flash(_('The review of %(day)s was approved.', day=review.reviewed_on.isoformat()),
          'success')
    return redirect(url_for('ledger.entry', entry_id=entry.id), 303)


PROBLEMS = ('missing', 'overdue', 'foreign_note', 'override_reason', 'minor_consent', 'risk')
PROBLEM_LABELS = {
    'missing': _l('Missing mandatory items'),
    'overdue': _l('Review overdue'),
    'foreign_note': _l('Stored abroad without the note on the foreign regime'),
    'override_reason': _l('Special-care override without a reason'),
    'minor_consent': _l("Minors' data without the legal representative's consent method"),
    'risk': _l('No current risk assessment'),
}


def health_filter():
    """(problem, status): an unknown problem shows every problem, with 422."""
    problem = request.args.get('problem', '')
    if problem and problem not in PROBLEMS:
        return '', 422
    return problem, 200


@bp.route('/health')
@roles_required(*READERS)
def health():
    """Entries missing mandatory items, overdue reviews, foreign storage without the
    note, special-care overrides without a reason."""
    today = today_local()
    problem, status = health_filter()
    query = LedgerEntry.unhealthy(current_user, today, problem or None)
    counts = LedgerEntry.health_counts(current_user, today)
    page = paginate(query)
    LedgerEntry.attach_items(page.items)
    attach_assessments(page.items)
    rows = [(entry, entry.problems(today)) for entry in page.items]
    return render_template('ledger/health.html', counts=counts, page=page, rows=rows,
                           problem=problem, problems=PROBLEMS, labels=PROBLEM_LABELS,
                           today=today, bad_problem=status == 422), status


def problem_text(entry, code, detail):
    """One problem of the health list as the page words it."""
    if code == 'missing':
        return '%s %s' % (_('Missing:'), ', '.join(
            str(FIELD_LABELS.get(name, name)) for name in detail))
    if code == 'overdue':
        return _('Review overdue since %(day)s', day=entry.next_review_due.isoformat())
    if code == 'foreign_note':
        return _('Stored in %(country)s without the note on its regime and the measures',
                 country=display.value('storage_country', entry.storage_country))
    if code == 'risk' and detail is not None:
        return _('Risk assessment last made or confirmed on %(day)s', day=detail.as_of.isoformat())
    return str(PROBLEM_LABELS[code])


@bp.route('/health/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def health_export(fmt):
    """The entries that need attention (the chosen problem only, if any) as CSV or XLSX:
    the health list's columns, never an encrypted field (audit-logged)."""
    today = today_local()
    problem, status = health_filter()
    if status != 200:
        return render_error(422, _('Unknown problem filter: choose one on the health page '
                                   'and export again.'))
    query = LedgerEntry.unhealthy(current_user, today, problem or None)
    entries = attach_assessments(LedgerEntry.attach_items(list(query), query=query),
                                 query=query)
    columns = [
        exports.column('reference', _('Ref.')),
        exports.column('title', _('Business process')),
        exports.column('department', _('Section'), lambda e: e.department.code),
        exports.column('status', _('Status'), lambda e: str(e.status_label)),
        exports.column('responsible', _('Responsible'),
                       lambda e: e.responsible.name if e.responsible_id else ''),
        exports.column('problems', _('Problems'), lambda e: '; '.join(
            problem_text(e, code, detail) for code, detail in e.problems(today))),
    ]
    return exports.export_response(fmt, 'ledger-health', columns, entries,
                                   object_type='ledger_entry', filters={'problem': problem},
                                   title=_('Ledger health'))


def download(body, fmt, stem):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%d-%H%M')
    response = make_response(body)
    response.headers['Content-Type'] = (exporting.CSV_MIMETYPE if fmt == 'csv'
                                        else exporting.XLSX_MIMETYPE)
    response.headers['Content-Disposition'] = 'attachment; filename="%s-%s.%s"' % (
        stem, stamp, fmt)
    return response


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def export(fmt):
    """The current filtered view, every field and item, as CSV or XLSX."""
    form, filters, sort, status = filtered(request.args)
    if status != 200:
        return render_template('ledger/index.html', form=form, page=Page(
            LedgerEntry.search(current_user, sort=sort), 1, page_size()), sort=sort,
            today=today_local(), export_args={}, can_create=False), status
    query = LedgerEntry.search(current_user, sort=sort, today=today_local(), **filters)
    entries = LedgerEntry.attach_items(list(query), query=query)
    body = exporting.to_csv(entries) if fmt == 'csv' else exporting.to_xlsx(entries)
    with database.atomic():
        auditlog.record('export', object_type='ledger_entry', details={
            'format': fmt, 'count': len(entries),
            'filters': {k: v for k, v in filters.items() if v not in (None, '')},
            'fields': list(ENCRYPTED_FIELDS)})
    return download(body, fmt, 'ledger')


@bp.route('/import/template.<any(csv, xlsx):fmt>')
@roles_required(R.MANAGER)
def import_template(fmt):
    """The import's columns with no rows (the XLSX adds the items list)."""
    body = exporting.to_csv([]) if fmt == 'csv' else exporting.to_xlsx([])
    return download(body, fmt, 'ledger-template')


@bp.route('/import', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def import_upload():
    """Upload a CSV or XLSX ledger; a file with errors is shown row by row, unsaved."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, 'filename', ''):
            form.file.errors.append(_('Choose a file.'))
        else:
            content = upload.read(current_app.config['LEDGER_IMPORT_MAX_BYTES'] + 1)
            try:
                result = importing.validate(upload.filename, content, current_user)
            except importing.ImportFileError as exc:
                form.file.errors.append(str(exc))
            else:
                if result.ok:
                    stored = importing.store(upload.filename, result.file_format, content,
                                             current_user)
                    return redirect(url_for('ledger.import_preview', uid=stored.uid), 303)
                return render_template('ledger/import.html', form=form, result=result,
                                       upload=None), 422
    status = 422 if request.method == 'POST' else 200
    return render_template('ledger/import.html', form=form, result=None, upload=None), status


def pending_upload_or_404(uid):
    upload = LedgerImport.pending_for(current_user, uid)
    if upload is None:
        refusals.not_found(LedgerImport, uid, field=LedgerImport.uid)
    return upload


@bp.route('/import/<uid>')
@roles_required(R.MANAGER)
def import_preview(uid):
    """What the stored file would do, validated again now; commit or discard."""
    upload = pending_upload_or_404(uid)
    try:
        result = importing.validate(upload.filename, upload.content, current_user)
    except importing.ImportFileError as exc:
        flash(str(exc), 'error')
        return redirect(url_for('ledger.import_upload'), 303)
    return render_template('ledger/import.html', form=ImportForm(), result=result,
                           upload=upload, confirm=ConfirmForm()), 200 if result.ok else 422


@bp.route('/import/<uid>/commit', methods=['POST'])
@roles_required(R.MANAGER)
def import_commit(uid):
    """Write every row of the stored file in one transaction, or none of them."""
    upload = pending_upload_or_404(uid)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = importing.commit(upload, current_user)
    except importing.ImportFailed as exc:
        return render_template('ledger/import.html', form=ImportForm(), result=exc.result,
                               upload=upload, confirm=ConfirmForm()), 422
    except importing.ImportFileError as exc:
        flash(str(exc), 'error')
        return redirect(url_for('ledger.import_upload'), 303)
    summary = result.summary()
    flash(_('Imported: %(c)d created, %(u)d updated, %(n)d unchanged.',
            c=summary['created'], u=summary['updated'], n=summary['unchanged']), 'success')
    return redirect(url_for('ledger.index'), 303)


@bp.route('/import/<uid>/discard', methods=['POST'])
@roles_required(R.MANAGER)
def import_discard(uid):
    """Throw the stored file away."""
    upload = pending_upload_or_404(uid)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with database.atomic():
        upload.delete_instance()
        auditlog.record('import_discard', object_type='ledger_import', object_id=upload.id,
                        details={'file': upload.filename})
    flash(_('The uploaded file was discarded.'), 'info')
    return redirect(url_for('ledger.import_upload'), 303)


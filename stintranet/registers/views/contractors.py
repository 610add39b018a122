"""/registers/contractors/: the companies data is entrusted to, managed by the committee."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import uploads
from ...auth import roles as R
from ...auth.decorators import roles_required
from ...exports import column, export_response
from ...languages import join_words
from ...ledger import catalogue as ledger_catalogue
from ...timezone import today_local
from .. import READERS, bp, services
from ..forms import CheckForm, ContractorFilterForm, ContractorForm
from ..models import (
    Asset,
    Contractor,
    ContractorEntry,
    Disposal,
    RegisterDocument,
    SupervisionCheck,
)
from .common import (
    conflict_rows,
    export_filters,
    first_or_404,
    list_page,
    posted_version,
    record_values,
)

EDITABLE = ('name', 'services', 'contact', 'countries', 'foreign_measures',
            'agreement_signed_on', 'agreement_expires_on', 'ended_on', 'entries')


def get_contractor(contractor_id):
    return first_or_404(Contractor.visible_to(current_user).where(
        Contractor.id == contractor_id), Contractor, contractor_id)


@bp.app_template_filter('country_names')
def country_names(codes):
    return join_words(ledger_catalogue.country_name(code) for code in codes or ())


@bp.route('/contractors/')
@roles_required(*READERS)
def contractors():
    """Contractors with their agreement and supervision flags, searchable."""
    form = ContractorFilterForm(request.args)
    today = today_local()
    return list_page(form, lambda **f: Contractor.search(current_user, today=today, **f),
                     'registers/contractors.html', 'registers/_contractor_rows.html',
                     can_edit=Contractor.editable_by(current_user))


@bp.route('/contractors/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def contractors_export(fmt):
    """The filtered list as CSV or XLSX, never the (encrypted) contact; audit-logged."""
    filters = export_filters(ContractorFilterForm(request.args))
    today = today_local()
    columns = [
        column('reference', _('Ref.')),
        column('name', _('Contractor')),
        column('services', _('Services')),
        column('countries', _('Countries'), lambda c: ' '.join(c.country_codes)),
        column('agreement_signed_on', _('Agreement signed')),
        column('agreement_expires_on', _('Agreement expires')),
        column('agreement_state', _('Agreement state'), lambda c: c.agreement_state(today)),
        column('next_check_due', _('Next supervision check')),
        column('check_state', _('Supervision state'), lambda c: c.check_state(today)),
        column('entrusted_entries', _('Entrusted entries'), lambda c: c.entry_count),
        column('status', _('Status'), lambda c: 'active' if c.active else 'ended'),
        column('ended_on', _('Ended on')),
    ]
    return export_response(fmt, 'contractors', columns,
                           Contractor.search(current_user, today=today, **filters),
                           object_type='contractor', filters=filters, title=_('Contractors'))


@bp.route('/contractors/new', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def contractor_new():
    """Register a contractor with its agreement and the entries entrusted to it."""
    form = ContractorForm(user=current_user)
    if request.method == 'GET':
        form.countries.data = ['JP']
    if form.validate_on_submit():
        contractor = services.create_contractor(form.service_data(), actor=current_user,
                                                upload=form.upload)
        flash(_('%(name)s was registered.', name=contractor.name), 'success')
        return redirect(url_for('registers.contractor', contractor_id=contractor.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/contractor_form.html', form=form,
                           contractor=None), status


def _with_links(contractor):
    contractor.linked_entry_ids = ContractorEntry.entry_ids_of(contractor)
    return contractor


def _detail(contractor, check_form=None, status=200, message=None):
    today = today_local()
    entries = list(ContractorEntry.entries_of(contractor, current_user))
    checks = list(SupervisionCheck.of(contractor))
    agreements = list(RegisterDocument.agreements_of(contractor))
    if contractor.contact:
        services.record_read(contractor, ['contact'], 'contractor')
    return render_template(
        'registers/contractor.html', contractor=contractor, entries=entries, checks=checks,
        agreements=agreements, today=today, can_edit=Contractor.editable_by(current_user),
        check_form=check_form or CheckForm(formdata=None), message=message), status


@bp.route('/contractors/<int:contractor_id>')
@roles_required(*READERS)
def contractor(contractor_id):
    """A contractor: agreement, signed copies, supervision checks, entrusted entries.
    Showing the contact persons is recorded."""
    return _detail(get_contractor(contractor_id))


@bp.route('/contractors/<int:contractor_id>/edit', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def contractor_edit(contractor_id):
    """Edit a contractor; a stale save answers 409 with the other person's values."""
    contractor = _with_links(get_contractor(contractor_id))
    if request.method == 'POST':
        form = ContractorForm(user=current_user, contractor=contractor)
    else:
        form = ContractorForm(obj=contractor, user=current_user, contractor=contractor)
        form.countries.data = contractor.country_codes
        form.entries.data = [str(i) for i in contractor.linked_entry_ids]
        form.version.data = str(contractor.version)
        if contractor.contact:
            services.record_read(contractor, ['contact'], 'contractor edit')
    if form.validate_on_submit():
        try:
            contractor, changed = services.update_contractor(
                contractor, form.service_data(), expected_version=posted_version(form),
                actor=current_user, upload=form.upload)
        except services.Stale as exc:
            fresh = _with_links(exc.record)
            current = record_values(fresh, EDITABLE)
            current.update(countries=fresh.country_codes,
                           entries=[str(i) for i in fresh.linked_entry_ids])
            rows = conflict_rows(form, current)
            if fresh.contact:
                services.record_read(fresh, ['contact'], 'contractor conflict')
            form.version.data = str(fresh.version)
            form.version.raw_data = [str(fresh.version)]
            return render_template('registers/contractor_form.html', form=form,
                                   contractor=fresh, conflict=rows), 409
        flash(_('%(name)s was saved.', name=contractor.name) if changed
              else _('Nothing changed.'), 'success' if changed else 'info')
        return redirect(url_for('registers.contractor', contractor_id=contractor.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/contractor_form.html', form=form,
                           contractor=contractor), status


@bp.route('/contractors/<int:contractor_id>/checks', methods=['POST'])
@roles_required(R.COMMITTEE)
def contractor_check(contractor_id):
    """Record a supervision check; the next one falls due as entered."""
    contractor = get_contractor(contractor_id)
    form = CheckForm()
    if not form.validate_on_submit():
        return _detail(contractor, check_form=form, status=422)
    try:
        services.add_check(contractor, form.service_data(), actor=current_user)
    except services.Refused as exc:
        return _detail(contractor, check_form=form, status=409, message=exc.message)
    flash(_('The supervision check was recorded.'), 'success')
    return redirect(url_for('registers.contractor', contractor_id=contractor.id)
                    + '#registers-checks', 303)


@bp.route('/documents/<int:document_id>')
@roles_required(*READERS)
def document(document_id):
    """A signed agreement or a disposal certificate, for those who may read its record."""
    found = RegisterDocument.listing().where(RegisterDocument.id == document_id).first()
    if found is None:
        abort(404)
    if found.contractor_id is not None:
        get_contractor(found.contractor_id)
    else:
        disposal = Disposal.with_certificate(found.id)
        if disposal is None:
            abort(404)
        first_or_404(Asset.visible_to(current_user).where(Asset.id == disposal.asset_id),
                     Asset, disposal.asset_id)
    document = RegisterDocument.get_by_id(found.id)
    services.record_download(document, current_user)
    return uploads.download(document.content, document.filename, document.media_type)

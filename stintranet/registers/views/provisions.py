"""/registers/provisions/: third-party provision records (APPI Art. 29), by department."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles as R
from ...auth.decorators import roles_required
from ...exports import column, export_response
from ...htmx import vary_on_htmx
from ...ledger import catalogue as ledger_catalogue
from ...timezone import today_local
from .. import READERS, bp, services
from .. import catalogue as C
from ..forms import ProvisionFilterForm, ProvisionForm
from ..models import ProvisionRecord
from .common import (
    conflict_rows,
    entry_columns,
    export_filters,
    first_or_404,
    list_page,
    posted_version,
    record_values,
    require,
    visible_departments,
)

EDITABLE = ('entry', 'basis', 'recipient_name', 'recipient_address',
            'recipient_representative', 'recipient_country', 'provided_on', 'provided_until',
            'record_case', 'recorded_on', 'persons_description', 'items', 'person_count',
            'consent_evidence', 'note', 'keep_until')


def get_record(record_id):
    return first_or_404(ProvisionRecord.visible_to(current_user).where(
        ProvisionRecord.id == record_id), ProvisionRecord, record_id)


def filter_form():
    return ProvisionFilterForm(request.args, departments=visible_departments(current_user))


@bp.route('/provisions/')
@roles_required(*READERS)
def provisions():
    """Provision records of the user's departments (all for committee and auditors)."""
    today = today_local()
    return list_page(filter_form(),
                     lambda **f: ProvisionRecord.search(current_user, today=today, **f),
                     'registers/provisions.html', 'registers/_provision_rows.html',
                     can_create=bool(current_user.managed_department_ids)
                     and current_user.has_role(R.MANAGER))


@bp.route('/provisions/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def provisions_export(fmt):
    """The filtered records as CSV or XLSX (the user's departments only); audit-logged."""
    filters = export_filters(filter_form())
    today = today_local()
    columns = [
        column('reference', _('Ref.')),
        *entry_columns(),
        column('basis', _('Legal basis'), lambda r: str(r.basis_short)),
        column('recipient', _('Recipient'), lambda r: r.recipient_name),
        column('recipient_address', _('Recipient address')),
        column('recipient_representative', _('Representative')),
        column('recipient_country', _('Recipient country')),
        column('provided_on', _('Provided on')),
        column('provided_until', _('Provided until')),
        column('record_case', _('Record made'), lambda r: str(r.case_label)),
        column('recorded_on', _('Recorded on')),
        column('persons', _('Persons'), lambda r: r.persons_description),
        column('items', _('Items')),
        column('person_count', _('Number of persons')),
        column('consent_evidence', _('Consent evidence')),
        column('note', _('Note')),
        column('keep_until', _('Keep until')),
    ]
    return export_response(fmt, 'provision-records', columns,
                           ProvisionRecord.search(current_user, today=today, **filters),
                           object_type='provision_record', filters=filters,
                           title=_('Third-party provision'))


@bp.route('/provisions/basis')
@roles_required(*READERS)
def provision_basis():
    """htmx: what the chosen legal basis asks the record to hold."""
    basis = request.args.get('basis', '')
    if basis not in dict(C.BASES) and basis != '':
        abort(400)
    response = make_response(render_template('registers/_provision_basis.html', basis=basis,
                                             exempt=basis in C.RECORD_EXEMPT_BASES))
    return vary_on_htmx(response)


@bp.route('/provisions/new', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def provision_new():
    """Record a provision of personal data to a third party."""
    require(current_user.managed_department_ids)
    form = ProvisionForm(user=current_user)
    if request.method == 'GET' and request.args.get('entry'):
        form.entry.data = request.args.get('entry')
    if form.validate_on_submit():
        record = services.create_provision(form.service_data(), actor=current_user)
        flash(_('%(ref)s was recorded; it is kept until %(day)s.', ref=record.reference,
                day=record.keep_until.isoformat()), 'success')
        return redirect(url_for('registers.provision', record_id=record.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/provision_form.html', form=form, record=None,
                           minimum=form.minimum_keep_until()), status


@bp.route('/provisions/<int:record_id>')
@roles_required(*READERS)
def provision(record_id):
    """One provision record."""
    record = get_record(record_id)
    return render_template('registers/provision.html', record=record, today=today_local(),
                           editable=record.editable_by(current_user),
                           country_name=ledger_catalogue.country_name)


@bp.route('/provisions/<int:record_id>/edit', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def provision_edit(record_id):
    """Correct a record or extend its period; a stale save answers 409."""
    record = get_record(record_id)
    require(record.editable_by(current_user))
    if request.method == 'POST':
        form = ProvisionForm(user=current_user, record=record)
    else:
        form = ProvisionForm(obj=record, user=current_user, record=record)
        form.entry.data = str(record.entry_id)
        form.version.data = str(record.version)
        # An untouched keep-until at the legal minimum follows the dates when they change.
        if record.keep_until == record.minimum_keep_until:
            form.keep_until.data = None
    if form.validate_on_submit():
        try:
            record, changed = services.update_provision(
                record, form.service_data(), expected_version=posted_version(form),
                actor=current_user)
        except services.Stale as exc:
            fresh = exc.record
            form.version.data = str(fresh.version)
            form.version.raw_data = [str(fresh.version)]
            return render_template('registers/provision_form.html', form=form,
                                   record=get_record(fresh.id),
                                   conflict=conflict_rows(form, record_values(fresh, EDITABLE)),
                                   minimum=form.minimum_keep_until()), 409
        flash(_('%(ref)s was saved; it is kept until %(day)s.', ref=record.reference,
                day=record.keep_until.isoformat()) if changed else _('Nothing changed.'),
              'success' if changed else 'info')
        return redirect(url_for('registers.provision', record_id=record.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/provision_form.html', form=form, record=record,
                           minimum=form.minimum_keep_until()), status

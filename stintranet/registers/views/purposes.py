"""/registers/purpose-changes/: notices to the persons of a change of purpose of use."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...auth import roles as R
from ...auth.decorators import roles_required
from ...exports import column, export_response
from flask_babel import gettext as _
from ...inputs import int_arg
from ...ledger.models import LedgerEntry
from .. import READERS, bp, services
from ..forms import PurposeChangeFilterForm, PurposeChangeForm
from ..models import PurposeChange
from .common import (conflict_rows, entry_columns, export_filters, first_or_404, list_page,
                     posted_version, record_values, require, visible_departments,
                     visible_departments_query)

EDITABLE = ('entry', 'previous_purpose', 'new_purpose', 'notified_on', 'channel',
            'channel_detail', 'refusals_count', 'refusals_note')


def get_notice(notice_id):
    return first_or_404(PurposeChange.visible_to(current_user).where(
        PurposeChange.id == notice_id), PurposeChange, notice_id)


def filter_form():
    return PurposeChangeFilterForm(request.args, departments=visible_departments(current_user))


@bp.route('/purpose-changes/')
@roles_required(*READERS)
def purpose_changes():
    """Notices of a change of purpose, newest first."""
    return list_page(PurposeChangeFilterForm(request.args, departments=None),
                     lambda **f: PurposeChange.search(current_user, **f),
                     'registers/purpose_changes.html', 'registers/_purpose_change_rows.html',
                     departments=visible_departments_query(current_user),
                     can_create=bool(current_user.managed_department_ids)
                     and current_user.has_role(R.MANAGER))


@bp.route('/purpose-changes/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def purpose_changes_export(fmt):
    """The filtered notices as CSV or XLSX (the user's departments only); audit-logged."""
    filters = export_filters(filter_form())
    columns = [
        column('reference', _('Ref.')),
        *entry_columns(),
        column('previous_purpose', _('Previous purpose')),
        column('new_purpose', _('New purpose')),
        column('notified_on', _('Notified on')),
        column('channel', _('Channel'), lambda n: str(n.channel_label)),
        column('channel_detail', _('Channel detail')),
        column('refusals', _('Refusals'), lambda n: n.refusals_count),
        column('refusals_note', _('Refusals note')),
    ]
    return export_response(fmt, 'purpose-changes', columns,
                           PurposeChange.search(current_user, **filters),
                           object_type='purpose_change', filters=filters,
                           title=_('Purpose changes'))


@bp.route('/purpose-changes/new', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def purpose_change_new():
    """Record that the persons were told of a new purpose of use."""
    require(current_user.managed_department_ids)
    form = PurposeChangeForm(user=current_user)
    if request.method == 'GET':
        entry_id = int_arg(request.args.get('entry'))
        entry = LedgerEntry.get_or_none(LedgerEntry.id == entry_id) if entry_id else None
        if entry is not None and current_user.manages(entry.department_id):
            form.entry.data = str(entry.id)
            form.previous_purpose.data = entry.purposes
    if form.validate_on_submit():
        notice = services.create_purpose_change(form.service_data(), actor=current_user)
        flash(_('%(ref)s was recorded.', ref=notice.reference), 'success')
        return redirect(url_for('registers.purpose_change', notice_id=notice.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/purpose_change_form.html', form=form,
                           notice=None), status


@bp.route('/purpose-changes/<int:notice_id>')
@roles_required(*READERS)
def purpose_change(notice_id):
    """One notice."""
    notice = get_notice(notice_id)
    return render_template('registers/purpose_change.html', notice=notice,
                           editable=notice.editable_by(current_user))


@bp.route('/purpose-changes/<int:notice_id>/edit', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def purpose_change_edit(notice_id):
    """Update a notice, e.g. as refusals come in; a stale save answers 409."""
    notice = get_notice(notice_id)
    require(notice.editable_by(current_user))
    if request.method == 'POST':
        form = PurposeChangeForm(user=current_user, notice=notice)
    else:
        form = PurposeChangeForm(obj=notice, user=current_user, notice=notice)
        form.entry.data = str(notice.entry_id)
        form.version.data = str(notice.version)
    if form.validate_on_submit():
        try:
            notice, changed = services.update_purpose_change(
                notice, form.service_data(), expected_version=posted_version(form),
                actor=current_user)
        except services.Stale as exc:
            fresh = exc.record
            form.version.data = str(fresh.version)
            form.version.raw_data = [str(fresh.version)]
            return render_template('registers/purpose_change_form.html', form=form,
                                   notice=get_notice(fresh.id),
                                   conflict=conflict_rows(form, record_values(fresh, EDITABLE))
                                   ), 409
        flash(_('%(ref)s was saved.', ref=notice.reference) if changed
              else _('Nothing changed.'), 'success' if changed else 'info')
        return redirect(url_for('registers.purpose_change', notice_id=notice.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/purpose_change_form.html', form=form,
                           notice=notice), status

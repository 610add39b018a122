"""/registers/purpose-changes/: notices to the persons of a change of purpose of use."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles as R
from ...auth.decorators import roles_required
from ...exports import column, export_response
from ...htmx import vary_on_htmx
from ...inputs import int_arg
from ...ledger.models import LedgerEntry
from .. import READERS, bp, services
from ..forms import PurposeChangeFilterForm, PurposeChangeForm, WithdrawForm
from ..models import PurposeChange
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

EDITABLE = ('new_purpose', 'notified_on', 'effective_on', 'channel', 'channel_detail',
            'refusals_count', 'refusals_note')


def get_notice(notice_id):
    return first_or_404(PurposeChange.visible_to(current_user).where(
        PurposeChange.id == notice_id), PurposeChange, notice_id)


def filter_form():
    return PurposeChangeFilterForm(request.args, departments=visible_departments(current_user))


@bp.route('/purpose-changes/')
@roles_required(*READERS)
def purpose_changes():
    """Notices of a change of purpose, newest first."""
    return list_page(filter_form(),
                     lambda **f: PurposeChange.search(current_user, **f),
                     'registers/purpose_changes.html', 'registers/_purpose_change_rows.html',
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
        column('effective_on', _('Takes effect on')),
        column('status', _('Status'), lambda n: str(n.status_label)),
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
    if form.validate_on_submit():
        try:
            notice = services.create_purpose_change(form.service_data(), actor=current_user)
        except services.Refused as exc:
            return render_template('registers/purpose_change_form.html', form=form,
                                   notice=None, message=exc.message), 409
        flash(_('%(ref)s was recorded; it is in effect.', ref=notice.reference)
              if notice.status == 'applied' else
              _('%(ref)s was recorded; the entry gets the new purposes on %(day)s.',
                ref=notice.reference, day=notice.effective_on.isoformat()), 'success')
        return redirect(url_for('registers.purpose_change', notice_id=notice.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/purpose_change_form.html', form=form,
                           notice=None), status


@bp.route('/purpose-changes/current-purposes')
@roles_required(R.MANAGER)
def purpose_change_current():
    """htmx: the chosen entry's purposes of use now (the notice's previous purposes), as
    the manager picks the entry in the form."""
    form = PurposeChangeForm(request.args, user=current_user, meta={'csrf': False})
    return vary_on_htmx(make_response(render_template(
        'registers/_purpose_current.html', form=form)))


@bp.route('/purpose-changes/<int:notice_id>')
@roles_required(*READERS)
def purpose_change(notice_id):
    """One notice."""
    return render_notice(get_notice(notice_id))


def render_notice(notice, status=200, withdraw_form=None, message=None):
    return render_template('registers/purpose_change.html', notice=notice,
                           editable=notice.editable_by(current_user),
                           withdraw_form=withdraw_form or WithdrawForm(formdata=None),
                           message=message), status


@bp.route('/purpose-changes/<int:notice_id>/withdraw', methods=['POST'])
@roles_required(R.MANAGER)
def purpose_change_withdraw(notice_id):
    """Withdraw a notice before it takes effect (with the reason): the entry keeps its
    purposes."""
    notice = get_notice(notice_id)
    require(notice.editable_by(current_user))
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_notice(notice, 422, withdraw_form=form)
    try:
        services.withdraw_purpose_change(notice, reason=form.reason.data, actor=current_user)
    except services.Refused as exc:
        return render_notice(get_notice(notice.id), 409, withdraw_form=form,
                             message=exc.message)
    flash(_('%(ref)s was withdrawn; the entry keeps its purposes.', ref=notice.reference),
          'success')
    return redirect(url_for('registers.purpose_change', notice_id=notice.id), 303)


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
        form.version.data = str(notice.version)
    if form.validate_on_submit():
        try:
            notice, changed = services.update_purpose_change(
                notice, form.service_data(), expected_version=posted_version(form),
                actor=current_user)
        except services.Refused as exc:
            return render_notice(get_notice(notice.id), 409, message=exc.message)
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

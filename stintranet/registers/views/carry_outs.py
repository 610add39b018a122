"""/registers/carry-outs/: anyone asks to carry out a device or medium of their
department; the approvers see what awaits their decision (decided on the asset's page)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles as R
from ...auth.decorators import roles_required
from ...exports import column, export_response
from ...htmx import hx_trigger, is_htmx
from ...timezone import today_local
from .. import CARRY_OUT_ROLES, bp, services
from ..forms import CarryOutFilterForm, CarryOutForm
from ..models import Asset, CarryOut
from .common import export_filters, first_or_404, list_page

CHANGED_EVENT = 'registers-carry-out-changed'


def filter_form():
    return CarryOutFilterForm(request.args)


def listing(show=None):
    return CarryOut.listing(current_user, show=show or 'mine')


def render_list(**extra):
    """The list page, or its rows for htmx."""
    return list_page(filter_form(), listing, 'registers/carry_outs.html',
                     'registers/_carry_out_rows.html',
                     awaiting=CarryOut.awaiting(current_user).count(), **extra)


@bp.route('/carry-outs/')
@roles_required(*CARRY_OUT_ROLES)
def carry_outs():
    """The carry-outs the person asked for (or recorded), or those awaiting their
    decision."""
    return render_list()


@bp.route('/carry-outs/export.<any(csv, xlsx):fmt>')
@roles_required(*CARRY_OUT_ROLES)
def carry_outs_export(fmt):
    """The list as shown, as CSV or XLSX; audit-logged."""
    filters = export_filters(filter_form())
    columns = [
        column('asset', _('Asset tag'), lambda c: c.asset.tag),
        column('department', _('Department'), lambda c: c.asset.department.code),
        column('requested_by', _('Requested by'), lambda c: c.requested_by.name),
        column('out_on', _('Taken out on')),
        column('expected_return_on', _('Expected back on')),
        column('destination', _('Destination')),
        column('purpose', _('Purpose')),
        column('status', _('Status'), lambda c: str(c.status_label)),
        column('approver', _('Decided by'), lambda c: str(c.approver_label)),
        column('exception_reason', _('Why an unencrypted medium (exception)')),
        column('returned_on', _('Returned on')),
    ]
    return export_response(fmt, 'carry-outs', columns, listing(**filters),
                           object_type='asset_carry_out', filters=filters,
                           title=_('Carry-outs'))


@bp.route('/carry-outs/new', methods=['GET', 'POST'])
@roles_required(*CARRY_OUT_ROLES)
def carry_out_request():
    """Ask to take a device or medium of one's department out of the office."""
    form = CarryOutForm(user=current_user)
    if request.method == 'GET':
        form.out_on.data = today_local()
        if request.args.get('asset'):
            form.asset.data = request.args['asset']
    if form.validate_on_submit():
        asset = form.chosen_asset()
        try:
            carry_out = services.request_carry_out(asset, form.service_data(),
                                                   actor=current_user)
        except services.Refused as exc:
            return render_template('registers/carry_out_form.html', form=form, asset=None,
                                   message=exc.message), 409
        flash(approval_message(carry_out, asset), 'success')
        return redirect(url_for('registers.carry_outs'), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/carry_out_form.html', form=form, asset=None), status


def approval_message(carry_out, asset):
    if carry_out.approver == 'committee':
        return _('Your request for %(tag)s was recorded; the Protection Committee decides '
                 'on it.', tag=asset.tag)
    return _('Your request for %(tag)s was recorded; another manager of %(dept)s decides '
             'on it.', tag=asset.tag, dept=asset.department.code)


@bp.route('/carry-outs/<int:carry_out_id>/cancel', methods=['POST'])
@roles_required(*CARRY_OUT_ROLES)
def carry_out_cancel(carry_out_id):
    """The requester (or a manager of the department) cancels before the asset leaves;
    one already out, decided or cancelled is a 409."""
    carry_out = first_or_404(_cancellable(carry_out_id), CarryOut, carry_out_id)
    asset = Asset.get_by_id(carry_out.asset_id)
    try:
        services.cancel_carry_out(asset, carry_out.id, actor=current_user)
    except services.Refused as exc:
        if is_htmx():
            response = render_list(message=exc.message)
            response.status_code = 409
            return response
        flash(exc.message, 'error')
        return redirect(url_for('registers.carry_outs'), 303)
    message = _('The carry-out of %(tag)s was cancelled.', tag=asset.tag)
    if is_htmx():
        return hx_trigger(render_list(notice=message), CHANGED_EVENT)
    flash(message, 'success')
    return redirect(url_for('registers.carry_outs'), 303)


def _cancellable(carry_out_id):
    """The carry-out when the person asked for it, recorded it or manages its
    department (for anyone else it does not exist: 404)."""
    condition = ((CarryOut.requested_by == current_user.id)
                 | (CarryOut.recorded_by == current_user.id))
    if current_user.has_role(R.MANAGER) and current_user.managed_department_ids:
        condition |= Asset.department.in_(sorted(current_user.managed_department_ids))
    return (CarryOut.select().join(Asset, on=(CarryOut.asset == Asset.id))
            .where((CarryOut.id == carry_out_id) & condition))

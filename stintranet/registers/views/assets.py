"""/registers/assets/: devices and media, their carry-outs and their disposal."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles as R
from ...auth.decorators import roles_required
from ...exports import column, export_response
from ...htmx import hx_trigger, is_htmx, vary_on_htmx
from ...timezone import today_local
from .. import READERS, bp, services
from ..forms import AssetFilterForm, AssetForm, CarryOutForm, DecisionForm, DisposalForm, ReturnForm
from ..models import Asset, AssetEntry, CarryOut, Disposal
from .common import (
    conflict_rows,
    export_filters,
    first_or_404,
    list_page,
    posted_version,
    record_values,
    require,
    visible_departments,
)

EDITABLE = ('tag', 'kind', 'description', 'department', 'location', 'custodian', 'portable',
            'encrypted', 'locked_storage', 'note', 'entries')
CHANGED_EVENT = 'registers-asset-changed'


def get_asset(asset_id):
    return first_or_404(Asset.visible_to(current_user).where(Asset.id == asset_id), Asset,
                        asset_id)


def filter_form():
    return AssetFilterForm(request.args, departments=visible_departments(current_user))


def _with_links(asset):
    asset.linked_entry_ids = AssetEntry.entry_ids_of(asset)
    return asset


@bp.route('/assets/')
@roles_required(*READERS)
def assets():
    """Devices and media of the user's departments, with their flags."""
    today = today_local()
    return list_page(filter_form(),
                     lambda **f: Asset.search(current_user, today=today, **f),
                     'registers/assets.html', 'registers/_asset_rows.html',
                     can_create=bool(current_user.managed_department_ids)
                     and current_user.has_role(R.MANAGER))


@bp.route('/assets/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def assets_export(fmt):
    """The filtered assets as CSV or XLSX (the user's departments only); audit-logged."""
    filters = export_filters(filter_form())
    today = today_local()

    def expected_back(a):
        carry = getattr(a, 'open_carry_out', None)
        return carry.expected_return_on if carry is not None and carry.id else None

    columns = [
        column('tag', _('Asset tag')),
        column('type', _('Type'), lambda a: str(a.kind_label)),
        column('description', _('Description')),
        column('department', _('Department'), lambda a: a.department.code),
        column('location', _('Location')),
        column('custodian', _('Custodian'),
               lambda a: a.custodian.name if a.custodian_id and a.custodian else ''),
        column('portable', _('Portable')),
        column('encrypted', _('Encrypted')),
        column('locked_storage', _('Locked storage')),
        column('state', _('State'), lambda a: str(a.state_label)),
        column('unencrypted_portable', _('Unencrypted portable')),
        column('expected_back_on', _('Expected back on'), expected_back),
    ]
    return export_response(fmt, 'assets', columns,
                           Asset.search(current_user, today=today, **filters),
                           object_type='asset', filters=filters,
                           title=_('Devices and media'))


@bp.route('/assets/new', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def asset_new():
    """Register a device or medium in one of the user's departments."""
    require(current_user.managed_department_ids)
    form = AssetForm(user=current_user)
    if request.method == 'GET':
        if len(current_user.managed_department_ids) == 1:
            form.department.data = str(next(iter(current_user.managed_department_ids)))
        form.custodian.data = str(current_user.id)
    if form.validate_on_submit():
        asset = services.create_asset(form.service_data(), actor=current_user)
        flash(_('%(tag)s was registered.', tag=asset.tag), 'success')
        return redirect(url_for('registers.asset', asset_id=asset.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/asset_form.html', form=form, asset=None), status


def status_context(asset, **extra):
    """What the asset's status fragment shows: carry-outs, disposal, allowed actions."""
    carry_outs = list(CarryOut.of(asset))
    open_carry_out = next((c for c in carry_outs if c.is_open), None)
    context = {
        'asset': asset, 'carry_outs': carry_outs, 'today': today_local(),
        'disposal': Disposal.of(asset) if asset.is_disposed else None,
        'editable': asset.editable_by(current_user),
        'open_carry_out': open_carry_out,
        'can_decide': bool(open_carry_out and open_carry_out.may_be_decided_by(
            current_user, asset.department_id)),
        'can_cancel': bool(open_carry_out and open_carry_out.may_be_cancelled_by(
            current_user, asset.department_id)),
        'decision_form': DecisionForm(formdata=None),
        'return_form': ReturnForm(formdata=None),
        'message': None,
    }
    context.update(extra)
    return context


def render_status(asset, status=200, **extra):
    """The fragment for htmx, else the whole asset page."""
    if is_htmx():
        response = make_response(render_template('registers/_asset_status.html',
                                                 **status_context(asset, **extra)), status)
    else:
        response = make_response(render_template(
            'registers/asset.html', entries=list(AssetEntry.entries_of(asset, current_user)),
            **status_context(asset, **extra)), status)
    return vary_on_htmx(response)


@bp.route('/assets/<int:asset_id>')
@roles_required(*READERS)
def asset(asset_id):
    """An asset with its linked entries, carry-outs and disposal."""
    return render_status(get_asset(asset_id))


@bp.route('/assets/<int:asset_id>/edit', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def asset_edit(asset_id):
    """Edit an asset (not once disposed of); a stale save answers 409."""
    asset = _with_links(get_asset(asset_id))
    require(asset.editable_by(current_user))
    if asset.is_disposed:
        return render_status(asset, 409, message=_(
            '%(tag)s was disposed of; its record can no longer change.', tag=asset.tag))
    if request.method == 'POST':
        form = AssetForm(user=current_user, asset=asset)
    else:
        form = AssetForm(obj=asset, user=current_user, asset=asset)
        form.department.data = str(asset.department_id)
        form.custodian.data = str(asset.custodian_id or '')
        form.entries.data = [str(i) for i in asset.linked_entry_ids]
        form.version.data = str(asset.version)
    if form.validate_on_submit():
        try:
            asset, changed = services.update_asset(
                asset, form.service_data(), expected_version=posted_version(form),
                actor=current_user)
        except services.Stale as exc:
            fresh = _with_links(exc.record)
            current = record_values(fresh, EDITABLE)
            current['entries'] = [str(i) for i in fresh.linked_entry_ids]
            form.version.data = str(fresh.version)
            form.version.raw_data = [str(fresh.version)]
            return render_template('registers/asset_form.html', form=form, asset=fresh,
                                   conflict=conflict_rows(form, current)), 409
        except services.Refused as exc:
            return render_status(get_asset(asset.id), 409, message=exc.message)
        flash(_('%(tag)s was saved.', tag=asset.tag) if changed else _('Nothing changed.'),
              'success' if changed else 'info')
        return redirect(url_for('registers.asset', asset_id=asset.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/asset_form.html', form=form, asset=asset), status


def _refusal_for_new_action(asset):
    """Why no carry-out or disposal can start now, or None (the services check again)."""
    if asset.is_disposed:
        return _('%(tag)s was disposed of: it cannot be carried out or disposed of again.',
                 tag=asset.tag)
    if CarryOut.in_progress(asset.id):
        return _('%(tag)s has a carry-out in progress: record its return or reject the '
                 'request first.', tag=asset.tag)
    return None


@bp.route('/assets/<int:asset_id>/carry-outs/new', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def carry_out_new(asset_id):
    """Record a request to take the asset out of the office."""
    asset = get_asset(asset_id)
    require(asset.editable_by(current_user))
    refusal = _refusal_for_new_action(asset)
    if refusal:
        return render_status(asset, 409, message=refusal)
    form = CarryOutForm(user=current_user, asset=asset)
    if request.method == 'GET':
        form.out_on.data = today_local()
        form.requested_by.data = str(current_user.id)
    if form.validate_on_submit():
        try:
            carry_out = services.request_carry_out(asset, form.service_data(),
                                                   actor=current_user)
        except services.Refused as exc:
            return render_template('registers/carry_out_form.html', form=form, asset=asset,
                                   message=exc.message), 409
        flash(_('The carry-out request was recorded; the Protection Committee decides on it.')
              if carry_out.approver == 'committee' else
              _('The carry-out request was recorded; a manager of %(dept)s other than the '
                'requester approves it.', dept=asset.department.code), 'success')
        return redirect(url_for('registers.asset', asset_id=asset.id) + '#registers-asset-status',
                        303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/carry_out_form.html', form=form, asset=asset), status


def _after_change(asset_id, message):
    """htmx: the refreshed fragment and an event; otherwise post/redirect/get."""
    if is_htmx():
        response = render_status(get_asset(asset_id), 200, notice=message)
        return hx_trigger(response, CHANGED_EVENT)
    flash(message, 'success')
    return redirect(url_for('registers.asset', asset_id=asset_id) + '#registers-asset-status',
                    303)


@bp.route('/assets/<int:asset_id>/carry-outs/<int:carry_out_id>/<any(approve,reject):decision>',
          methods=['POST'])
@roles_required(R.MANAGER, R.COMMITTEE)
def carry_out_decide(asset_id, carry_out_id, decision):
    """Approve or reject a request: a manager of the department, or a committee member
    for a request that went to the committee; never the requester."""
    asset = get_asset(asset_id)
    require(asset.editable_by(current_user) or current_user.has_role(R.COMMITTEE))
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_status(asset, 422, decision_form=form, decision_for=carry_out_id)
    if decision == 'reject' and not form.note.data:
        form.note.errors.append(_('Give the reason for the rejection.'))
        return render_status(asset, 422, decision_form=form, decision_for=carry_out_id)
    try:
        carry_out = services.decide_carry_out(asset, carry_out_id,
                                              approve=decision == 'approve',
                                              actor=current_user, note=form.note.data or '')
    except services.Refused as exc:
        return render_status(get_asset(asset.id), 409, message=exc.message)
    if carry_out.status == 'out':
        message = _('The carry-out was approved: %(tag)s is out.', tag=asset.tag)
    elif carry_out.status == 'approved':
        message = _('The carry-out was approved: %(tag)s goes out on %(day)s.', tag=asset.tag,
                    day=carry_out.out_on.isoformat())
    else:
        message = _('The carry-out request was rejected.')
    return _after_change(asset.id, message)


@bp.route('/assets/<int:asset_id>/carry-outs/<int:carry_out_id>/cancel', methods=['POST'])
@roles_required(R.MANAGER)
def carry_out_cancel_on_asset(asset_id, carry_out_id):
    """A manager of the department cancels a carry-out before the asset leaves."""
    asset = get_asset(asset_id)
    require(asset.editable_by(current_user))
    try:
        services.cancel_carry_out(asset, carry_out_id, actor=current_user)
    except services.Refused as exc:
        return render_status(get_asset(asset.id), 409, message=exc.message)
    return _after_change(asset.id, _('The carry-out of %(tag)s was cancelled.', tag=asset.tag))


@bp.route('/assets/<int:asset_id>/carry-outs/<int:carry_out_id>/return', methods=['POST'])
@roles_required(R.MANAGER)
def carry_out_return(asset_id, carry_out_id):
    """Record that the asset came back."""
    asset = get_asset(asset_id)
    require(asset.editable_by(current_user))
    form = ReturnForm()
    if not form.validate_on_submit():
        return render_status(asset, 422, return_form=form)
    try:
        services.record_return(asset, carry_out_id, {'returned_on': form.returned_on.data,
                                                     'note': form.note.data or ''},
                               actor=current_user)
    except services.Refused as exc:
        return render_status(get_asset(asset.id), 409, message=exc.message, return_form=form)
    return _after_change(asset.id, _('The return of %(tag)s was recorded.', tag=asset.tag))


@bp.route('/assets/<int:asset_id>/dispose', methods=['GET', 'POST'])
@roles_required(R.MANAGER)
def asset_dispose(asset_id):
    """Record the disposal: method, witness and certificate; the asset leaves service."""
    asset = get_asset(asset_id)
    require(asset.editable_by(current_user))
    refusal = _refusal_for_new_action(asset)
    if refusal:
        return render_status(asset, 409, message=refusal)
    form = DisposalForm()
    if request.method == 'GET':
        form.performed_by.data = str(current_user.id)
    if form.validate_on_submit():
        try:
            services.dispose_asset(asset, form.service_data(), actor=current_user,
                                   upload=form.upload)
        except services.Refused as exc:
            return render_template('registers/disposal_form.html', form=form, asset=asset,
                                   message=exc.message), 409
        flash(_('The disposal of %(tag)s was recorded.', tag=asset.tag), 'success')
        return redirect(url_for('registers.asset', asset_id=asset.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('registers/disposal_form.html', form=form, asset=asset), status

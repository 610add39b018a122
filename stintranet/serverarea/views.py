"""/server-area/: the areas, the door tablet, and the logs of entries and devices."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from .. import exports, refusals
from ..auth.decorators import roles_required
from ..auth.models import User
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..pagination import paginate
from ..timezone import today_local
from . import MANAGERS, READERS, bp, services
from .forms import (
    AreaEditForm,
    AreaForm,
    AuthoriseForm,
    ConfirmForm,
    DeviceFilterForm,
    DeviceForm,
    EntryFilterForm,
    EntryForm,
    approvers,
)
from .models import AreaDevice, AreaEntry, AuthorisedPerson, ServerArea, flag_counts

CHANGED = 'serverarea-changed'


def get_area(area_id):
    """The area if the user may read it, else 404 (another department's area included)."""
    area = ServerArea.visible_to(current_user).where(ServerArea.id == area_id).first()
    if area is None:
        refusals.not_found(ServerArea, area_id)
    return area


def managed_area(area_id):
    area = get_area(area_id)
    if not area.managed_by(current_user):
        abort(403)
    return area


def area_record(model, area, record_id):
    record = model.get_or_none((model.id == record_id) & (model.area == area.id))
    if record is None:
        abort(404)
    return record


@bp.route('/')
@roles_required(*READERS)
def index():
    """The areas the user may read, with who is inside and what needs attention."""
    today = today_local()
    areas = list(ServerArea.listing(current_user, today))
    return render_template('serverarea/index.html', areas=areas, today=today,
                           flags=flag_counts(current_user, today),
                           can_create=current_user.has_role(*MANAGERS)
                           and bool(AreaForm(user=current_user).department.choices))


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def export(fmt):
    """The areas as CSV or XLSX (audit-logged)."""
    today = today_local()
    columns = [
        exports.column('name', _('Area')),
        exports.column('department', _('Department'), lambda a: a.department.code),
        exports.column('location', _('Location')),
        exports.column('active', _('In use')),
        exports.column('authorised', _('Authorised persons'), lambda a: a.authorised_count),
        exports.column('inside', _('Inside now'), lambda a: a.inside_count),
        exports.column('no_exit', _('No exit recorded'), lambda a: a.stale_count),
    ]
    return exports.export_response(fmt, 'server-areas', columns,
                                   ServerArea.listing(current_user, today),
                                   object_type='server_area', title=_('Server areas'))


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(*MANAGERS)
def area_new():
    """A new area of a department the user manages."""
    form = AreaForm(user=current_user)
    if not form.department.choices:
        abort(403)
    if form.validate_on_submit():
        try:
            area = services.create_area(form.service_data(), current_user)
        except services.AreaError as exc:
            abort(exc.status)
        flash(_('The area %(name)s was added.', name=area.name), 'success')
        return redirect(url_for('serverarea.area', area_id=area.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('serverarea/area_form.html', form=form, area=None), status


def area_context(area, **extra):
    today = today_local()
    context = {
        'area': area, 'today': today,
        'persons': AuthorisedPerson.of_area(area),
        'open_entries': AreaEntry.open_in(area),
        'manages': area.managed_by(current_user),
        'authorise_form': AuthoriseForm(formdata=None, valid_from=today),
        'confirm_form': ConfirmForm(formdata=None),
    }
    context['devices'] = AreaDevice.of_entries([e.id for e in context['open_entries']])
    context.update(extra)
    return context


@bp.route('/<int:area_id>')
@roles_required(*READERS)
def area(area_id):
    """One area: its rules, the authorised persons and who is inside now."""
    return render_template('serverarea/area.html', **area_context(get_area(area_id)))


@bp.route('/<int:area_id>/edit', methods=['GET', 'POST'])
@roles_required(*MANAGERS)
def area_edit(area_id):
    """Edit the area; a stale save answers 409 with the other person's version."""
    area = managed_area(area_id)
    form = AreaEditForm(user=current_user, area=area, obj=None if request.method == 'POST'
                        else area)
    if request.method == 'GET':
        form.department.data = area.department_id
        form.version.data = area.version
    status = 200
    if form.validate_on_submit():
        try:
            area = services.update_area(area, form.service_data(), form.version_value(),
                                        current_user)
        except services.AreaError as exc:
            if exc.status == 403:
                abort(403)
            fresh = get_area(area_id)
            form.version.data = fresh.version
            return render_template('serverarea/area_form.html', form=form, area=fresh,
                                   conflict=exc.message), exc.status
        flash(_('The area was saved.'), 'success')
        return redirect(url_for('serverarea.area', area_id=area.id), 303)
    if request.method == 'POST':
        status = 422
    return render_template('serverarea/area_form.html', form=form, area=area), status


def persons_response(area, status=200, **extra):
    """The authorised persons' fragment for htmx, else the area page."""
    context = area_context(area, **extra)
    template = 'serverarea/_persons.html' if is_htmx() else 'serverarea/area.html'
    return vary_on_htmx(make_response(render_template(template, **context), status))


@bp.route('/<int:area_id>/persons', methods=['POST'])
@roles_required(*MANAGERS)
def authorise(area_id):
    """Authorise a person to enter the area."""
    area = managed_area(area_id)
    form = AuthoriseForm()
    if not form.validate_on_submit():
        return persons_response(area, 422, authorise_form=form)
    person = User.get_by_id(int(form.user.data))
    services.authorise(area, person, form.valid_from.data, form.valid_until.data,
                       form.note.data, current_user)
    response = persons_response(area, notice=_('%(name)s is authorised.', name=person.name))
    return hx_trigger(response, CHANGED)


@bp.route('/<int:area_id>/persons/<int:person_id>/end', methods=['POST'])
@roles_required(*MANAGERS)
def end_authorisation(area_id, person_id):
    """End an authorisation today (it stays on record)."""
    area = managed_area(area_id)
    person = area_record(AuthorisedPerson, area, person_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.end_authorisation(person, area, today_local(), current_user)
    except services.AreaError as exc:
        if exc.status == 403:
            abort(403)
        return persons_response(area, exc.status, problem=exc.message)
    return hx_trigger(persons_response(area, notice=_('The authorisation was ended.')),
                      CHANGED)


def door_context(area, form=None, **extra):
    today = today_local()
    people = AuthorisedPerson.current(area, today)
    open_entries = AreaEntry.open_in(area)
    context = {
        'area': area, 'today': today, 'people': people,
        'form': form or EntryForm(formdata=None, people=people),
        'open_entries': open_entries,
        'inside_ids': {e.person_id for e in open_entries if e.person_id},
        'devices': AreaDevice.of_entries([e.id for e in open_entries]),
        'confirm_form': ConfirmForm(formdata=None), 'manages': True,
    }
    context.update(extra)
    return context


@bp.route('/<int:area_id>/door', methods=['GET', 'POST'])
@roles_required(*MANAGERS)
def door(area_id):
    """The tablet at the door: a purpose, then a person's button; visitors with an escort."""
    area = managed_area(area_id)
    if request.method == 'GET':
        return render_template('serverarea/door.html', **door_context(area))
    today = today_local()
    people = AuthorisedPerson.current(area, today)
    form = EntryForm(people=people)
    if not form.validate_on_submit():
        return door_response(area, 422, form=form)
    person = User.get_by_id(form.person_id()) if form.person_id() else None
    escort = User.get_by_id(form.escort_id()) if form.escort_id() else None
    try:
        entry = services.record_entry(
            area, actor=current_user, today=today, person=person,
            visitor_name=form.visitor_name.data or '',
            visitor_company=form.visitor_company.data or '', escort=escort,
            purpose=form.purpose.data, purpose_detail=form.purpose_detail.data)
    except services.AreaError as exc:
        if exc.status == 403:
            abort(403)
        return door_response(area, exc.status, form=form, problem=exc.message)
    notice = _('%(who)s entered.', who=entry.who)
    warning = (_('%(who)s is not authorised for this area and has no escort: the '
                 'committee will be told.', who=entry.who) if entry.unescorted else None)
    if not is_htmx():
        flash(notice, 'success')
        if warning:
            flash(warning, 'error')
        return redirect(url_for('serverarea.door', area_id=area.id), 303)
    return door_response(area, 200, notice=notice, warning=warning)


def door_response(area, status, form=None, **extra):
    """The entry form's fragment for htmx (the open list follows the event), else the page."""
    context = door_context(area, form=form, **extra)
    template = 'serverarea/_door_form.html' if is_htmx() else 'serverarea/door.html'
    response = vary_on_htmx(make_response(render_template(template, **context), status))
    return hx_trigger(response, CHANGED) if status == 200 else response


def open_response(area, status=200, **extra):
    """Who is inside now, as the fragment the door and the area page refresh."""
    context = door_context(area, **extra)
    context['manages'] = area.managed_by(current_user)
    response = make_response(render_template('serverarea/_open.html', **context), status)
    return vary_on_htmx(response)


@bp.route('/<int:area_id>/open')
@roles_required(*READERS)
def open_entries(area_id):
    """The open entries' fragment (refreshed after every change at the door)."""
    return open_response(get_area(area_id))


def back_to_door(area, status=200, **extra):
    """After an exit, a device or an approval: the open list for htmx, else the door page
    (or the devices log the button was pressed on)."""
    if is_htmx():
        return open_response(area, status, **extra)
    for key in ('notice', 'problem'):
        if extra.get(key):
            flash(extra[key], 'success' if key == 'notice' else 'error')
    if request.form.get('back') == 'devices':
        return redirect(url_for('serverarea.devices'), 303)
    return redirect(url_for('serverarea.door', area_id=area.id), 303)


@bp.route('/<int:area_id>/entries/<int:entry_id>/exit', methods=['POST'])
@roles_required(*MANAGERS)
def exit_entry(area_id, entry_id):
    """Record that the person left (with their devices)."""
    area = managed_area(area_id)
    entry = area_record(AreaEntry, area, entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        entry = services.record_exit(entry, area, current_user)
    except services.AreaError as exc:
        if exc.status == 403:
            abort(403)
        return back_to_door(area, exc.status, problem=exc.message)
    person = entry.person.name if entry.person_id else entry.who
    return back_to_door(area, notice=_('%(who)s left.', who=person))


def device_form_response(area, entry, form, status=200, problem=None):
    template = 'serverarea/_device_form.html' if is_htmx() else 'serverarea/device_form.html'
    response = make_response(render_template(template, area=area, entry=entry, form=form,
                                             problem=problem), status)
    return vary_on_htmx(response)


@bp.route('/<int:area_id>/entries/<int:entry_id>/devices/new', methods=['GET', 'POST'])
@roles_required(*MANAGERS)
def device_new(area_id, entry_id):
    """A device the person of an open entry brings in: kind, inspected, approved by."""
    area = managed_area(area_id)
    entry = area_record(AreaEntry, area, entry_id)
    choices = approvers(area)
    form = DeviceForm(approver_choices=choices)
    if request.method == 'GET':
        form.approver.data = str(current_user.id) if any(
            u.id == current_user.id for u in choices) else ''
        return device_form_response(area, entry, form)
    if not form.validate_on_submit():
        return device_form_response(area, entry, form, 422)
    approver = next((u for u in choices if u.id == form.approver_id()), None)
    try:
        services.add_device(entry, area, kind=form.kind.data,
                            description=form.description.data,
                            inspected=form.inspected.data == 'yes', approver=approver,
                            actor=current_user)
    except services.AreaError as exc:
        if exc.status == 403:
            abort(403)
        return device_form_response(area, entry, form, exc.status, problem=exc.message)
    return back_to_door(area, notice=_('The device was recorded.'))


@bp.route('/<int:area_id>/devices/<int:device_id>/approve', methods=['POST'])
@roles_required(*MANAGERS)
def device_approve(area_id, device_id):
    """Approve a device brought in (the approver is the signed-in manager)."""
    area = managed_area(area_id)
    device = area_record(AreaDevice, area, device_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.approve_device(device, area, current_user)
    except services.AreaError as exc:
        if exc.status == 403:
            abort(403)
        return back_to_door(area, exc.status, problem=exc.message)
    return back_to_door(area, notice=_('The device was approved.'))


@bp.route('/<int:area_id>/devices/<int:device_id>/out', methods=['POST'])
@roles_required(*MANAGERS)
def device_out(area_id, device_id):
    """The device leaves before its owner."""
    area = managed_area(area_id)
    device = area_record(AreaDevice, area, device_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.device_out(device, area, current_user)
    except services.AreaError as exc:
        if exc.status == 403:
            abort(403)
        return back_to_door(area, exc.status, problem=exc.message)
    return back_to_door(area, notice=_('The device was taken out.'))


def list_page(form, search, page_template, rows_template, **context):
    """A filtered log a page at a time; htmx gets the rows. A bad filter: 422 with the
    field marked and the unfiltered log."""
    status, filters = 200, {}
    if request.args and not form.validate():
        status = 422
    else:
        filters = form.filters()
    page = paginate(search(**filters))
    template = rows_template if is_htmx() else page_template
    response = make_response(render_template(template, form=form, page=page, **context),
                             status)
    return vary_on_htmx(response)


def export_filters(form):
    if request.args and not form.validate():
        abort(422)
    return form.filters()


def entry_filter_form():
    return EntryFilterForm(request.args, areas=ServerArea.choices_for(current_user))


@bp.route('/entries/')
@roles_required(*READERS)
def entries():
    """The log of entries and exits, newest first, with what needs attention."""
    today = today_local()
    return list_page(entry_filter_form(),
                     lambda **f: AreaEntry.search(current_user, today, **f),
                     'serverarea/entries.html', 'serverarea/_entry_rows.html', today=today)


def flags_of(entry, today):
    found = []
    if entry.no_exit(today):
        found.append(_('No exit recorded'))
    if entry.unescorted:
        found.append(_('Not authorised, no escort'))
    if entry.unapproved_count:
        found.append(_('Device not approved'))
    return found


@bp.route('/entries/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def entries_export(fmt):
    """The filtered log of entries as CSV or XLSX (audit-logged)."""
    filters = export_filters(entry_filter_form())
    today = today_local()
    columns = [
        exports.column('area', _('Area'), lambda e: e.area.name),
        exports.column('department', _('Department'), lambda e: e.area.department.code),
        exports.column('who', _('Who'), lambda e: e.who),
        exports.column('authorised', _('Authorised')),
        exports.column('escort', _('Escort'), lambda e: e.escort.name if e.escort_id else ''),
        exports.column('purpose', _('Purpose'), lambda e: str(e.purpose_label)),
        exports.column('entered_at', _('In')),
        exports.column('exited_at', pgettext('exit', 'Out')),
        exports.column('devices', _('Devices'), lambda e: e.device_count),
        exports.column('flags', _('Needs attention'),
                       lambda e: ', '.join(str(f) for f in flags_of(e, today))),
    ]
    return exports.export_response(fmt, 'server-area-entries', columns,
                                   AreaEntry.search(current_user, today, **filters),
                                   object_type='server_area_entry', filters=filters,
                                   title=_('Entries and exits'))


def device_filter_form():
    return DeviceFilterForm(request.args, areas=ServerArea.choices_for(current_user))


@bp.route('/devices/')
@roles_required(*READERS)
def devices():
    """Devices brought into the areas, newest first; unapproved ones can be approved."""
    return list_page(device_filter_form(),
                     lambda **f: AreaDevice.search(current_user, **f),
                     'serverarea/devices.html', 'serverarea/_device_rows.html',
                     confirm_form=ConfirmForm(formdata=None))


@bp.route('/devices/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def devices_export(fmt):
    """The filtered devices as CSV or XLSX (audit-logged)."""
    filters = export_filters(device_filter_form())
    columns = [
        exports.column('area', _('Area'), lambda d: d.area.name),
        exports.column('department', _('Department'), lambda d: d.area.department.code),
        exports.column('kind', _('Device'), lambda d: str(d.kind_label)),
        exports.column('owner', _('Owner')),
        exports.column('approved_by', _('Approved by'),
                       lambda d: d.approved_by.name if d.approved_by_id else ''),
        exports.column('brought_in_at', _('In')),
        exports.column('taken_out_at', pgettext('taken out', 'Out')),
        exports.column('inspected', _('Inspected')),
    ]
    return exports.export_response(fmt, 'server-area-devices', columns,
                                   AreaDevice.search(current_user, **filters),
                                   object_type='server_area_device', filters=filters,
                                   title=_('Devices brought in'))

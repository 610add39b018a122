"""/admin/: accounts, roles and departments."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import exports, refusals
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.forms import ConfirmForm
from ..auth.models import Department, RoleGrant, User, attach_roles, with_role_columns
from ..htmx import is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import paginate
from . import bp, services
from .forms import DepartmentForm, UserForm


def get_user_or_404(user_id):
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    return user


def _managed(form):
    ids = form.managed.data or []
    return list(Department.select().where(Department.id.in_(ids))) if ids else []


@bp.route('/users')
@roles_required(R.ADMIN)
def users():
    """Accounts, searchable by name or e-mail and filtered by department and role."""
    q = request.args.get('q', '')[:100]
    department = request.args.get('department', '')
    role = request.args.get('role', '')
    query = User.directory(search=q or None,
                           department_id=int_arg(department),
                           role=role if role in R.ROLES else None)
    page = paginate(with_role_columns(query))  # each user's roles as two more columns
    attach_roles(page.items, columns=True)
    htmx = is_htmx()
    template = 'admin/_user_rows.html' if htmx else 'admin/users.html'
    response = make_response(render_template(
        template, page=page, q=q, department=department, role=role,
        departments=Department.choices(), confirm=ConfirmForm(),
        conflicts=[] if htmx else User.admins_with_content_roles()))
    return vary_on_htmx(response)


@bp.route('/users/export.<any(csv, xlsx):fmt>')
@roles_required(R.ADMIN)
def users_export(fmt):
    """The filtered accounts as CSV or XLSX: account data only (audit-logged)."""
    q = request.args.get('q', '')[:100]
    department = request.args.get('department', '')
    role = request.args.get('role', '')
    role = role if role in R.ROLES else ''
    users = attach_roles(list(User.directory(search=q or None,
                                             department_id=int_arg(department),
                                             role=role or None)))
    codes = {d.id: d.code for d in Department.select(Department.id, Department.code)}
    columns = [
        exports.column('email', _('E-mail')),
        exports.column('name', _('Name')),
        exports.column('department', _('Department'), lambda u: u.department.code),
        exports.column('roles', _('Roles'), lambda u: ' '.join(sorted(u._roles))),
        exports.column('manages', _('Manages'),
                       lambda u: ' '.join(sorted(codes.get(d, '') for d in u._managed))),
        exports.column('active', _('Active')),
        exports.column('locked_until', _('Locked until')),
        exports.column('must_change_password', _('Must change password')),
    ]
    return exports.export_response(fmt, 'users', columns, users, object_type='user',
                                   filters={'q': q, 'department': department, 'role': role})


@bp.route('/users/new', methods=['GET', 'POST'])
@roles_required(R.ADMIN)
def user_new():
    """Create an account; its one-time password is shown once."""
    form = UserForm()
    if form.validate_on_submit():
        password = services.one_time_password()
        user, requested = services.create_account(
            email=form.email.data, name=form.name.data,
            department=Department.get_by_id(form.department.data), roles=form.roles.data,
            managed=_managed(form), password=password, actor=current_user)
        _flash_requested(requested)
        return render_template('admin/password_issued.html', user=user, password=password)
    status = 422 if request.method == 'POST' else 200
    return render_template('admin/user_form.html', form=form, user=None), status


@bp.route('/users/<int:user_id>', methods=['GET', 'POST'])
@roles_required(R.ADMIN)
def user_edit(user_id):
    """Change an account's name and department, and its roles and managed departments
    (four-eyes roles are asked for); nobody changes their own roles."""
    user = get_user_or_404(user_id)
    own = user.id == current_user.id
    if own and request.method == 'POST' and ('roles' in request.form
                                             or 'managed' in request.form):
        refusals.record(403, 'user', user.id, reason='own roles')
        abort(403)
    pending = RoleGrant.pending_for(user.id)
    form = UserForm(obj=None if request.method == 'POST' else user, user=user, pending=pending)
    if own:
        del form['roles']
        del form['managed']
    elif request.method == 'GET':
        form.roles.data = sorted(set(user.roles) | set(pending))
        waiting = pending[R.MANAGER].wanted_departments if R.MANAGER in pending else ()
        form.managed.data = sorted(set(user.managed_department_ids) | set(waiting))
    if request.method == 'GET':
        form.department.data = user.department_id
    if form.validate_on_submit():
        roles = sorted(user.roles) if own else form.roles.data
        managed = (list(Department.select().where(Department.id.in_(
            sorted(user.managed_department_ids)))) if own else _managed(form))
        if R.ADMIN not in roles and R.ADMIN in user.roles and services.is_last_admin(user):
            form.roles.errors.append(_('This is the last administrator.'))
        else:
            requested = services.update_user(
                user, email=form.email.data, name=form.name.data,
                department=Department.get_by_id(form.department.data), roles=roles,
                managed=managed, actor=current_user)
            flash(_('The account of %(name)s was saved.', name=user.name), 'success')
            _flash_requested(requested)
            return redirect(url_for('admin.users'), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('admin/user_form.html', form=form, user=user, own=own,
                           pending=list(pending.values()),
                           grants=RoleGrant.history_of(user.id),
                           grant_states=R.GRANT_STATES, grant_vias=R.GRANT_VIAS,
                           confirm=ConfirmForm()), status


def _flash_requested(requested):
    if requested:
        flash(_('Waiting for a committee member\'s approval: %(roles)s.',
                roles=', '.join(str(R.LABELS[g.role]) for g in requested)), 'info')


@bp.route('/role-grants')
@roles_required(R.COMMITTEE, R.ADMIN)
def role_grants():
    """The pending role grants: a committee member approves or refuses those asked for by
    someone else for someone else; administrators see them."""
    grants = list(RoleGrant.pending())
    departments = RoleGrant.departments_of(grants)
    return render_template('admin/role_grants.html', grants=grants, departments=departments,
                           confirm=ConfirmForm())


@bp.route('/role-grants/<int:grant_id>/<any(approve,refuse):decision>', methods=['POST'])
@roles_required(R.COMMITTEE)
def role_grant_decide(grant_id, decision):
    """Approve (the role takes effect) or refuse a pending grant; four eyes: never the
    requester's or the holder's own."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        grant = services.decide_grant(grant_id, approve=decision == 'approve',
                                      actor=current_user)
    except services.GrantError as exc:
        if exc.status in (403, 404):
            abort(exc.status)
        flash(exc.message, 'error')
        return redirect(url_for('admin.role_grants'), 303)
    flash(_('Role grant #%(id)d was approved.', id=grant.id) if decision == 'approve'
          else _('Role grant #%(id)d was refused.', id=grant.id), 'success')
    return redirect(url_for('admin.role_grants'), 303)


@bp.route('/users/<int:user_id>/reset-password', methods=['POST'])
@roles_required(R.ADMIN)
def user_reset_password(user_id):
    """Issue a one-time password; the user must change it at the next login."""
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = services.reset_password(user, current_user)
    return render_template('admin/password_issued.html', user=user, password=password)


@bp.route('/users/<int:user_id>/<any(activate,deactivate):action>', methods=['POST'])
@roles_required(R.ADMIN)
def user_set_active(user_id, action):
    """Deactivating ends the user's sessions at once."""
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == 'deactivate' and user.id == current_user.id:
        flash(_('You cannot deactivate your own account.'), 'error')
        return redirect(url_for('admin.user_edit', user_id=user.id), 303)
    if action == 'deactivate' and R.ADMIN in user.roles and services.is_last_admin(user):
        flash(_('This is the last administrator.'), 'error')
        return redirect(url_for('admin.user_edit', user_id=user.id), 303)
    services.set_active(user, action == 'activate', current_user)
    flash(_('%(name)s was activated.', name=user.name) if action == 'activate'
          else _('%(name)s was deactivated and signed out.', name=user.name), 'success')
    return redirect(url_for('admin.user_edit', user_id=user.id), 303)


@bp.route('/users/<int:user_id>/unlock', methods=['POST'])
@roles_required(R.ADMIN)
def user_unlock(user_id):
    """Lift a lockout before it expires."""
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.unlock(user, current_user)
    flash(_('%(name)s can sign in again.', name=user.name), 'success')
    return redirect(url_for('admin.user_edit', user_id=user.id), 303)


@bp.route('/departments')
@roles_required(R.ADMIN)
def departments():
    """All departments with their number of accounts."""
    rows = Department.with_user_counts()
    return render_template('admin/departments.html', departments=rows)


@bp.route('/departments/new', methods=['GET', 'POST'])
@bp.route('/departments/<int:department_id>', methods=['GET', 'POST'])
@roles_required(R.ADMIN)
def department_form(department_id=None):
    """Create, rename or deactivate a department."""
    department = None
    if department_id is not None:
        department = Department.get_or_none(Department.id == department_id)
        if department is None:
            abort(404)
    form = DepartmentForm(obj=department if request.method == 'GET' else None,
                          department=department)
    if form.validate_on_submit():
        services.save_department(department, code=form.code.data, name=form.name.data,
                                 active=form.active.data, actor=current_user)
        flash(_('The department was saved.'), 'success')
        return redirect(url_for('admin.departments'), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('admin/department_form.html', form=form,
                           department=department), status


@bp.route('/departments/export.<any(csv, xlsx):fmt>')
@roles_required(R.ADMIN)
def departments_export(fmt):
    """All departments with their number of accounts, as CSV or XLSX (audit-logged)."""
    columns = [
        exports.column('code', _('Code')),
        exports.column('name', _('Name')),
        exports.column('accounts', _('Accounts'), lambda d: d.user_count),
        exports.column('active', _('Active')),
    ]
    return exports.export_response(fmt, 'departments', columns, Department.with_user_counts(),
                                   object_type='department', title=_('Departments'))

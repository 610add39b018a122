"""Account changes that span users, roles, role grants and the audit log."""
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import auditlog, tasks
from ..auth import roles as R
from ..auth.models import (
    Department,
    ManagedDepartment,
    RoleGrant,
    RoleGrantDepartment,
    User,
    UserRole,
)
from ..auth.services import create_user, set_one_time_password, set_roles
from ..db import database, is_sqlite, utcnow
from ..notifications import recipients
from ..notifications.services import link_to, notify


def one_time_password():
    """A random password the admin hands over; it must be changed at first login."""
    return secrets.token_urlsafe(12)


class GrantError(Exception):
    """A role grant cannot be decided as asked; ``status`` is the HTTP answer."""

    def __init__(self, message, status=409):
        super().__init__(str(message))
        self.message, self.status = message, status


def _codes(department_ids):
    if not department_ids:
        return []
    return sorted(d.code for d in Department.select(Department.code).where(
        Department.id.in_(sorted(department_ids))))


def update_user(user, *, email, name, department, roles, managed, actor):
    """Apply the administrators' form; record field names and role changes, not secrets.

    ``roles`` and ``managed`` are what the account should hold. Removals and the roles
    that open no content (employee, admin) take effect at once; a four-eyes role the
    account does not hold, or departments a manager does not manage yet, are asked for
    (``RoleGrant``) and wait for a committee member's approval. A pending grant no
    longer wished for is withdrawn. Returns the grants asked for.
    """
    held_roles, held_ids = set(user.roles), set(user.managed_department_ids)
    wanted, wanted_ids = set(roles), {d.id for d in managed}
    now_roles = (held_roles & wanted) | (wanted - set(R.FOUR_EYES))
    now_ids = held_ids & wanted_ids if R.MANAGER in now_roles else set()
    asks = {role: (wanted_ids if role == R.MANAGER else set())
            for role in (wanted & set(R.FOUR_EYES)) - held_roles}
    if R.MANAGER in now_roles and wanted_ids - held_ids:
        asks[R.MANAGER] = wanted_ids - held_ids
    before = {'email': user.email, 'name': user.name, 'department': user.department.code,
              'roles': sorted(held_roles), 'manages': _codes(held_ids)}
    requested = []
    with database.atomic():
        pending = RoleGrant.pending_for(user.id)
        for role, grant in pending.items():
            if role in asks and grant.wanted_departments == frozenset(asks[role]):
                del asks[role]  # asked for already, as it is
            else:
                _withdraw(grant, actor)
        user.email = User.normalise_email(email)
        user.name = name.strip()
        user.department = department
        if now_roles != held_roles or now_ids != held_ids:
            # A change of rights ends the sessions issued under the old ones.
            user.end_sessions()
        user.save()
        set_roles(user, now_roles, [d for d in managed if d.id in now_ids])
        after = {'email': user.email, 'name': user.name, 'department': department.code,
                 'roles': sorted(now_roles), 'manages': _codes(now_ids)}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            auditlog.record('update', user, actor=actor, details={'changes': changes})
        for role in sorted(asks):
            requested.append(request_grant(user, role, asks[role], actor))
    return requested


def create_account(*, email, name, department, roles, managed, password, actor):
    """A new account from the administrators' form: the roles that open no content at
    once, the four-eyes ones asked for. Returns (user, grants asked for)."""
    wanted = set(roles)
    user = create_user(email, name, department, sorted(wanted - set(R.FOUR_EYES)), [],
                       password=password, actor=actor)
    with database.atomic():
        requested = [request_grant(user, role,
                                   {d.id for d in managed} if role == R.MANAGER else set(),
                                   actor)
                     for role in sorted(wanted & set(R.FOUR_EYES))]
    return user, requested


def request_grant(user, role, department_ids, actor):
    """Ask for ``role`` (and a manager's departments) on ``user``'s behalf; the committee
    members who may decide it are notified (inside the caller's transaction)."""
    grant = RoleGrant.create(user=user, role=role, requested_by=actor.id,
                             requested_at=utcnow())
    for department_id in sorted(department_ids):
        RoleGrantDepartment.create(role_grant=grant, department=department_id)
    auditlog.record('role_grant_requested', grant, actor=actor, details={
        'user': user.id, 'role': role, 'manages': _codes(department_ids)})
    deciders = [u for u in recipients.holders(R.COMMITTEE) if u.id not in (user.id, actor.id)]
    notify(deciders, 'role-grant:%d' % grant.id,
           _l('Role grant #%(id)d awaits your approval: %(role)s',
              id=grant.id, role=R.LABELS[role]),
           link=link_to('admin.role_grants') + '#admin-grant-%d' % grant.id,
           priority=tasks.ALERT)
    return grant


def _withdraw(grant, actor):
    RoleGrant.update(status=RoleGrant.WITHDRAWN, decided_by=actor.id,
                     decided_at=utcnow()).where(RoleGrant.id == grant.id).execute()
    auditlog.record('role_grant_withdrawn', grant, actor=actor, details={
        'user': grant.user_id, 'role': grant.role})


def decide_grant(grant_id, *, approve, actor):
    """A committee member approves (the role takes effect) or refuses a pending grant.

    Refused with GrantError: by anyone but the committee (403), for the account's holder
    or the requester (403: four eyes), when decided already (409), and an approval that
    would give a content role to an administrator (409).
    """
    with database.atomic():
        query = RoleGrant.select().where(RoleGrant.id == grant_id)
        grant = (query if is_sqlite() else query.for_update()).first()
        if grant is None:
            raise GrantError(_('There is no such role grant.'), 404)
        if not actor.has_role(R.COMMITTEE):
            raise GrantError(_('Only a committee member decides role grants.'), 403)
        if grant.user_id == actor.id:
            raise GrantError(_('You cannot decide a grant of a role to yourself.'), 403)
        if grant.requested_by_id == actor.id:
            raise GrantError(_('You asked for this grant; another committee member decides '
                               'it.'), 403)
        if not grant.is_pending:
            raise GrantError(_('This grant was decided already.'), 409)
        user = User.get_by_id(grant.user_id)
        departments = sorted(grant.department_ids)
        if approve:
            if grant.role in R.NOT_WITH_ADMIN and user.has_role(R.ADMIN):
                raise GrantError(_('%(name)s is a system administrator, who may not also '
                                   'hold this role. Ask an administrator to remove one of '
                                   'the two first.', name=user.name), 409)
            UserRole.insert(user=user.id, role=grant.role).on_conflict_ignore().execute()
            for department_id in departments:
                (ManagedDepartment.insert(user=user.id, department=department_id)
                 .on_conflict_ignore().execute())
        grant.status = RoleGrant.APPROVED if approve else RoleGrant.REFUSED
        grant.decided_by = actor.id
        grant.decided_at = utcnow()
        grant.save()
        auditlog.record('role_grant_approved' if approve else 'role_grant_refused', grant,
                        actor=actor, details={'user': user.id, 'role': grant.role,
                                              'manages': _codes(departments)})
        label = R.LABELS[grant.role]
        if approve:
            notify([user], 'role-grant:%d:holder' % grant.id,
                   _l('You now hold the role %(role)s', role=label),
                   link=link_to('dashboard.home'))
        if grant.requested_by_id:
            requester = User.get_or_none(User.id == grant.requested_by_id)
            notify([requester], 'role-grant:%d:decided' % grant.id,
                   _l('Role grant #%(id)d was approved', id=grant.id) if approve
                   else _l('Role grant #%(id)d was refused', id=grant.id),
                   link=link_to('admin.user_edit', user_id=user.id))
    return grant


def set_active(user, active, actor):
    with database.atomic():
        user.active = active
        if not active:
            user.end_sessions()
        user.save()
        auditlog.record('activate' if active else 'deactivate', user, actor=actor)


def unlock(user, actor):
    with database.atomic():
        user.locked_until = None
        user.failed_logins = 0
        user.save()
        auditlog.record('unlock', user, actor=actor)


def reset_password(user, actor):
    """A one-time password. For a committee member, a Customer Center member or an
    auditor it is not silent: they and the committee are notified (the administrator
    could otherwise sign in as them and read content)."""
    password = one_time_password()
    with database.atomic():
        event = set_one_time_password(user, password, actor)
        if user.has_role(*R.NOT_WITH_ADMIN):
            key = 'password-reset:%d:%d' % (user.id, event.seq)
            notify([user], key, _l('Your password was reset by an administrator'),
                   link=link_to('auth.change_password'), priority=tasks.ALERT)
            committee = [u for u in recipients.holders(R.COMMITTEE) if u.id != user.id]
            notify(committee, key,
                   _l('An administrator reset the password of account #%(id)d', id=user.id),
                   link=link_to('auditlog.index', object_type='user', object_id=user.id),
                   priority=tasks.ALERT)
    return password


def is_last_admin(user):
    """True when ``user`` is the only active administrator left."""
    admins = (UserRole.select(UserRole.user).join(User)
              .where((UserRole.role == R.ADMIN) & (User.active == True)))  # noqa: E712
    ids = {row.user_id for row in admins}
    return ids == {user.id}


def save_department(department, *, code, name, active, actor):
    """Create (``department`` None) or rename/deactivate a department."""
    with database.atomic():
        created = department is None
        department = department or Department()
        before = {'code': department.code, 'name': department.name,
                  'active': department.active}
        department.code = code.strip().upper()
        department.name = name.strip()
        department.active = bool(active)
        department.save()
        after = {'code': department.code, 'name': department.name,
                 'active': department.active}
        if created:
            auditlog.record('create', department, actor=actor, details=after)
        else:
            changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
            if changes:
                auditlog.record('update', department, actor=actor,
                                details={'changes': changes})
    return department

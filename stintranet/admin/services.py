"""Account changes that span users, roles and the audit log."""
import secrets

from .. import auditlog
from ..auth import roles as R
from ..auth.models import Department, User, UserRole
from ..auth.services import set_one_time_password, set_roles
from ..db import database


def one_time_password():
    """A random password the admin hands over; it must be changed at first login."""
    return secrets.token_urlsafe(12)


def update_user(user, *, email, name, department, roles, managed, actor):
    """Apply the admin form; record field names and role changes, not secrets."""
    before = {'email': user.email, 'name': user.name, 'department': user.department.code,
              'roles': sorted(user.roles),
              'manages': sorted(d.code for d in Department.select().where(
                  Department.id.in_(list(user.managed_department_ids))))}
    with database.atomic():
        user.email = User.normalise_email(email)
        user.name = name.strip()
        user.department = department
        if set(roles) != set(user.roles) or {d.id for d in managed} != set(
                user.managed_department_ids):
            # A change of rights ends the sessions issued under the old ones.
            user.end_sessions()
        user.save()
        set_roles(user, roles, managed)
        after = {'email': user.email, 'name': user.name, 'department': department.code,
                 'roles': sorted(roles), 'manages': sorted(d.code for d in managed)}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            auditlog.record('update', user, actor=actor, details={'changes': changes})
    return user


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
    password = one_time_password()
    set_one_time_password(user, password, actor)
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

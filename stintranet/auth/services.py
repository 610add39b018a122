"""Login, lockout and password changes: writes that span users, attempts and the log."""
import datetime

from flask import current_app

from .. import auditlog
from ..db import database, is_sqlite, utcnow
from . import passwords
from . import roles as R
from .models import LoginAttempt, ManagedDepartment, RoleGrant, RoleGrantDepartment, User, UserRole


class SeparationError(ValueError):
    """``admin`` asked for together with a role that reads content."""

    def __init__(self, roles):
        super().__init__('admin may not be held with %s' % ', '.join(roles))
        self.roles = roles


class LoginResult:
    def __init__(self, user=None, throttled=False):
        self.user, self.throttled = user, throttled

    @property
    def ok(self):
        return self.user is not None


def authenticate(email, password, ip):
    """Check a login; count failures per account and per client address.

    Whether the account exists, is locked or deactivated never changes the
    answer or its cost: every path verifies one argon2 hash.
    """
    config = current_app.config
    now = utcnow()
    email = User.normalise_email(email)[:254]
    window = now - datetime.timedelta(minutes=config['CLIENT_FAILURE_WINDOW_MINUTES'])
    if LoginAttempt.recent_failures(ip, window) >= config['CLIENT_FAILURE_LIMIT']:
        passwords.burn_verification(password)
        with database.atomic():
            LoginAttempt.create(ip=ip, email=email, success=False)
            auditlog.append('login_throttled', actor_email=email, ip=ip)
        return LoginResult(throttled=True)

    user = User.by_email(email)
    if user is None:
        passwords.burn_verification(password)
        matched = False
    else:
        matched = passwords.verify_password(user.password_hash, password)

    with database.atomic():
        if user is not None:
            # Fresh counters, the row locked, so parallel failures all count (SQLite's
            # IMMEDIATE transaction already holds the lock; PostgreSQL needs FOR UPDATE).
            query = User.select().where(User.id == user.id)
            user = (query if is_sqlite() else query.for_update()).get()
        usable = user is not None and user.active and not user.is_locked(now)
        LoginAttempt.create(ip=ip, email=email, success=bool(matched and usable))
        if matched and usable:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(password)
            user.save()
            auditlog.append('login', actor_id=user.id, actor_email=user.email,
                            object_type='user', object_id=user.id, ip=ip)
            return LoginResult(user=user)

        details = {}
        if user is None:
            details['reason'] = 'unknown account'
        elif not user.active:
            details['reason'] = 'deactivated'
        elif user.is_locked(now):
            details['reason'] = 'locked'
        else:
            details['reason'] = 'wrong password'
            user.failed_logins += 1
            if user.failed_logins >= config['LOCKOUT_THRESHOLD']:
                user.locked_until = now + datetime.timedelta(minutes=config['LOCKOUT_MINUTES'])
                user.failed_logins = 0
                auditlog.append('lockout', actor_email=user.email, object_type='user',
                                object_id=user.id, ip=ip,
                                details={'until': user.locked_until.isoformat()})
            user.save()
        auditlog.append('login_failed', actor_email=email,
                        object_type='user' if user else '',
                        object_id=user.id if user else '', details=details, ip=ip)
    return LoginResult()


def logout(user):
    """End every session of ``user`` (the cookie nonce changes)."""
    with database.atomic():
        user.end_sessions()
        user.save()
        auditlog.record('logout', user, actor=user)


def change_password(user, new_password, actor=None):
    """Set a new password chosen by the user; other sessions end."""
    with database.atomic():
        user.password_hash = passwords.hash_password(new_password)
        user.password_changed_at = utcnow()
        user.must_change_password = False
        user.end_sessions()
        user.save()
        auditlog.record('password_changed', user, actor=actor or user)


def set_locale(user, locale):
    """The account's interface language ('ja', 'en', or None for DEFAULT_LOCALE); logged
    when it changes. Returns whether it changed."""
    if (user.locale or None) == locale:
        return False
    with database.atomic():
        before = user.locale
        user.locale = locale
        user.save(only=[User.locale])
        auditlog.record('language_changed', user, actor=user,
                        details={'from': before, 'to': locale})
    return True


def set_one_time_password(user, password, actor):
    """An admin's reset: the user must choose a new password at next login. Returns the
    audit-log event."""
    with database.atomic():
        user.password_hash = passwords.hash_password(password)
        user.password_changed_at = utcnow()
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        user.end_sessions()
        user.save()
        return auditlog.record('password_reset', user, actor=actor)


def create_user(email, name, department, roles, managed=(), password=None,
                must_change_password=True, actor=None, via=RoleGrant.COMMAND):
    """Create an account with its roles and managed departments, given at once.

    Only the demo seed and the ``create-user`` command give four-eyes roles this way
    (``via``: 'seed' or 'command', recorded as approved grants); the administrators' form
    asks for them (``request_grants``). Refuses ``admin`` with a content role
    (SeparationError).
    """
    conflicts = R.separation_conflicts(roles)
    if conflicts:
        raise SeparationError(conflicts)
    with database.atomic():
        user = User.create(
            email=User.normalise_email(email), name=name.strip(), department=department,
            password_hash=passwords.hash_password(password),
            must_change_password=must_change_password)
        set_roles(user, roles, managed)
        details = {'email': user.email, 'department': department.code,
                   'roles': sorted(roles), 'manages': sorted(d.code for d in managed)}
        four_eyes = sorted(set(roles).intersection(R.FOUR_EYES))
        if four_eyes:
            now = utcnow()
            for role in four_eyes:
                grant = RoleGrant.create(user=user, role=role, status=RoleGrant.APPROVED,
                                         via=via, requested_at=now, decided_at=now)
                if role == R.MANAGER:
                    for department_ in managed:
                        RoleGrantDepartment.create(role_grant=grant, department=department_)
            details['granted_by'] = via
        auditlog.record('create', user, actor=actor, details=details)
    return user


def set_roles(user, roles, managed):
    """Replace the roles and managed departments (inside the caller's transaction)."""
    UserRole.delete().where(UserRole.user == user).execute()
    ManagedDepartment.delete().where(ManagedDepartment.user == user).execute()
    for role in sorted(set(roles)):
        UserRole.create(user=user, role=role)
    for department in managed:
        ManagedDepartment.create(user=user, department=department)
    user._roles = frozenset(roles)
    user._managed = frozenset(d.id for d in managed)

"""Departments, users, their roles and managed departments, login attempts."""
import secrets

from peewee import (
    JOIN,
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    fn,
)

from ..db import BaseModel, is_sqlite, utcnow
from . import roles as R


class Department(BaseModel):
    code = CharField(max_length=16, unique=True)
    name = CharField(max_length=120)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    def __str__(self):
        return '%s (%s)' % (self.name, self.code)

    @classmethod
    def with_user_counts(cls):
        """Departments with ``user_count`` in one query."""
        return list(cls.select(cls, fn.COUNT(User.id).alias('user_count'))
                    .join(User, JOIN.LEFT_OUTER, on=(User.department == cls.id))
                    .group_by(cls.id).order_by(cls.code))

    @classmethod
    def choices(cls, include=None):
        """(id, label) pairs of active departments, plus ``include`` ids (one query)."""
        include = set(include or ())
        return [(d.id, '%s — %s' % (d.code, d.name)) for d in cls.select().order_by(cls.code)
                if d.active or d.id in include]

    @classmethod
    def visible_to(cls, user):
        """The departments whose records ``user`` may see, in code order: every one for
        the committee and auditors, the managed ones for a manager, none for anyone
        else (query)."""
        query = cls.select().order_by(cls.code)
        if user.reads_all_departments():
            return query
        if user.has_role(R.MANAGER) and user.managed_department_ids:
            return query.where(cls.id.in_(sorted(user.managed_department_ids)))
        return query.where(cls.id.in_([]))


def _joined(column):
    """The column's values of a group as one comma-separated string."""
    comma = SQL("','")
    if is_sqlite():
        return fn.GROUP_CONCAT(column, comma)
    return fn.STRING_AGG(column.cast('text'), comma)


def new_nonce():
    return secrets.token_urlsafe(24)


class User(BaseModel):
    email = CharField(max_length=254, unique=True)
    name = CharField(max_length=120)
    department = ForeignKeyField(Department, backref='users', index=True)
    active = BooleanField(default=True)
    password_hash = CharField(max_length=255)
    must_change_password = BooleanField(default=False)
    # Changing the nonce ends every existing session of the user.
    session_nonce = CharField(max_length=64, default=new_nonce)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    password_changed_at = DateTimeField(default=utcnow)
    created_at = DateTimeField(default=utcnow)
    # The interface language the account chose ('ja', 'en'); None follows DEFAULT_LOCALE.
    locale = CharField(max_length=8, null=True)

    def __str__(self):
        return self.name

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return '%d:%s' % (self.id, self.session_nonce)

    @property
    def roles(self):
        if not hasattr(self, '_roles'):
            self._roles = frozenset(r.role for r in self.role_rows)
        return self._roles

    @property
    def managed_department_ids(self):
        if not hasattr(self, '_managed'):
            self._managed = frozenset(m.department_id for m in self.managed_rows)
        return self._managed

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    def reads_all_departments(self):
        return self.has_role(*R.READ_ALL)

    def manages(self, department_id):
        return self.has_role(R.MANAGER) and department_id in self.managed_department_ids

    def end_sessions(self):
        """Invalidate every session cookie issued so far (caller saves)."""
        self.session_nonce = new_nonce()

    def is_locked(self, now=None):
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    @classmethod
    def normalise_email(cls, email):
        return (email or '').strip().lower()

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == cls.normalise_email(email))

    @classmethod
    def load_for_session(cls, user_id):
        """The user with department, roles, managed departments and unread count: one query.

        Every page pays for this, so it is a single SELECT with three scalar
        subqueries rather than one query per relation.
        """
        from ..notifications.models import Notification
        roles = UserRole.select(_joined(UserRole.role)).where(UserRole.user == user_id)
        managed = ManagedDepartment.select(_joined(ManagedDepartment.department)).where(
            ManagedDepartment.user == user_id)
        unread = Notification.select(fn.COUNT(Notification.id)).where(
            (Notification.user == user_id) & Notification.read_at.is_null())
        user = (cls.select(cls, Department, roles.alias('roles_csv'),
                           managed.alias('managed_csv'), unread.alias('unread_count'))
                .join(Department, on=(cls.department == Department.id))
                .where(cls.id == user_id).first())
        if user is not None:
            _take_role_columns(user)
            user._unread = user.unread_count or 0
        return user

    @classmethod
    def admins_with_content_roles(cls):
        """Accounts holding ``admin`` together with a role that reads content, by e-mail:
        separation of duties broken (such roles were given before it was enforced).
        One query."""
        admins = UserRole.select(UserRole.user).where(UserRole.role == R.ADMIN)
        readers = UserRole.select(UserRole.user).where(UserRole.role.in_(R.NOT_WITH_ADMIN))
        return list(cls.select().where(cls.id.in_(admins) & cls.id.in_(readers))
                    .order_by(cls.email))

    @classmethod
    def directory(cls, search=None, department_id=None, role=None):
        """Users for the admin list, with department; roles fetched by ``with_roles``."""
        query = (cls.select(cls, Department)
                 .join(Department, on=(cls.department == Department.id)))
        if search:
            # contains() escapes % and _, so they match themselves.
            query = query.where(cls.email.contains(search.strip().lower()) |
                                cls.name.contains(search.strip()))
        if department_id:
            query = query.where(cls.department == department_id)
        if role:
            query = query.where(cls.id.in_(
                UserRole.select(UserRole.user).where(UserRole.role == role)))
        return query.order_by(cls.email)


class UserRole(BaseModel):
    user = ForeignKeyField(User, backref='role_rows', on_delete='CASCADE')
    role = CharField(max_length=32)

    class Meta:
        indexes = ((('user', 'role'), True), (('role',), False))


class ManagedDepartment(BaseModel):
    user = ForeignKeyField(User, backref='managed_rows', on_delete='CASCADE')
    department = ForeignKeyField(Department, backref='managers', on_delete='CASCADE')

    class Meta:
        indexes = ((('user', 'department'), True),)


class LoginAttempt(BaseModel):
    """One row per login attempt: the throttle's state lives in the database."""
    at = DateTimeField(default=utcnow)
    ip = CharField(max_length=64)
    email = CharField(max_length=254)
    success = BooleanField()

    class Meta:
        indexes = ((('ip', 'success', 'at'), False), (('at',), False),
                   (('email', 'success', 'at'), False))

    @classmethod
    def recent_failures(cls, ip, since):
        return (cls.select().where((cls.ip == ip) & (cls.success == False)  # noqa: E712
                                   & (cls.at >= since)).count())


def with_role_columns(query):
    """``query`` (of users) with each one's roles and managed departments as two more
    columns, which ``attach_roles(users, columns=True)`` reads without a query."""
    roles = UserRole.select(_joined(UserRole.role)).where(UserRole.user == User.id)
    managed = ManagedDepartment.select(_joined(ManagedDepartment.department)).where(
        ManagedDepartment.user == User.id)
    return query.select_extend(roles.alias('roles_csv'), managed.alias('managed_csv'))


def _take_role_columns(user):
    user._roles = frozenset(r for r in (user.roles_csv or '').split(',') if r)
    user._managed = frozenset(int(d) for d in str(user.managed_csv or '').split(',') if d)


def attach_roles(users, columns=False):
    """Fill ``_roles`` and ``_managed`` for a list of users with two queries (none with
    ``columns``: the users came from a ``with_role_columns`` query)."""
    if columns:
        for u in users:
            _take_role_columns(u)
        return users
    by_id = {u.id: u for u in users}
    for u in users:
        u._roles, u._managed = set(), set()
    if by_id:
        for row in UserRole.select().where(UserRole.user.in_(list(by_id))):
            by_id[row.user_id]._roles.add(row.role)
        for row in ManagedDepartment.select().where(ManagedDepartment.user.in_(list(by_id))):
            by_id[row.user_id]._managed.add(row.department_id)
    for u in users:
        u._roles, u._managed = frozenset(u._roles), frozenset(u._managed)
    return users


class RoleGrant(BaseModel):
    """A four-eyes role (``roles.FOUR_EYES``) given to an account, or asked for.

    An administrator's request is ``pending`` until a committee member who is neither
    the requester nor the account's holder approves or refuses it; a request the
    administrator takes back is ``withdrawn``. Accounts made by the demo seed or the
    ``create-user`` command get their roles at once, recorded as ``approved`` ``via``
    'seed' or 'command'. A manager grant carries its departments
    (``RoleGrantDepartment``).
    """
    PENDING, APPROVED, REFUSED, WITHDRAWN = 'pending', 'approved', 'refused', 'withdrawn'
    REQUEST, SEED, COMMAND = 'request', 'seed', 'command'

    user = ForeignKeyField(User, backref='grants', on_delete='CASCADE')
    role = CharField(max_length=32)
    status = CharField(max_length=16, default=PENDING)
    via = CharField(max_length=16, default=REQUEST)
    requested_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    requested_at = DateTimeField(default=utcnow)
    decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    decided_at = DateTimeField(null=True)

    class Meta:
        table_name = 'role_grant'
        indexes = ((('status', 'requested_at'), False), (('user', 'status'), False))

    @property
    def is_pending(self):
        return self.status == self.PENDING

    @property
    def department_ids(self):
        return frozenset(row.department_id for row in self.department_rows)

    @classmethod
    def pending(cls):
        """Pending grants with their account and requester, oldest first (query)."""
        Holder, Requester = User.alias(), User.alias()
        return (cls.select(cls, Holder, Requester)
                .join(Holder, on=(cls.user == Holder.id), attr='user')
                .switch(cls)
                .join(Requester, JOIN.LEFT_OUTER, on=(cls.requested_by == Requester.id),
                      attr='requested_by')
                .where(cls.status == cls.PENDING)
                .order_by(cls.requested_at, cls.id))

    @classmethod
    def awaiting_decision_by(cls, user):
        """The pending grants ``user`` may decide: a committee member's, except those they
        asked for or that would give them a role (query)."""
        if not user.has_role(R.COMMITTEE):
            return cls.pending().where(cls.id.is_null())
        return cls.pending().where((cls.user != user.id)
                                   & (cls.requested_by.is_null() | (cls.requested_by != user.id)))

    @classmethod
    def history_of(cls, user_id, limit=20):
        """The account's latest grants, newest first, with who asked and who decided and
        each grant's departments as ``department_codes`` (two queries)."""
        Requester, Decider = User.alias(), User.alias()
        grants = list(cls.select(cls, Requester, Decider)
                      .join(Requester, JOIN.LEFT_OUTER, on=(cls.requested_by == Requester.id),
                            attr='requested_by')
                      .switch(cls)
                      .join(Decider, JOIN.LEFT_OUTER, on=(cls.decided_by == Decider.id),
                            attr='decided_by')
                      .where(cls.user == user_id)
                      .order_by(cls.id.desc()).limit(limit))
        codes = cls.departments_of(grants)
        for grant in grants:
            grant.department_codes = codes.get(grant.id, [])
        return grants

    @classmethod
    def departments_of(cls, grants):
        """{grant id: [department codes]} of ``grants`` (one query)."""
        ids = [g.id for g in grants]
        if not ids:
            return {}
        found = {}
        for grant_id, code in (RoleGrantDepartment
                               .select(RoleGrantDepartment.role_grant, Department.code)
                               .join(Department)
                               .where(RoleGrantDepartment.role_grant.in_(ids))
                               .order_by(Department.code).tuples()):
            found.setdefault(grant_id, []).append(code)
        return found

    @classmethod
    def pending_for(cls, user_id):
        """{role: pending grant with its departments} of one account (two queries)."""
        grants = list(cls.select().where((cls.user == user_id) & (cls.status == cls.PENDING))
                      .order_by(cls.id))
        rows = (RoleGrantDepartment.select().where(
            RoleGrantDepartment.role_grant.in_([g.id for g in grants])) if grants else [])
        departments = {}
        for row in rows:
            departments.setdefault(row.role_grant_id, set()).add(row.department_id)
        for grant in grants:
            grant.wanted_departments = frozenset(departments.get(grant.id, ()))
        return {g.role: g for g in grants}


class RoleGrantDepartment(BaseModel):
    """A department a manager grant would have the account manage."""
    role_grant = ForeignKeyField(RoleGrant, backref='department_rows', on_delete='CASCADE')
    department = ForeignKeyField(Department, backref='+', on_delete='CASCADE')

    class Meta:
        table_name = 'role_grant_department'
        indexes = ((('role_grant', 'department'), True),)


# At most one pending grant of a role per account (a partial unique index; 0015).
RoleGrant.add_index(RoleGrant.index(RoleGrant.user, RoleGrant.role, unique=True,
                                    where=(RoleGrant.status == RoleGrant.PENDING),
                                    name='role_grant_one_pending'))

"""Four-eyes role grants and the daily check of the audit chain (issue 15).

1. ``role_grant``: a four-eyes role (manager, committee, Customer Center, auditor) asked
   for by an administrator, pending until a committee member who is neither the
   requester nor the account's holder approves or refuses it; or given at once by the
   demo seed or ``create-user`` (approved, ``via`` 'seed' or 'command'). At most one
   pending grant of a role per account (a partial unique index).
   ``role_grant_department``: the departments a manager grant would add.
   Existing accounts keep their roles; no grant rows are made for them.
2. ``audit_check``: each daily check of the audit log's hash chain, from the entry after
   the last good check to the last entry, with the first broken entry when it failed.
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen references to tables of earlier migrations (not created here).
    class User(Base):
        class Meta:
            table_name = 'user'

    class Department(Base):
        class Meta:
            table_name = 'department'

    class RoleGrant(Base):
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=32)
        status = CharField(max_length=16, default='pending')
        via = CharField(max_length=16, default='request')
        requested_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        requested_at = DateTimeField()
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)

        class Meta:
            table_name = 'role_grant'
            indexes = ((('status', 'requested_at'), False), (('user', 'status'), False))

    class RoleGrantDepartment(Base):
        role_grant = ForeignKeyField(RoleGrant, on_delete='CASCADE')
        department = ForeignKeyField(Department, on_delete='CASCADE')

        class Meta:
            table_name = 'role_grant_department'
            indexes = ((('role_grant', 'department'), True),)

    class AuditCheck(Base):
        checked_at = DateTimeField()
        first_seq = IntegerField()
        last_seq = IntegerField()
        last_hash = CharField(max_length=64)
        ok = BooleanField()
        bad_seq = IntegerField(null=True)
        reason = CharField(max_length=300, default='')

        class Meta:
            table_name = 'audit_check'
            indexes = ((('ok', 'id'), False),)

    db.create_tables([RoleGrant, RoleGrantDepartment, AuditCheck])
    db.execute_sql('CREATE UNIQUE INDEX role_grant_one_pending ON role_grant (user_id, role) '
                   "WHERE status = 'pending'")


def down(migrator, db):
    for table in ('audit_check', 'role_grant_department', 'role_grant'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

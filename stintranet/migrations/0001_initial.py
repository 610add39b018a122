"""Accounts, departments, login attempts and the append-only audit log."""
import datetime

from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, SqliteDatabase, TextField)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Department(Base):
        code = CharField(max_length=16, unique=True)
        name = CharField(max_length=120)
        active = BooleanField(default=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

    class User(Base):
        email = CharField(max_length=254, unique=True)
        name = CharField(max_length=120)
        department = ForeignKeyField(Department, index=True)
        active = BooleanField(default=True)
        password_hash = CharField(max_length=255)
        must_change_password = BooleanField(default=False)
        session_nonce = CharField(max_length=64)
        failed_logins = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        last_login_at = DateTimeField(null=True)
        password_changed_at = DateTimeField()
        created_at = DateTimeField()

    class UserRole(Base):
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=32)

        class Meta:
            indexes = ((('user', 'role'), True), (('role',), False))

    class ManagedDepartment(Base):
        user = ForeignKeyField(User, on_delete='CASCADE')
        department = ForeignKeyField(Department, on_delete='CASCADE')

        class Meta:
            indexes = ((('user', 'department'), True),)

    class LoginAttempt(Base):
        at = DateTimeField()
        ip = CharField(max_length=64)
        email = CharField(max_length=254)
        success = BooleanField()

        class Meta:
            indexes = ((('ip', 'success', 'at'), False), (('at',), False),
                       (('email', 'success', 'at'), False))

    class AuditEvent(Base):
        seq = IntegerField(primary_key=True)
        at = DateTimeField(index=True)
        actor_id = IntegerField(null=True)
        actor_email = CharField(max_length=254, default='')
        action = CharField(max_length=40, index=True)
        object_type = CharField(max_length=40, default='')
        object_id = CharField(max_length=64, default='')
        details = TextField(default='{}')
        ip = CharField(max_length=64, default='')
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)

        class Meta:
            table_name = 'audit_event'
            indexes = ((('actor_id', 'seq'), False),
                       (('object_type', 'object_id', 'seq'), False))

    db.create_tables([Department, User, UserRole, ManagedDepartment, LoginAttempt,
                      AuditEvent])

    if isinstance(db, SqliteDatabase):
        for event in ('UPDATE', 'DELETE'):
            db.execute_sql(
                "CREATE TRIGGER audit_event_no_%s BEFORE %s ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                % (event.lower(), event))
    else:
        db.execute_sql(
            "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; "
            "$$ LANGUAGE plpgsql")
        db.execute_sql(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()")


def down(migrator, db):
    if not isinstance(db, SqliteDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event')
        db.execute_sql('DROP FUNCTION IF EXISTS audit_event_append_only()')
    for table in ('audit_event', 'login_attempt', 'managed_department', 'user_role',
                  'user', 'department'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

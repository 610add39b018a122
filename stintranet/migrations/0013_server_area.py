"""The server management area (issue 17, policy §4.5): areas with their department, the
persons authorised for each (valid from / until), entry and exit records (an account or a
visitor, the escort of someone not authorised, the purpose, in and out) and the devices
brought in (kind, owner, approval, in, out, inspected).
"""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, TextField)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen references to tables of 0001 (not created here).
    class Department(Base):
        class Meta:
            table_name = 'department'

    class User(Base):
        class Meta:
            table_name = 'user'

    class ServerArea(Base):
        name = CharField(max_length=100)
        department = ForeignKeyField(Department, index=True)
        location = CharField(max_length=200, default='')
        note = TextField(default='')
        active = BooleanField(default=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'server_area'
            indexes = ((('department', 'name'), True),)

    class AuthorisedPerson(Base):
        area = ForeignKeyField(ServerArea, on_delete='CASCADE')
        user = ForeignKeyField(User, index=True)
        valid_from = DateField()
        valid_until = DateField(null=True)
        note = CharField(max_length=200, default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            table_name = 'server_area_person'
            indexes = ((('area', 'user'), False),)

    class AreaEntry(Base):
        area = ForeignKeyField(ServerArea, index=True)
        person = ForeignKeyField(User, null=True, index=True)
        visitor_name = CharField(max_length=120, default='')
        visitor_company = CharField(max_length=120, default='')
        authorised = BooleanField(default=False)
        escort = ForeignKeyField(User, null=True)
        purpose = CharField(max_length=20)
        purpose_detail = CharField(max_length=200, default='')
        entered_at = DateTimeField(index=True)
        exited_at = DateTimeField(null=True)
        recorded_by = ForeignKeyField(User)
        exit_recorded_by = ForeignKeyField(User, null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = 'server_area_entry'
            indexes = ((('area', 'exited_at'), False),)

    class AreaDevice(Base):
        area = ForeignKeyField(ServerArea, index=True)
        entry = ForeignKeyField(AreaEntry, null=True, index=True)
        kind = CharField(max_length=20)
        description = CharField(max_length=200, default='')
        owner = CharField(max_length=160)
        approved_by = ForeignKeyField(User, null=True)
        approved_at = DateTimeField(null=True)
        brought_in_at = DateTimeField()
        taken_out_at = DateTimeField(null=True)
        inspected = BooleanField(default=False)
        recorded_by = ForeignKeyField(User)
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = 'server_area_device'
            indexes = ((('area', 'taken_out_at'), False),)

    db.create_tables([ServerArea, AuthorisedPerson, AreaEntry, AreaDevice])


def down(migrator, db):
    for table in ('server_area_device', 'server_area_entry', 'server_area_person',
                  'server_area'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

"""The Audit Department's inspections: scope, team, checklist answers, findings.

Corrective actions raised on findings live in ``corrective_action`` (0003) with
``source_type = 'finding'``.
"""
from peewee import (CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
                    Model, TextField)


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

    class InspectionSequence(Base):
        year = IntegerField(primary_key=True)
        last_number = IntegerField()

        class Meta:
            table_name = 'inspection_sequence'

    class Inspection(Base):
        reference = CharField(max_length=16, unique=True)
        year = IntegerField()
        number = IntegerField()
        title = CharField(max_length=200)
        objective = TextField(default='')
        planned_on = DateField(index=True)
        performed_on = DateField(null=True)
        status = CharField(max_length=16, default='planned', index=True)
        lead = ForeignKeyField(User, index=True)
        checklist_version = CharField(max_length=20, default='')
        summary = TextField(default='')
        reported_at = DateTimeField(null=True)
        reported_by = ForeignKeyField(User, null=True)
        cancel_reason = CharField(max_length=500, default='')
        cancelled_at = DateTimeField(null=True)
        cancelled_by = ForeignKeyField(User, null=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            table_name = 'inspection'
            indexes = ((('year', 'number'), True),)

    class InspectionDepartment(Base):
        inspection = ForeignKeyField(Inspection, on_delete='CASCADE')
        department = ForeignKeyField(Department, on_delete='RESTRICT')

        class Meta:
            table_name = 'inspection_department'
            indexes = ((('inspection', 'department'), True), (('department',), False))

    class InspectionMember(Base):
        inspection = ForeignKeyField(Inspection, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='RESTRICT')

        class Meta:
            table_name = 'inspection_member'
            indexes = ((('inspection', 'user'), True), (('user',), False))

    class ChecklistAnswer(Base):
        inspection = ForeignKeyField(Inspection, on_delete='CASCADE')
        department = ForeignKeyField(Department, on_delete='RESTRICT')
        position = IntegerField()
        item_key = CharField(max_length=40)
        clause = CharField(max_length=120, default='')
        question = TextField()
        result = CharField(max_length=16, null=True)
        note = TextField(default='')
        answered_by = ForeignKeyField(User, null=True)
        answered_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            table_name = 'checklist_answer'
            indexes = ((('inspection', 'department', 'item_key'), True),)

    class Finding(Base):
        inspection = ForeignKeyField(Inspection, on_delete='RESTRICT')
        department = ForeignKeyField(Department, on_delete='RESTRICT')
        number = IntegerField()
        item_key = CharField(max_length=40, default='')
        severity = CharField(max_length=16)
        title = CharField(max_length=200)
        description = TextField()
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        closed_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            table_name = 'finding'
            indexes = ((('inspection', 'number'), True),
                       (('department', 'closed_at'), False))

    db.create_tables([InspectionSequence, Inspection, InspectionDepartment, InspectionMember,
                      ChecklistAnswer, Finding])


def down(migrator, db):
    for table in ('finding', 'checklist_answer', 'inspection_member', 'inspection_department',
                  'inspection', 'inspection_sequence'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

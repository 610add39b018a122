"""The personal information management ledger: entries, items, revisions, reviews, imports."""
import datetime

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, SmallIntegerField, TextField)


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

    class LedgerEntry(Base):
        uid = CharField(max_length=32, unique=True)
        department = ForeignKeyField(Department, index=True)
        title = CharField(max_length=200, index=True)
        category = CharField(max_length=32, default='', index=True)
        purposes = TextField(default='')
        acquisition_route = CharField(max_length=32, default='')
        acquisition_method = TextField(default='')
        notice_method = CharField(max_length=32, default='')
        notice_details = TextField(default='')
        person_band = SmallIntegerField(null=True, index=True)
        person_estimate = IntegerField(null=True)
        medium = CharField(max_length=16, default='', index=True)
        storage_location = BlobField(null=True)
        storage_country = CharField(max_length=2, default='JP', index=True)
        foreign_note = BlobField(null=True)
        access_persons = BlobField(null=True)
        use_period_months = IntegerField(null=True)
        use_period_note = CharField(max_length=200, default='')
        retention_period_months = IntegerField(null=True)
        retention_period_note = CharField(max_length=200, default='')
        disposal_methods = CharField(max_length=200, default='')
        disposal_note = TextField(default='')
        security_measures = CharField(max_length=200, default='')
        security_details = BlobField(null=True)
        outsourced = BooleanField(default=False, index=True)
        outsourcing_note = TextField(default='')
        third_party_provision = BooleanField(default=False, index=True)
        third_party_note = TextField(default='')
        special_care = BooleanField(default=False, index=True)
        special_care_override = CharField(max_length=3, default='')
        special_care_reason = TextField(default='')
        responsible = ForeignKeyField(User, null=True, on_delete='SET NULL', index=True)
        status = CharField(max_length=16, default='draft', index=True)
        last_reviewed_on = DateField(null=True)
        next_review_due = DateField(null=True, index=True)
        retired_on = DateField(null=True)
        retired_reason = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField(default=datetime.datetime.utcnow, index=True)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'ledger_entry'

    class LedgerEntryItem(Base):
        entry = ForeignKeyField(LedgerEntry, on_delete='CASCADE')
        code = CharField(max_length=40, default='')
        label = CharField(max_length=100, default='')

        class Meta:
            table_name = 'ledger_entry_item'
            indexes = ((('entry', 'code', 'label'), True), (('code', 'entry'), False))

    class LedgerRevision(Base):
        uid = CharField(max_length=32, unique=True)
        entry = ForeignKeyField(LedgerEntry, on_delete='CASCADE')
        version = IntegerField()
        at = DateTimeField()
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        action = CharField(max_length=16)
        fields = TextField(default='')
        changes = BlobField(null=True)

        class Meta:
            table_name = 'ledger_revision'
            indexes = ((('entry', 'version'), True),)

    class LedgerReview(Base):
        entry = ForeignKeyField(LedgerEntry, on_delete='CASCADE')
        reviewed_at = DateTimeField()
        reviewed_on = DateField()
        reviewer = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(max_length=16)
        note = TextField(default='')
        next_review_due = DateField()
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True, index=True)

        class Meta:
            table_name = 'ledger_review'
            indexes = ((('entry', 'reviewed_at'), False),)

    class LedgerImport(Base):
        uid = CharField(max_length=32, unique=True)
        uploader = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        expires_at = DateTimeField(index=True)
        filename = CharField(max_length=200)
        file_format = CharField(max_length=8)
        content = BlobField(null=True)
        committed_at = DateTimeField(null=True)
        summary = TextField(default='{}')

        class Meta:
            table_name = 'ledger_import'

    db.create_tables([LedgerEntry, LedgerEntryItem, LedgerRevision, LedgerReview,
                      LedgerImport])


def down(migrator, db):
    for table in ('ledger_import', 'ledger_review', 'ledger_revision', 'ledger_entry_item',
                  'ledger_entry'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

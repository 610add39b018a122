"""The registers: contractors and their supervision, third-party provision records,
devices and media with carry-outs and disposals, notices of a change of purpose."""
import datetime

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, TextField)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen references to tables of 0001 and 0002 (not created here).
    class Department(Base):
        class Meta:
            table_name = 'department'

    class User(Base):
        class Meta:
            table_name = 'user'

    class LedgerEntry(Base):
        class Meta:
            table_name = 'ledger_entry'

    class Contractor(Base):
        uid = CharField(max_length=32, unique=True)
        name = CharField(max_length=200, index=True)
        services = TextField(default='')
        contact = BlobField(null=True)
        countries = CharField(max_length=200, default='JP')
        foreign_measures = TextField(default='')
        agreement_signed_on = DateField(null=True)
        agreement_expires_on = DateField(null=True, index=True)
        next_check_due = DateField(null=True, index=True)
        active = BooleanField(default=True, index=True)
        ended_on = DateField(null=True)
        version = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'contractor'

    class RegisterDocument(Base):
        uid = CharField(max_length=32, unique=True)
        kind = CharField(max_length=16)
        contractor = ForeignKeyField(Contractor, null=True, on_delete='CASCADE')
        signed_on = DateField(null=True)
        expires_on = DateField(null=True)
        filename = CharField(max_length=200)
        media_type = CharField(max_length=40)
        size = IntegerField()
        content = BlobField(null=True)
        uploaded_at = DateTimeField(default=datetime.datetime.utcnow)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'register_document'
            indexes = ((('contractor', 'uploaded_at'), False),)

    class ContractorEntry(Base):
        contractor = ForeignKeyField(Contractor, on_delete='CASCADE')
        entry = ForeignKeyField(LedgerEntry)

        class Meta:
            table_name = 'contractor_entry'
            indexes = ((('contractor', 'entry'), True), (('entry',), False))

    class SupervisionCheck(Base):
        contractor = ForeignKeyField(Contractor, on_delete='CASCADE')
        checked_on = DateField()
        method = CharField(max_length=24)
        result = CharField(max_length=24)
        note = TextField(default='')
        next_due = DateField()
        checked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = 'supervision_check'
            indexes = ((('contractor', 'checked_on'), False),)

    class ProvisionRecord(Base):
        entry = ForeignKeyField(LedgerEntry)
        basis = CharField(max_length=16, index=True)
        recipient_name = CharField(max_length=200, index=True)
        recipient_address = TextField(default='')
        recipient_representative = CharField(max_length=200, default='')
        recipient_country = CharField(max_length=2, default='JP')
        provided_on = DateField()
        provided_until = DateField(null=True)
        record_case = CharField(max_length=16)
        recorded_on = DateField()
        persons_description = TextField(default='')
        items = TextField(default='')
        person_count = IntegerField(null=True)
        consent_evidence = TextField(default='')
        note = TextField(default='')
        keep_until = DateField(index=True)
        version = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'provision_record'
            indexes = ((('entry', 'provided_on'), False),)

    class Asset(Base):
        tag = CharField(max_length=40, unique=True)
        kind = CharField(max_length=16, index=True)
        description = CharField(max_length=200, default='')
        department = ForeignKeyField(Department, index=True)
        location = CharField(max_length=200)
        custodian = ForeignKeyField(User, null=True, on_delete='SET NULL')
        portable = BooleanField(default=False)
        encrypted = BooleanField(default=False)
        locked_storage = BooleanField(default=False)
        note = TextField(default='')
        state = CharField(max_length=16, default='in_service', index=True)
        version = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'asset'
            indexes = ((('department', 'tag'), False),)

    class AssetEntry(Base):
        asset = ForeignKeyField(Asset, on_delete='CASCADE')
        entry = ForeignKeyField(LedgerEntry)

        class Meta:
            table_name = 'asset_entry'
            indexes = ((('asset', 'entry'), True), (('entry',), False))

    class CarryOut(Base):
        asset = ForeignKeyField(Asset, on_delete='CASCADE')
        requested_by = ForeignKeyField(User)
        out_on = DateField()
        expected_return_on = DateField()
        destination = CharField(max_length=200)
        purpose = TextField()
        status = CharField(max_length=16, index=True)
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField(default=datetime.datetime.utcnow)
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        decision_note = TextField(default='')
        returned_on = DateField(null=True)
        return_note = TextField(default='')
        return_recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        return_recorded_at = DateTimeField(null=True)

        class Meta:
            table_name = 'asset_carry_out'
            indexes = ((('asset', 'recorded_at'), False),)

    class Disposal(Base):
        asset = ForeignKeyField(Asset, unique=True, on_delete='CASCADE')
        disposed_on = DateField()
        method = CharField(max_length=24)
        contractor = ForeignKeyField(Contractor, null=True)
        performed_by = ForeignKeyField(User)
        witness = ForeignKeyField(User)
        certificate = ForeignKeyField(RegisterDocument, null=True, on_delete='SET NULL')
        note = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = 'asset_disposal'

    class PurposeChange(Base):
        entry = ForeignKeyField(LedgerEntry)
        previous_purpose = TextField()
        new_purpose = TextField()
        notified_on = DateField(index=True)
        channel = CharField(max_length=16)
        channel_detail = CharField(max_length=300, default='')
        refusals_count = IntegerField(default=0)
        refusals_note = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'purpose_change'
            indexes = ((('entry', 'notified_on'), False),)

    db.create_tables([Contractor, RegisterDocument, ContractorEntry, SupervisionCheck,
                      ProvisionRecord, Asset, AssetEntry, CarryOut, Disposal, PurposeChange])
    # At most one carry-out in progress per asset, whatever the application does.
    db.execute_sql("CREATE UNIQUE INDEX asset_carry_out_one_open ON asset_carry_out (asset_id) "
                   "WHERE status IN ('requested', 'approved')")


def down(migrator, db):
    for table in ('purpose_change', 'asset_disposal', 'asset_carry_out', 'asset_entry', 'asset',
                  'provision_record', 'supervision_check', 'contractor_entry',
                  'register_document', 'contractor'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

"""Requests for Disclosure: requests, sealed documents, timeline, destruction records and
ledger links."""
import datetime

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen references to tables of 0001 and 0002 (not created here).
    class User(Base):
        class Meta:
            table_name = 'user'

    class LedgerEntry(Base):
        class Meta:
            table_name = 'ledger_entry'

    class DisclosureRequest(Base):
        uid = CharField(max_length=32, unique=True)
        received_on = DateField(index=True)
        mail_number = CharField(max_length=40)
        types = CharField(max_length=200)
        requested_method = CharField(max_length=16, default='unspecified')
        requester_name = BlobField(null=True)
        requester_address = BlobField(null=True)
        requester_phone = BlobField(null=True)
        requester_email = BlobField(null=True)
        proxy_kind = CharField(max_length=24, default='none')
        proxy_name = BlobField(null=True)
        proxy_relationship = BlobField(null=True)
        id_document_type = CharField(max_length=24, default='')
        form_complete = BooleanField(default=False)
        address_matches = BooleanField(default=False)
        relationship_document_checked = BooleanField(default=False)
        representative_id_checked = BooleanField(default=False)
        power_of_attorney_checked = BooleanField(default=False)
        seal_certificate_checked = BooleanField(default=False)
        status = CharField(max_length=16, default='received', index=True)
        due_on = DateField(index=True)
        verified_on = DateField(null=True)
        decision = CharField(max_length=16, default='')
        refusal_reason = CharField(max_length=40, default='')
        explanation = BlobField(null=True)
        decided_on = DateField(null=True)
        response_method = CharField(max_length=16, default='')
        paper_reason = BlobField(null=True)
        responded_on = DateField(null=True)
        completed_on = DateField(null=True)
        destroy_after = DateField(null=True, index=True)
        destroyed_at = DateTimeField(null=True)
        data_key = BlobField(null=True)
        created_by = ForeignKeyField(User)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            table_name = 'disclosure_request'

    class RequestDocument(Base):
        request = ForeignKeyField(DisclosureRequest, on_delete='CASCADE')
        kind = CharField(max_length=32)
        mime = CharField(max_length=40)
        size = IntegerField()
        filename = BlobField()
        content = BlobField()
        uploaded_by = ForeignKeyField(User)
        uploaded_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = 'disclosure_document'

    class DisclosureEvent(Base):
        request = ForeignKeyField(DisclosureRequest, on_delete='CASCADE')
        at = DateTimeField(default=datetime.datetime.utcnow)
        actor = ForeignKeyField(User, null=True)
        action = CharField(max_length=40)
        from_status = CharField(max_length=16, default='')
        to_status = CharField(max_length=16, default='')
        note = CharField(max_length=200, default='')

        class Meta:
            table_name = 'disclosure_event'
            indexes = ((('request', 'at'), False),)

    class DisclosureDestruction(Base):
        request = ForeignKeyField(DisclosureRequest, unique=True, on_delete='CASCADE')
        destroyed_at = DateTimeField(default=datetime.datetime.utcnow)
        run_date = DateField()
        destroy_after = DateField()
        document_count = IntegerField()
        total_bytes = IntegerField()
        kinds = CharField(max_length=300, default='')
        fields_redacted = CharField(max_length=300, default='')
        method = CharField(max_length=200)

        class Meta:
            table_name = 'disclosure_destruction'

    class DisclosureLedgerLink(Base):
        request = ForeignKeyField(DisclosureRequest, on_delete='CASCADE')
        entry = ForeignKeyField(LedgerEntry, on_delete='CASCADE')
        linked_by = ForeignKeyField(User)
        linked_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = 'disclosure_ledger_link'
            indexes = ((('request', 'entry'), True),)

    db.create_tables([DisclosureRequest, RequestDocument, DisclosureEvent,
                      DisclosureDestruction, DisclosureLedgerLink])


def down(migrator, db):
    for table in ('disclosure_ledger_link', 'disclosure_destruction', 'disclosure_event',
                  'disclosure_document', 'disclosure_request'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

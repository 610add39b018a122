"""Incidents, their append-only timeline and attachments, ledger links, reference
numbers, and the shared corrective actions."""
from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, SqliteDatabase, TextField)

# Columns that may change after insert: the encrypted ones, which key rotation
# re-encrypts. Everything else of a timeline entry or attachment is final.
APPEND_ONLY = {
    'incident_event': ('uid', 'incident_id', 'at', 'kind', 'author_id', 'by_reporter',
                       'from_status', 'to_status', 'summary', 'attachment_id', 'internal'),
    'incident_attachment': ('uid', 'incident_id', 'media_type', 'size', 'uploaded_by_id',
                            'by_reporter', 'uploaded_at'),
}


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

    class IncidentSequence(Base):
        year = IntegerField(primary_key=True)
        last_number = IntegerField()

        class Meta:
            table_name = 'incident_sequence'

    class Incident(Base):
        uid = CharField(max_length=32, unique=True)
        reference = CharField(max_length=16, unique=True)
        year = IntegerField()
        number = IntegerField()
        status = CharField(max_length=16, default='reported', index=True)
        kind = CharField(max_length=24)
        severity = CharField(max_length=12, null=True)
        summary = CharField(max_length=160, default='')
        narrative = BlobField()
        reporter_ref = CharField(max_length=64, index=True)
        reporter_identity = BlobField()
        reporter_name_shown = BooleanField(default=False)
        department = ForeignKeyField(Department, index=True)
        noticed_at = DateTimeField()
        reported_at = DateTimeField(index=True)
        aware_at = DateTimeField()
        aware_reason = CharField(max_length=500, default='')
        handler = ForeignKeyField(User, null=True, index=True)
        estimated_persons = IntegerField(null=True)
        persons_affected = IntegerField(null=True)
        data_items = CharField(max_length=2000, default='')
        special_care = BooleanField(default=False)
        property_damage_risk = BooleanField(default=False)
        wrongful_purpose = BooleanField(default=False)
        data_being_acquired = BooleanField(default=False)
        advanced_encryption = BooleanField(default=False)
        encryption_note = CharField(max_length=300, default='')
        reportable = BooleanField(default=False, index=True)
        preliminary_sent_on = DateField(null=True)
        final_sent_on = DateField(null=True)
        notice_sent_on = DateField(null=True)
        notice_count = IntegerField(null=True)
        notice_method = CharField(max_length=200, default='')
        announcement_on = DateField(null=True)
        announcement_note = CharField(max_length=300, default='')
        report_cause = BlobField(null=True)
        report_secondary_damage = BlobField(null=True)
        report_recurrence = BlobField(null=True)
        report_other = BlobField(null=True)
        closed_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            table_name = 'incident'
            indexes = ((('year', 'number'), True),)

    class IncidentAttachment(Base):
        uid = CharField(max_length=32, unique=True)
        incident = ForeignKeyField(Incident, on_delete='RESTRICT')
        filename = BlobField()
        content = BlobField()
        media_type = CharField(max_length=40)
        size = IntegerField()
        uploaded_by = ForeignKeyField(User, null=True)
        by_reporter = BooleanField(default=False)
        uploaded_at = DateTimeField()

        class Meta:
            table_name = 'incident_attachment'

    class IncidentEvent(Base):
        uid = CharField(max_length=32, unique=True)
        incident = ForeignKeyField(Incident, on_delete='RESTRICT')
        at = DateTimeField()
        kind = CharField(max_length=20)
        author = ForeignKeyField(User, null=True)
        by_reporter = BooleanField(default=False)
        from_status = CharField(max_length=16, null=True)
        to_status = CharField(max_length=16, null=True)
        summary = CharField(max_length=500, default='')
        body = BlobField(null=True)
        attachment = ForeignKeyField(IncidentAttachment, null=True)
        internal = BooleanField(default=True)

        class Meta:
            table_name = 'incident_event'
            indexes = ((('incident', 'at'), False),)

    class IncidentLedgerLink(Base):
        incident = ForeignKeyField(Incident, on_delete='CASCADE')
        entry = ForeignKeyField(LedgerEntry, on_delete='RESTRICT')
        linked_by = ForeignKeyField(User, null=True)
        by_reporter = BooleanField(default=False)
        linked_at = DateTimeField()

        class Meta:
            table_name = 'incident_ledger_link'
            indexes = ((('incident', 'entry'), True), (('entry',), False))

    class CorrectiveAction(Base):
        source_type = CharField(max_length=20)
        source_id = IntegerField()
        title = CharField(max_length=200)
        owner = ForeignKeyField(User, index=True)
        due_on = DateField()
        status = CharField(max_length=16, default='open', index=True)
        done_evidence = TextField(default='')
        done_at = DateTimeField(null=True)
        effectiveness_check = TextField(default='')
        verified_by = ForeignKeyField(User, null=True)
        verified_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            table_name = 'corrective_action'
            indexes = ((('source_type', 'source_id'), False),)

    db.create_tables([IncidentSequence, Incident, IncidentAttachment, IncidentEvent,
                      IncidentLedgerLink, CorrectiveAction])

    for table, columns in APPEND_ONLY.items():
        if isinstance(db, SqliteDatabase):
            db.execute_sql(
                "CREATE TRIGGER %s_no_update BEFORE UPDATE OF %s ON %s "
                "BEGIN SELECT RAISE(ABORT, '%s is append-only'); END"
                % (table, ', '.join(columns), table, table))
            db.execute_sql(
                "CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s "
                "BEGIN SELECT RAISE(ABORT, '%s is append-only'); END" % (table, table, table))
        else:
            changed = ' OR '.join('NEW.%s IS DISTINCT FROM OLD.%s' % (c, c) for c in columns)
            db.execute_sql(
                "CREATE FUNCTION %s_append_only() RETURNS trigger AS $$ BEGIN "
                "IF TG_OP = 'DELETE' OR %s THEN "
                "RAISE EXCEPTION '%s is append-only'; END IF; RETURN NEW; END; "
                "$$ LANGUAGE plpgsql" % (table, changed, table))
            db.execute_sql(
                "CREATE TRIGGER %s_append_only BEFORE UPDATE OR DELETE ON %s "
                "FOR EACH ROW EXECUTE FUNCTION %s_append_only()" % (table, table, table))


def down(migrator, db):
    if not isinstance(db, SqliteDatabase):
        for table in APPEND_ONLY:
            db.execute_sql('DROP TRIGGER IF EXISTS %s_append_only ON %s' % (table, table))
            db.execute_sql('DROP FUNCTION IF EXISTS %s_append_only()' % table)
    for table in ('corrective_action', 'incident_ledger_link', 'incident_event',
                  'incident_attachment', 'incident', 'incident_sequence'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

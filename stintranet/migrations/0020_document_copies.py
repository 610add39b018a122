"""Server-made PDF documents (issue 19): the copies kept of what was sent, and the PPC
report pack as it stood at each filing.

1. ``disclosure_letter_copy``: each PDF of a response or refusal letter made for a
   requester (which letter, language, file name, pages, size, SHA-256, who made it when),
   its content sealed with the request's own data key; destroyed with the request's
   documents, when ``disclosure_destruction.letter_copies`` counts them.
2. ``incident_filing``: the PPC report pack's facts (encrypted JSON) taken when the filing
   of the preliminary (速報) or final (確報) report was recorded, one per report.
3. ``incident_pack_copy``: each PDF of the pack made (which report, whether as filed or a
   draft, language, file name, pages, size, SHA-256, who made it when), encrypted with the
   key ring.
"""
from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen references to tables of earlier migrations (not created here).
    class User(Base):
        class Meta:
            table_name = 'user'

    class DisclosureRequest(Base):
        class Meta:
            table_name = 'disclosure_request'

    class Incident(Base):
        class Meta:
            table_name = 'incident'

    migrator.migrate(
        migrator.add_column('disclosure_destruction', 'letter_copies',
                            IntegerField(default=0)),
    )

    class DisclosureLetterCopy(Base):
        request = ForeignKeyField(DisclosureRequest, on_delete='CASCADE')
        kind = CharField(max_length=16)
        locale = CharField(max_length=8)
        file_name = CharField(max_length=200)
        pages = IntegerField()
        size = IntegerField()
        sha256 = CharField(max_length=64)
        content = BlobField()
        made_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        made_at = DateTimeField()

        class Meta:
            table_name = 'disclosure_letter_copy'
            indexes = ((('request', 'made_at'), False),)

    class IncidentFiling(Base):
        uid = CharField(max_length=32, unique=True)
        incident = ForeignKeyField(Incident, on_delete='RESTRICT')
        stage = CharField(max_length=16)
        filed_on = DateField()
        recorded_at = DateTimeField()
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        facts = BlobField()

        class Meta:
            table_name = 'incident_filing'
            indexes = ((('incident', 'stage'), True),)

    class IncidentPackCopy(Base):
        uid = CharField(max_length=32, unique=True)
        incident = ForeignKeyField(Incident, on_delete='RESTRICT')
        stage = CharField(max_length=16)
        filed = BooleanField(default=False)
        locale = CharField(max_length=8)
        file_name = CharField(max_length=200)
        pages = IntegerField()
        size = IntegerField()
        sha256 = CharField(max_length=64)
        content = BlobField()
        made_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        made_at = DateTimeField()

        class Meta:
            table_name = 'incident_pack_copy'
            indexes = ((('incident', 'made_at'), False),)

    db.create_tables([DisclosureLetterCopy, IncidentFiling, IncidentPackCopy])


def down(migrator, db):
    for table in ('incident_pack_copy', 'incident_filing', 'disclosure_letter_copy'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)
    migrator.migrate(migrator.drop_column('disclosure_destruction', 'letter_copies'))

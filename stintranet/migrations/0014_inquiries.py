"""Inquiries and complaints (issue 17, APPI Art. 40): the Customer Center's record of each
one (channel, received, the person's contact details, what they said and the answer
encrypted, subject, category, kind, due date, who answered and when, closed) and its links
to the Request for Disclosure or the incident it became.
"""
from peewee import (BlobField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
                    Model)


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

    class Inquiry(Base):
        uid = CharField(max_length=32, unique=True)
        kind = CharField(max_length=16, default='inquiry')
        channel = CharField(max_length=16)
        received_at = DateTimeField(index=True)
        contact_name = BlobField(null=True)
        contact_details = BlobField(null=True)
        subject = CharField(max_length=200)
        content = BlobField(null=True)
        category = CharField(max_length=24, index=True)
        due_on = DateField(index=True)
        status = CharField(max_length=16, default='open', index=True)
        answer = BlobField(null=True)
        answered_by = ForeignKeyField(User, null=True)
        answered_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True)
        closed_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User)
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = 'inquiry'

    class InquiryLink(Base):
        inquiry = ForeignKeyField(Inquiry, on_delete='CASCADE')
        disclosure_request = ForeignKeyField(DisclosureRequest, null=True, index=True)
        incident = ForeignKeyField(Incident, null=True, index=True)
        note = CharField(max_length=200, default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            table_name = 'inquiry_link'
            indexes = ((('inquiry', 'disclosure_request'), True),
                       (('inquiry', 'incident'), True))

    db.create_tables([Inquiry, InquiryLink])


def down(migrator, db):
    for table in ('inquiry_link', 'inquiry'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)

"""In-app notifications and the e-mail outbox."""
import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = 'user'

    class Notification(Base):
        user = ForeignKeyField(User, on_delete='CASCADE')
        key = CharField(max_length=160)
        subject = CharField(max_length=200)
        body = TextField(default='')
        link = CharField(max_length=300, default='')
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        read_at = DateTimeField(null=True)

        class Meta:
            indexes = ((('user', 'key'), True), (('user', 'read_at', 'created_at'), False))

    class OutboxMessage(Base):
        notification = ForeignKeyField(Notification, null=True, on_delete='SET NULL')
        to_address = CharField(max_length=254)
        subject = CharField(max_length=200)
        body = TextField()
        status = CharField(max_length=10, default='pending')
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        last_error = CharField(max_length=500, default='')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)

        class Meta:
            indexes = ((('status', 'next_attempt_at'), False),)

    db.create_tables([Notification, OutboxMessage])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS outbox_message')
    db.execute_sql('DROP TABLE IF EXISTS notification')

"""Key check values, the current data key, and e-mail priorities (issue 16).

``key_check`` keeps, for each key file, a value made with the key when it was
created, so a start with a missing or different key file is refused instead of
sealing new data under the wrong key. ``instance_setting`` holds the current
data key, so every process follows ``keys rotate``. The check values of an
existing instance's keys are recorded by ``init-db`` after this migration.

``outbox_message.priority`` lets an incident alert go out before a burst of
reminders.
"""
import datetime

from peewee import CharField, DateTimeField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class KeyCheck(Base):
        name = CharField(max_length=60, primary_key=True)
        check_value = CharField(max_length=200)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        retired_at = DateTimeField(null=True)

        class Meta:
            table_name = 'key_check'

    class InstanceSetting(Base):
        name = CharField(max_length=60, primary_key=True)
        value = CharField(max_length=200)

        class Meta:
            table_name = 'instance_setting'

    db.create_tables([KeyCheck, InstanceSetting])
    migrator.add_column('outbox_message', 'priority', IntegerField(default=0)).run()


def down(migrator, db):
    migrator.drop_column('outbox_message', 'priority').run()
    db.execute_sql('DROP TABLE IF EXISTS instance_setting')
    db.execute_sql('DROP TABLE IF EXISTS key_check')

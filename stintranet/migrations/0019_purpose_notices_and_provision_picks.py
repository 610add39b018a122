"""Notices of a change of purpose tied to the ledger, and the provision records a Request
for Disclosure concerns (issue 17, parts 7 and 8).

1. ``purpose_change.effective_on``: the day the new purpose takes effect (the persons are
   notified before it); on that day the daily job writes the new purposes into the ledger
   entry, with a revision. ``status``: 'scheduled', 'applied' (``applied_at``, and the
   entry's version it made, ``applied_version``) or 'withdrawn' (``withdrawn_at``,
   ``withdrawn_by``, ``withdrawal_reason``). Existing notices were recorded after the
   fact: effective on their notice day, 'applied' (without a revision of their own).
2. ``disclosure_provision_pick``: for a request for the disclosure of third-party
   provision records, the provision records of the linked ledger entries that the
   Customer Center found to concern the requester (who picked it, when).
"""
from peewee import (CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model,
                    TextField)


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

    class ProvisionRecord(Base):
        class Meta:
            table_name = 'provision_record'

    migrator.migrate(
        migrator.add_column('purpose_change', 'effective_on', DateField(null=True)),
        migrator.add_column('purpose_change', 'status',
                            CharField(max_length=16, default='applied')),
        migrator.add_column('purpose_change', 'applied_at', DateTimeField(null=True)),
        migrator.add_column('purpose_change', 'applied_version', IntegerField(null=True)),
        migrator.add_column('purpose_change', 'withdrawn_at', DateTimeField(null=True)),
        migrator.add_column('purpose_change', 'withdrawn_by_id',
                            ForeignKeyField(User, field=User.id, null=True,
                                            on_delete='SET NULL')),
        migrator.add_column('purpose_change', 'withdrawal_reason', TextField(default='')),
    )
    db.execute_sql('UPDATE purpose_change SET effective_on = notified_on')
    migrator.migrate(
        migrator.add_not_null('purpose_change', 'effective_on'),
        migrator.add_index('purpose_change', ('effective_on',), False),
        migrator.add_index('purpose_change', ('status',), False),
    )

    class DisclosureProvisionPick(Base):
        request = ForeignKeyField(DisclosureRequest, on_delete='CASCADE')
        record = ForeignKeyField(ProvisionRecord, on_delete='CASCADE')
        picked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        picked_at = DateTimeField()

        class Meta:
            table_name = 'disclosure_provision_pick'
            indexes = ((('request', 'record'), True), (('record',), False))

    db.create_tables([DisclosureProvisionPick])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS disclosure_provision_pick')
    for index in ('purpose_change_effective_on', 'purpose_change_status',
                  'purpose_change_withdrawn_by_id'):
        db.execute_sql('DROP INDEX IF EXISTS %s' % index)
    migrator.migrate(
        migrator.drop_column('purpose_change', 'withdrawal_reason'),
        migrator.drop_column('purpose_change', 'withdrawn_by_id'),
        migrator.drop_column('purpose_change', 'withdrawn_at'),
        migrator.drop_column('purpose_change', 'applied_version'),
        migrator.drop_column('purpose_change', 'applied_at'),
        migrator.drop_column('purpose_change', 'status'),
        migrator.drop_column('purpose_change', 'effective_on'),
    )

"""Carry-outs as people work (issue 17, part 6).

1. ``asset_carry_out.approver``: who decides on the request, 'manager' (another manager
   of the asset's department) or 'committee' (the requester is the department's only
   manager, no other manager is active, or the medium is portable and unencrypted and
   needs the committee's exception). Existing rows: 'manager'; an open request for an
   unencrypted portable medium goes to the committee.
2. ``exception_reason``: why an unencrypted medium must be carried out (the requester's
   words, for the committee's exception).
3. A new state 'out' between 'approved' and 'returned': an approval for a later day is
   'approved' until the daily job moves it out on its day. Existing 'approved' rows were
   out already (the asset's state says so) and become 'out'; ``went_out_at`` is when a
   carry-out went out (their decision time).
4. 'cancelled' before it goes out (``cancelled_at``, ``cancelled_by``).
5. The partial unique index (at most one carry-out in progress per asset) counts 'out'.
"""
from peewee import (CharField, DateTimeField, ForeignKeyField, Model, SqliteDatabase,
                    TextField)

OLD_OPEN = "('requested', 'approved')"
NEW_OPEN = "('requested', 'approved', 'out')"
UNENCRYPTED_PORTABLE = ("SELECT id FROM asset WHERE portable = %(true)s AND encrypted = "
                        "%(false)s AND kind != 'paper' AND state != 'disposed'")


def _one_open_index(db, statuses):
    db.execute_sql('DROP INDEX IF EXISTS asset_carry_out_one_open')
    db.execute_sql('CREATE UNIQUE INDEX asset_carry_out_one_open ON asset_carry_out '
                   '(asset_id) WHERE status IN %s' % statuses)


def _booleans(db):
    if isinstance(db, SqliteDatabase):
        return {'true': '1', 'false': '0'}
    return {'true': 'TRUE', 'false': 'FALSE'}


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    migrator.migrate(
        migrator.add_column('asset_carry_out', 'approver',
                            CharField(max_length=16, default='manager')),
        migrator.add_column('asset_carry_out', 'exception_reason', TextField(default='')),
        migrator.add_column('asset_carry_out', 'went_out_at', DateTimeField(null=True)),
        migrator.add_column('asset_carry_out', 'cancelled_at', DateTimeField(null=True)),
        migrator.add_column('asset_carry_out', 'cancelled_by_id',
                            ForeignKeyField(User, field=User.id, null=True,
                                            on_delete='SET NULL')),
    )
    db.execute_sql('DROP INDEX IF EXISTS asset_carry_out_one_open')
    db.execute_sql("UPDATE asset_carry_out SET status = 'out', went_out_at = decided_at "
                   "WHERE status = 'approved'")
    db.execute_sql("UPDATE asset_carry_out SET approver = 'committee' WHERE status = "
                   "'requested' AND asset_id IN (%s)" % (UNENCRYPTED_PORTABLE % _booleans(db)))
    _one_open_index(db, NEW_OPEN)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS asset_carry_out_one_open')
    db.execute_sql("UPDATE asset_carry_out SET status = 'approved' WHERE status = 'out'")
    db.execute_sql("UPDATE asset_carry_out SET status = 'rejected' WHERE status = 'cancelled'")
    db.execute_sql('DROP INDEX IF EXISTS asset_carry_out_cancelled_by_id')
    migrator.migrate(
        migrator.drop_column('asset_carry_out', 'cancelled_by_id'),
        migrator.drop_column('asset_carry_out', 'cancelled_at'),
        migrator.drop_column('asset_carry_out', 'went_out_at'),
        migrator.drop_column('asset_carry_out', 'exception_reason'),
        migrator.drop_column('asset_carry_out', 'approver'),
    )
    _one_open_index(db, OLD_OPEN)

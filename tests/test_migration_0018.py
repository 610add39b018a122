"""Migration 0018 (issue 17, part 6): carry-outs that were "approved" were out already and
become 'out'; an open request for an unencrypted medium goes to the committee."""
import importlib

import pytest

from stintranet import db as dbmod
from stintranet.registers import services
from stintranet.registers.models import CarryOut
from stintranet.timezone import today_local
from tests import factories
from tests.registers.factories import days, make_asset, manager_of

NAME = '0018_carry_out_flow'


def undo():
    """Run 0018's ``down`` and forget that it was applied: the schema before the upgrade."""
    runner = dbmod.migration_runner()
    module = importlib.import_module('stintranet.migrations.%s' % NAME)
    with dbmod.database.atomic():
        module.down(runner.migrator, dbmod.database.obj)
        runner.History.delete().where(runner.History.name == NAME).execute()
    if not dbmod.is_sqlite():
        dbmod.database.execute_sql(
            "SELECT setval(pg_get_serial_sequence('schema_migration', 'id'), "
            "(SELECT MAX(id) FROM schema_migration))")
    return runner, module


def redo(runner, module):
    """Apply 0018 alone, as an upgrade from 0017 does."""
    with dbmod.database.atomic():
        module.up(runner.migrator, dbmod.database.obj)
        runner.History.create(name=NAME)


@pytest.fixture(autouse=True)
def leave_the_schema_migrated(app):
    """A failed test must not leave the shared database without 0018."""
    yield
    runner = dbmod.migration_runner()
    if NAME not in {m.name for m in runner.status() if m.applied}:
        redo(runner, importlib.import_module('stintranet.migrations.%s' % NAME))


def test_old_carry_outs_are_moved_to_the_new_states(app):
    """After the upgrade, is an old "approved" carry-out 'out' (with when it went out),
    and an open request for an unencrypted stick the committee's?"""
    manager = manager_of('SALES')
    employee = factories.make_user(department='SALES')
    laptop = make_asset('SALES', actor=manager, kind='pc', encrypted=True)
    usb = make_asset('SALES', actor=manager)
    today = today_local()
    out = services.request_carry_out(laptop, {
        'requested_by': employee.id, 'out_on': today - days(1),
        'expected_return_on': today + days(1), 'destination': 'Osaka', 'purpose': 'Fair'},
        actor=employee)
    services.decide_carry_out(laptop, out.id, approve=True, actor=manager)
    pending = services.request_carry_out(usb, {
        'requested_by': employee.id, 'out_on': today, 'expected_return_on': today,
        'destination': 'Osaka', 'purpose': 'Fair', 'exception_reason': 'Only this one'},
        actor=employee)
    runner, module = undo()
    db = dbmod.database
    assert db.execute_sql('SELECT status FROM asset_carry_out WHERE id = %d' % out.id
                          ).fetchone()[0] == 'approved'
    redo(runner, module)
    moved = CarryOut.get_by_id(out.id)
    assert moved.status == 'out' and moved.went_out_at == moved.decided_at
    assert moved.approver == 'manager'
    assert CarryOut.get_by_id(pending.id).approver == 'committee'

"""Migration 0011 (issue 14): existing rows get the leaked-key answer 'unknown' and their
stored dates recomputed by the law's counts."""
import datetime
import importlib

import pytest

from stintranet import db as dbmod
from stintranet.disclosure.models import DisclosureRequest
from stintranet.incidents.models import Incident, IncidentEvent
from stintranet.registers.models import ProvisionRecord
from tests.disclosure.factories import make_request
from tests.incidents.factories import make_incident
from tests.ledger.factories import make_entry
from tests.registers.factories import make_provision

D = datetime.date
NAME = '0011_legal_dates'


def undo_0011():
    """Drop 0011's column and forget that it was applied: the schema before the upgrade."""
    runner = dbmod.migration_runner()
    module = importlib.import_module('stintranet.migrations.%s' % NAME)
    with dbmod.database.atomic():
        module.down(runner.migrator, dbmod.database.obj)
        runner.History.delete().where(runner.History.name == NAME).execute()
    if not dbmod.is_sqlite():
        # The test database's reset restarts every sequence, this table's too.
        dbmod.database.execute_sql(
            "SELECT setval(pg_get_serial_sequence('schema_migration', 'id'), "
            "(SELECT MAX(id) FROM schema_migration))")
    return runner


def redo_0011(runner):
    """Apply 0011 as an upgrade from 0010 does."""
    assert runner.up(target=NAME) == [NAME]


@pytest.fixture(autouse=True)
def leave_the_schema_migrated(app):
    """A failed test must not leave the shared database without 0011."""
    yield
    runner = dbmod.migration_runner()
    if NAME not in {m.name for m in runner.status() if m.applied}:
        redo_0011(runner)


def test_existing_rows_are_recomputed(app):
    """After the upgrade, is an encrypted case with a ground reportable (with a timeline
    entry), a request's kept-until day the Civil Code's, and a default provision record's
    keep-until day the law's, while chosen and destroyed dates stay?"""
    encrypted = make_incident(status='investigating', special_care=True,
                              advanced_encryption=True, encryption_note='AES-256')
    harmless = make_incident(status='triage', advanced_encryption=True, encryption_note='AES',
                             persons_affected=10)
    plain = make_incident(status='triage', persons_affected=5000)
    closed_month_end = make_request('completed', received_on=D(2026, 6, 10),
                                    completed_on=D(2026, 6, 30))
    mid_month = make_request('completed', received_on=D(2026, 5, 1), completed_on=D(2026, 5, 17))
    destroyed = make_request('completed', received_on=D(2025, 6, 10), completed_on=D(2025, 6, 30))
    entry = make_entry('SALES')
    contract = make_provision(entry, record_case='contract', provided_on=D(2026, 7, 15),
                              recorded_on=D(2026, 7, 15))
    chosen = make_provision(entry, record_case='contract', provided_on=D(2026, 7, 15),
                            recorded_on=D(2026, 7, 15), keep_until=D(2030, 1, 31))
    bulk = make_provision(entry, record_case='bulk', provided_on=D(2024, 1, 10),
                          provided_until=D(2024, 6, 30), recorded_on=D(2024, 1, 10))

    # The rows as the rules before issue 14 left them.
    runner = undo_0011()
    Incident.update(reportable=False).where(Incident.id << [encrypted.id, harmless.id]).execute()
    DisclosureRequest.update(destroy_after=D(2026, 12, 30)).where(
        DisclosureRequest.id == closed_month_end.id).execute()
    DisclosureRequest.update(destroy_after=D(2025, 12, 30),
                             destroyed_at=datetime.datetime(2025, 12, 31, 1)).where(
        DisclosureRequest.id == destroyed.id).execute()
    ProvisionRecord.update(keep_until=D(2027, 7, 15)).where(
        ProvisionRecord.id == contract.id).execute()
    version = encrypted.version
    redo_0011(runner)

    after = Incident.get_by_id(encrypted.id)
    assert after.key_leaked == 'unknown' and after.reportable
    assert after.version == version + 1
    assert after.clocks(), 'the clocks run'
    event = IncidentEvent.select().where((IncidentEvent.incident == encrypted.id)
                                         & (IncidentEvent.kind == 'triage')).get()
    assert 'key or password may also have leaked was never asked' in event.summary
    assert not Incident.get_by_id(harmless.id).reportable
    assert Incident.get_by_id(plain.id).reportable
    assert Incident.get_by_id(plain.id).key_leaked == 'unknown'
    assert not IncidentEvent.select().where((IncidentEvent.incident << [harmless.id, plain.id])
                                            & (IncidentEvent.kind == 'triage')).exists()

    assert DisclosureRequest.get_by_id(closed_month_end.id).destroy_after == D(2026, 12, 31)
    assert DisclosureRequest.get_by_id(mid_month.id).destroy_after == D(2026, 11, 17)
    assert DisclosureRequest.get_by_id(destroyed.id).destroy_after == D(2025, 12, 30)

    assert ProvisionRecord.get_by_id(contract.id).keep_until == D(2027, 7, 14)
    assert ProvisionRecord.get_by_id(chosen.id).keep_until == D(2030, 1, 31)
    assert ProvisionRecord.get_by_id(bulk.id).keep_until == D(2027, 6, 29)


def test_running_it_again_changes_nothing(app):
    """Is the recomputation idempotent (an upgrade applied to rows already right)?"""
    case = make_incident(status='triage', special_care=True, advanced_encryption=True,
                         encryption_note='AES-256', key_leaked='no')
    req = make_request('completed', received_on=D(2026, 6, 10), completed_on=D(2026, 6, 30))
    redo_0011(undo_0011())
    after = Incident.get_by_id(case.id)
    assert after.key_leaked == 'unknown' and after.reportable  # the column is new again
    assert DisclosureRequest.get_by_id(req.id).destroy_after == D(2026, 12, 31)

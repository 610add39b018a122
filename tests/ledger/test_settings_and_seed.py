"""The review interval setting, the daily job and the demo seed."""
import pytest

from stintranet import seed
from stintranet.ledger.models import LedgerEntry, LedgerEntryItem, add_months
from stintranet.timezone import today_local
from tests.ledger.factories import make_entry


@pytest.fixture
def app_config():
    return {'LEDGER_REVIEW_MONTHS': 6}


def test_review_interval_is_configurable(departments):
    """Does a shorter configured interval set the next review that much sooner?"""
    entry = make_entry()
    assert entry.next_review_due == add_months(today_local(), 6)


def test_interval_longer_than_a_year_is_refused(database_url, tmp_path):
    """Is a review interval over twelve months refused at start-up?"""
    from tests.conftest import make_app
    instance = tmp_path / 'other'
    instance.mkdir(mode=0o700)
    with pytest.raises(RuntimeError, match='at least yearly'):
        make_app(database_url, instance, LEDGER_REVIEW_MONTHS=18)


def test_daily_job_purges_expired_uploads(runner):
    """Does the daily job run the ledger's upload purge?"""
    result = runner.invoke(args=['jobs', 'run'])
    assert result.exit_code == 0, result.output
    assert 'ledger-imports-purge: 0 expired uploads deleted' in result.output


def test_demo_seed_has_a_realistic_ledger(app):
    """Does the demo hold ~30 entries in every department, some overdue, one abroad,
    some special-care?"""
    context = seed.seed_demo('Demo-password-for-tests-2026')
    today = today_local()
    entries = list(LedgerEntry.select())
    assert 28 <= len(entries) <= 35
    codes = {e.department.code for e in entries}
    assert codes == {'SALES', 'HR', 'IT', 'CC', 'LEGAL', 'AUDIT'}
    current = [e for e in entries if e.status != 'retired']
    assert sum(1 for e in current if e.next_review_due < today) >= 3
    abroad = [e for e in current if e.is_abroad and e.foreign_note]
    assert [e.storage_country for e in abroad] == ['SG']
    special = {e.department.code for e in entries if e.special_care}
    assert {'HR', 'CC'} <= special
    assert LedgerEntryItem.select().where(LedgerEntryItem.code == 'health').count() >= 3
    assert any(e.status == 'retired' for e in entries)
    committee = context['users']['committee']
    counts = LedgerEntry.health_counts(committee, today)
    assert counts['overdue'] >= 3 and counts['foreign_note'] == 1

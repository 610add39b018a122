"""The audit chain is checked every day from where the last good check stopped; a break is
told to the auditors and the committee, shown on their home pages and on /audit-log/,
whose rows that fail verification are marked; ``audit verify`` stays a full check."""
import re

import pytest

from stintranet import auditlog
from stintranet.auditlog import jobs as audit_jobs
from stintranet.auditlog.models import AuditCheck, AuditEvent, failing, verify_from
from stintranet.auth.models import User
from stintranet.dashboard import worklist
from stintranet.db import utcnow
from stintranet.notifications.models import Notification
from tests import factories
from tests.auditlog.test_chain import append_events, tamper  # noqa: F401  (fixture)


def check(today=None):
    return audit_jobs.check_chain(today or utcnow().date())


def test_each_check_starts_after_the_last_good_one(app):
    """Does the daily check walk only the entries added since its last good check?"""
    append_events(5)
    assert check() == '5 new entries verified, up to 5'
    append_events(3)
    assert check() == '3 new entries verified, up to 8'
    assert check() == '0 new entries verified, up to 8'
    last = AuditCheck.latest()
    assert (last.first_seq, last.last_seq, last.ok) == (9, 8, True)
    assert last.last_hash == AuditEvent.get_by_id(8).hash


def test_a_verified_entry_altered_later_is_caught(app, tamper):  # noqa: F811
    """Is the last verified entry read again, so that its later alteration is caught,
    though the entries before it are not (``audit verify`` does that)?"""
    append_events(4)
    check()
    tamper.execute_sql("UPDATE audit_event SET details = '{}' WHERE seq = 4")
    result = verify_from(4, AuditCheck.latest().last_hash)
    assert not result.ok and result.bad_seq == 4 and 'after it was verified' in result.reason


def test_a_cut_off_tail_is_caught(app, tamper):  # noqa: F811
    """Are entries removed after the last verified one reported?"""
    append_events(4)
    check()
    tamper.execute_sql('DELETE FROM audit_event WHERE seq >= 3')
    assert check().startswith('BROKEN at entry 4')


@pytest.fixture
def readers(app):
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    factories.make_user(roles=('employee',))
    return auditor, chair


def test_a_break_is_told_shown_and_marked(client, readers, tamper):  # noqa: F811
    """Does a tampered entry make the check fail, notify the auditors and the committee
    once, put the break on their work lists, and show on /audit-log/ with the row
    marked; and does ``audit verify`` still find it?"""
    auditor, chair = readers
    append_events(6)
    check()
    append_events(3)
    tamper.execute_sql("UPDATE audit_event SET details = '{\"n\": 99}' "
                       "WHERE seq = (SELECT MAX(seq) - 1 FROM audit_event)")
    broken_seq = AuditEvent.select().count() - 1
    summary = check()
    assert summary.startswith('BROKEN at entry %d' % broken_seq)
    check()  # the next day finds it again, and tells nobody twice
    notified = sorted(n.user_id for n in Notification.select().where(
        Notification.key == 'audit-chain:broken:%d' % broken_seq))
    assert notified == sorted([auditor.id, chair.id])
    assert AuditCheck.broken().bad_seq == broken_seq

    def work_of(user):
        with client.application.test_request_context('/'):
            return worklist.for_user(User.load_for_session(user.id), utcnow().date(),
                                     utcnow()).items

    for reader in (auditor, chair):
        items = work_of(reader)
        assert items[0].kind.name == 'audit-chain' and items[0].urgent
    employee = User.select().order_by(User.id.desc()).first()
    assert not [i for i in work_of(employee) if i.kind.name == 'audit-chain']

    client.post('/login', data={'email': auditor.email, 'password': factories.PASSWORD})
    page = client.get('/audit-log/')
    assert page.status_code == 200
    assert 'First broken entry: %d' % broken_seq in page.text
    assert 'id="auditlog-entry-%d"' % broken_seq in page.text
    assert len(re.findall('Fails verification', page.text)) == 1
    home = client.get('/')
    assert 'The audit log fails verification at entry %d' % broken_seq in home.text

    result = client.application.test_cli_runner().invoke(args=['audit', 'verify'])
    assert result.exit_code == 1 and 'BROKEN at entry %d' % broken_seq in result.output


def test_an_intact_log_shows_its_last_check(client, readers):
    """Does /audit-log/ say up to which entry the last check verified, marking no row?"""
    auditor, chair = readers
    append_events(3)
    check()
    client.post('/login', data={'email': auditor.email, 'password': factories.PASSWORD})
    page = client.get('/audit-log/')
    assert 'every entry up to %d verifies' % AuditCheck.latest().last_seq in page.text
    assert 'Fails verification' not in page.text


def test_failing_marks_a_row_whose_predecessor_was_removed(app, tamper):  # noqa: F811
    """Is an entry whose predecessor is gone marked as failing, and an intact page not?"""
    append_events(5)
    page = list(AuditEvent.select().order_by(AuditEvent.seq.desc()))
    assert failing(page) == set()
    tamper.execute_sql('DELETE FROM audit_event WHERE seq = 3')
    assert failing(list(AuditEvent.select().where(AuditEvent.seq == 4))) == {4}


def test_the_daily_job_runs_the_check(runner, app):
    """Does ``jobs run`` run the chain check and say what it verified?"""
    auditlog.append('something')
    result = runner.invoke(args=['jobs', 'run'])
    assert 'audit-chain-check: ' in result.output and 'verified' in result.output
    assert AuditCheck.latest().ok

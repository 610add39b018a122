"""The command line: init-db, create-user, seed-demo, backup, jobs."""
import datetime
import os
import sqlite3
import stat

import pytest

from stintranet import db as dbmod
from stintranet import seed
from stintranet.auditlog.models import AuditEvent
from stintranet.auth import passwords
from stintranet.auth.models import Department, LoginAttempt, User
from tests import factories
from tests.conftest import TEST_CONFIG

GOOD = 'Cherry-blossom-path-2026'
ON_POSTGRES = bool(os.environ.get('STINTRANET_TEST_POSTGRES'))


def test_init_db_on_empty_database_is_idempotent(tmp_path):
    """Does init-db create the schema on an empty database, and change nothing the second time?"""
    from stintranet import create_app
    path = tmp_path / 'empty.sqlite3'
    app = create_app(dict(TEST_CONFIG, DATABASE_URL='sqlite:///%s' % path,
                          INSTANCE_PATH=str(tmp_path / 'instance'), STARTUP_CHECKS=False))
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(args=['init-db'])
        assert first.exit_code == 0, first.output
        assert 'Applied: 0001_initial' in first.output
        assert 'Created the key files keys/data-0001.key' in first.output
        with dbmod.database.connection_context():
            tables = set(dbmod.database.get_tables())
            triggers = {row[0] for row in dbmod.database.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {'user', 'department', 'user_role', 'managed_department', 'login_attempt',
                'audit_event'} <= tables
        assert {'audit_event_no_update', 'audit_event_no_delete'} <= triggers
        second = runner.invoke(args=['init-db'])
        assert second.exit_code == 0
        assert 'The schema is up to date.' in second.output
    finally:
        dbmod.database.close()


def test_init_db_on_migrated_database(runner):
    """Is init-db a no-op on the already migrated test database?"""
    result = runner.invoke(args=['init-db'])
    assert result.exit_code == 0
    assert 'The schema is up to date.' in result.output


def create_user_args(email='cli.user@st-group.example', *extra):
    return ['create-user', email, '--name', 'CLI User', '--department', 'SALES',
            '--role', 'employee', *extra]


def test_create_user_reads_password_from_stdin(runner, client):
    """Does create-user take the password from standard input, and can the user sign in?"""
    factories.make_department('SALES')
    result = runner.invoke(args=create_user_args(), input=GOOD + '\n')
    assert result.exit_code == 0, result.output
    assert 'Created cli.user@st-group.example (employee)' in result.output
    user = User.by_email('cli.user@st-group.example')
    assert passwords.verify_password(user.password_hash, GOOD)
    assert not user.must_change_password
    response = client.post('/login', data={'email': user.email, 'password': GOOD})
    assert response.status_code == 302
    event = AuditEvent.select().where(AuditEvent.action == 'create').get()
    assert event.object_id == str(user.id)


def test_create_manager_with_departments(runner):
    """Can create-user make a manager of named departments (codes in any case)?"""
    factories.make_department('SALES')
    hr = factories.make_department('HR')
    result = runner.invoke(args=[
        'create-user', 'mgr@st-group.example', '--name', 'Mgr', '--department', 'sales',
        '--role', 'employee', '--role', 'manager', '--manages', 'hr'], input=GOOD + '\n')
    assert result.exit_code == 0, result.output
    user = User.load_for_session(User.by_email('mgr@st-group.example').id)
    assert user.roles == {'employee', 'manager'}
    assert user.managed_department_ids == {hr.id}


@pytest.mark.parametrize('args,message', [
    (['--department', 'NOPE'], 'No department with code NOPE'),
    (['--manages', 'SALES'], '--manages needs --role manager'),
    (['--role', 'manager'], '--role manager needs --manages'),
    (['--manages', 'NOPE', '--role', 'manager'], 'No department with code NOPE'),
    (['--name', 'x' * 121], 'at most 120'),
    (['--name', '   '], 'Give a name'),
])
def test_create_user_refuses_bad_options(runner, args, message):
    """Is an unknown department or an inconsistent manager refused with a message?"""
    factories.make_department('SALES')
    base = ['create-user', 'bad@st-group.example', '--name', 'Bad', '--role', 'employee']
    if '--department' not in args:
        base += ['--department', 'SALES']
    result = runner.invoke(args=base + args, input=GOOD + '\n')
    assert result.exit_code == 1
    assert message in result.output
    assert User.by_email('bad@st-group.example') is None


def test_create_user_unknown_role_is_usage_error(runner):
    """Is an unknown role a usage error?"""
    factories.make_department('SALES')
    result = runner.invoke(args=['create-user', 'x@st-group.example', '--name', 'X',
                                 '--department', 'SALES', '--role', 'root'],
                           input=GOOD + '\n')
    assert result.exit_code == 2
    assert User.by_email('x@st-group.example') is None


@pytest.mark.parametrize('password,message', [
    ('short', 'at least 12'),
    ('Password12345', 'too common'),
    ('cli.user-is-my-password', 'e-mail name'),
    ('', 'at least 12'),
])
def test_create_user_refuses_weak_password(runner, password, message):
    """Is a password that breaks the policy refused and no account created?"""
    factories.make_department('SALES')
    result = runner.invoke(args=create_user_args(), input=password + '\n')
    assert result.exit_code == 1
    assert message in result.output
    assert User.by_email('cli.user@st-group.example') is None


def test_create_user_refuses_duplicate(runner):
    """Is a second account with the same e-mail refused?"""
    factories.make_user(email='cli.user@st-group.example')
    result = runner.invoke(args=create_user_args('CLI.User@st-group.example'),
                           input=GOOD + '\n')
    assert result.exit_code == 1
    assert 'exists already' in result.output


def test_create_user_refuses_malformed_email(runner):
    """Is an e-mail address without a domain refused?"""
    factories.make_department('SALES')
    result = runner.invoke(args=create_user_args('not-an-address'), input=GOOD + '\n')
    assert result.exit_code == 1
    assert User.select().where(User.email == 'not-an-address').count() == 0


def test_seed_demo_creates_the_organisation(runner, app, client):
    """Does seed-demo create the 6 departments and 11 accounts of docs/design.md and print them?"""
    result = runner.invoke(args=['seed-demo', '--password', GOOD])
    assert result.exit_code == 0, result.output
    assert {d.code for d in Department.select()} == {'SALES', 'HR', 'IT', 'CC', 'AUDIT',
                                                     'LEGAL'}
    expected = {'admin', 'chair', 'committee', 'auditor', 'cc', 'manager.sales',
                'manager.hr', 'manager.it', 'alice', 'bob', 'carol'}
    emails = {u.email for u in User.select()}
    assert emails == {'%s@st-group.example' % local for local in expected}
    for email in emails:
        assert email in result.output
    assert 'Password for every demo account: %s' % GOOD in result.output
    manager = User.load_for_session(User.by_email('manager.hr@st-group.example').id)
    assert manager.roles == {'employee', 'manager'}
    assert manager.managed_department_ids == {Department.get(Department.code == 'HR').id}
    assert User.load_for_session(User.by_email('admin@st-group.example').id).roles == {'admin'}
    auditor = User.by_email('auditor@st-group.example')
    assert auditor.department.code == 'AUDIT'
    response = client.post('/login', data={'email': 'carol@st-group.example',
                                           'password': GOOD})
    assert response.status_code == 302


def test_seed_demo_generates_a_password(runner, app):
    """Without --password, is a password generated, printed and kept in a 0600 file?"""
    result = runner.invoke(args=['seed-demo'])
    assert result.exit_code == 0, result.output
    path = os.path.join(app.instance_path, 'demo-password.txt')
    password = open(path).read().strip()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert 'Password for every demo account: %s' % password in result.output
    assert passwords.verify_password(User.by_email('alice@st-group.example').password_hash,
                                     password)
    again = runner.invoke(args=['seed-demo', '--if-empty'])
    assert password in again.output


def test_seed_demo_refuses_non_empty_database(runner):
    """Does seed-demo refuse a database that has accounts?"""
    factories.make_user()
    result = runner.invoke(args=['seed-demo', '--password', GOOD])
    assert result.exit_code == 1
    assert 'not empty' in result.output
    assert User.select().count() == 1


def test_seed_demo_if_empty_is_a_no_op(runner):
    """Does --if-empty leave a database with accounts alone and exit 0?"""
    factories.make_user()
    result = runner.invoke(args=['seed-demo', '--if-empty', '--password', GOOD])
    assert result.exit_code == 0
    assert 'no demo data added' in result.output
    assert User.select().count() == 1


def test_seed_demo_if_empty_seeds_an_empty_database(runner):
    """Does --if-empty seed when there is nothing yet?"""
    result = runner.invoke(args=['seed-demo', '--if-empty', '--password', GOOD])
    assert result.exit_code == 0
    assert User.select().count() == len(seed.USERS)


@pytest.mark.skipif(ON_POSTGRES, reason='SQLite online backup')
def test_backup_creates_a_readable_copy(runner, tmp_path):
    """Does backup write a private SQLite copy holding the committed accounts?"""
    user = factories.make_user(email='in.backup@st-group.example')
    target = tmp_path / 'backup.sqlite3'
    result = runner.invoke(args=['backup', str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    copy = sqlite3.connect(target)
    try:
        assert copy.execute('PRAGMA integrity_check').fetchone() == ('ok',)
        emails = {row[0] for row in copy.execute('SELECT email FROM user')}
        count = copy.execute('SELECT COUNT(*) FROM audit_event').fetchone()[0]
    finally:
        copy.close()
    assert user.email in emails
    assert count >= 1
    assert AuditEvent.head().action == 'backup'


@pytest.mark.skipif(ON_POSTGRES, reason='SQLite online backup')
def test_failed_backup_leaves_no_file(runner, tmp_path, monkeypatch):
    """Does a backup that fails while copying leave no (empty) file behind, and say so?"""
    import types

    from stintranet import cli

    def read_only(path):  # the copy cannot be written: as on a full or failing disk
        return sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    monkeypatch.setattr(cli, 'sqlite3', types.SimpleNamespace(connect=read_only,
                                                             Error=sqlite3.Error))
    target = tmp_path / 'backup.sqlite3'
    result = runner.invoke(args=['backup', str(target)])
    assert result.exit_code == 1
    assert 'The backup failed (' in result.output
    assert 'no file was left at %s' % target in result.output
    assert not target.exists()
    assert AuditEvent.head() is None or AuditEvent.head().action != 'backup'


@pytest.mark.skipif(ON_POSTGRES, reason='SQLite online backup')
def test_backup_refuses_existing_path(runner, tmp_path):
    """Does backup refuse to overwrite an existing file?"""
    target = tmp_path / 'exists.sqlite3'
    target.write_bytes(b'keep me')
    result = runner.invoke(args=['backup', str(target)])
    assert result.exit_code == 1
    assert 'exists' in result.output
    assert target.read_bytes() == b'keep me'


@pytest.mark.skipif(ON_POSTGRES, reason='SQLite online backup')
def test_backup_into_missing_folder_is_an_error_message(runner, tmp_path):
    """Is a backup into a folder that does not exist a clear error, not a traceback?"""
    result = runner.invoke(args=['backup', str(tmp_path / 'missing' / 'b.sqlite3')])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert 'Error' in result.output


@pytest.mark.skipif(not ON_POSTGRES, reason='PostgreSQL only')
def test_backup_on_postgres_points_to_pg_dump(runner, tmp_path):
    """On PostgreSQL, does backup refuse and point to pg_dump?"""
    result = runner.invoke(args=['backup', str(tmp_path / 'b.sqlite3')])
    assert result.exit_code == 1
    assert 'pg_dump' in result.output


def test_jobs_run_purges_old_login_attempts(runner):
    """Does the daily job on 2026-12-01 remove login attempts older than 90 days only?"""
    old = LoginAttempt.create(at=datetime.datetime(2026, 9, 1, 23, 59), ip='1.2.3.4',
                              email='a@st-group.example', success=False)
    kept = LoginAttempt.create(at=datetime.datetime(2026, 9, 2, 0, 1), ip='1.2.3.4',
                               email='a@st-group.example', success=True)
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-12-01'])
    assert result.exit_code == 0, result.output
    assert 'login-attempts-purge: 1 removed' in result.output
    remaining = {a.id for a in LoginAttempt.select()}
    assert old.id not in remaining and kept.id in remaining
    again = runner.invoke(args=['jobs', 'run', '--today', '2026-12-01'])
    assert again.exit_code == 0
    assert 'login-attempts-purge: 0 removed' in again.output


def test_jobs_run_without_date(runner):
    """Does the daily job run for today when no date is given?"""
    result = runner.invoke(args=['jobs', 'run'])
    assert result.exit_code == 0, result.output
    assert 'login-attempts-purge' in result.output


def test_jobs_run_malformed_date(runner):
    """Is a malformed --today a usage error?"""
    result = runner.invoke(args=['jobs', 'run', '--today', '01/12/2026'])
    assert result.exit_code == 2


def test_keys_rotate_on_empty_database(runner, app):
    """Does keys rotate add key 2 even with nothing to re-encrypt?"""
    result = runner.invoke(args=['keys', 'rotate'])
    assert result.exit_code == 0, result.output
    assert 'Key 2 is current; 0 values re-encrypted' in result.output
    mode = os.stat(os.path.join(app.instance_path, 'keys', 'data-0002.key')).st_mode
    assert stat.S_IMODE(mode) == 0o600

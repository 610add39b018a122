"""Start-up checks (database reachable, migrated, instance writable, keys) and /healthz."""
import os
import subprocess

import pytest

from stintranet import create_app, startup
from stintranet.db import close_all, database
from tests.conftest import TEST_CONFIG

UNREACHABLE = 'postgresql://stintranet:s3cret-pw@127.0.0.1:1/nowhere'


def config_of(app, **extra):
    return dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                INSTANCE_PATH=app.instance_path, **extra)


def test_healthz_says_ok_without_login(client):
    """Does /healthz answer a plain "ok" to anyone, with no page around it?"""
    response = client.get('/healthz')
    assert response.status_code == 200
    assert response.text == 'ok'
    assert response.headers['Content-Type'].startswith('text/plain')
    assert response.headers['Cache-Control'] == 'no-store'


def test_healthz_names_the_failed_check(app, client):
    """With a key file gone, does /healthz answer 503 and the name of the check only?"""
    os.rename(os.path.join(app.instance_path, 'keys', 'audit-hmac.key'),
              os.path.join(app.instance_path, 'audit-hmac.key.away'))
    response = client.get('/healthz')
    assert response.status_code == 503
    assert response.text == 'keys'


def test_wrong_database_url_is_refused(tmp_path):
    """Does a database URL that answers nothing stop the start, with the URL (password hidden) and the setting to check?"""
    with pytest.raises(startup.StartupError) as raised:
        create_app(dict(TEST_CONFIG, DATABASE_URL=UNREACHABLE,
                        INSTANCE_PATH=str(tmp_path / 'instance')))
    message = str(raised.value)
    assert message.startswith('stintranet cannot start (database check): Cannot reach the '
                              'database postgresql://stintranet:***@127.0.0.1:1/nowhere')
    assert 'STINTRANET_DATABASE_URL' in message
    assert 's3cret-pw' not in message


def test_healthz_reports_an_unreachable_database(tmp_path):
    """Once started, does a database that went away make /healthz say "database" (503)?"""
    app = create_app(dict(TEST_CONFIG, DATABASE_URL=UNREACHABLE, STARTUP_CHECKS=False,
                          INSTANCE_PATH=str(tmp_path / 'instance')))
    response = app.test_client().get('/healthz')
    assert (response.status_code, response.text) == (503, 'database')


def test_database_without_schema_is_refused(tmp_path):
    """Does an empty database stop the start and point to init-db?"""
    with pytest.raises(startup.StartupError, match=r'\(migrations check\).*has no schema. '
                                                   r'Run "flask --app app init-db"'):
        create_app(dict(TEST_CONFIG, INSTANCE_PATH=str(tmp_path / 'instance'),
                        DATABASE_URL='sqlite:///%s' % (tmp_path / 'empty.sqlite3')))
    close_all()


def test_database_not_migrated_is_refused(app):
    """With the last migration not applied, do the server and commands refuse and name it?"""
    database.execute_sql("DELETE FROM schema_migration WHERE name = '0012_keys_and_queue'")
    try:
        with pytest.raises(startup.StartupError) as raised:
            create_app(config_of(app))
        assert str(raised.value) == (
            'stintranet cannot start (migrations check): The database is not migrated: 1 '
            'migration(s) pending (0012_keys_and_queue). Run "flask --app app init-db".')
        result = app.test_cli_runner().invoke(args=['audit', 'verify'])
        assert result.exit_code == 1 and '0012_keys_and_queue' in result.output
    finally:  # PostgreSQL: the next test shares the migration history
        database.execute_sql("INSERT INTO schema_migration (id, name, applied) SELECT "
                             "MAX(id) + 1, '0012_keys_and_queue', '2026-01-01 00:00:00' "
                             "FROM schema_migration")


def test_database_of_a_newer_version_is_refused(app):
    """Does a database migrated by a newer version (an unknown migration) stop the start?"""
    database.execute_sql("INSERT INTO schema_migration (id, name, applied) SELECT "
                         "MAX(id) + 1, '0099_future', '2030-01-01 00:00:00' "
                         "FROM schema_migration")
    try:
        with pytest.raises(startup.StartupError, match='newer version of stintranet'):
            create_app(config_of(app))
    finally:
        database.execute_sql("DELETE FROM schema_migration WHERE name = '0099_future'")


@pytest.fixture
def read_only_instance(app):
    """The test's instance folder, made read-only by a read-only bind mount on itself
    (root ignores file modes); skipped where mounting is not allowed."""
    folder = app.instance_path
    if os.geteuid() != 0:
        os.chmod(folder, 0o500)
        yield folder
        os.chmod(folder, 0o700)
        return
    mounted = subprocess.run(['mount', '--bind', folder, folder], capture_output=True)
    if mounted.returncode:
        pytest.skip('cannot bind-mount here: %s' % mounted.stderr.decode().strip())
    try:
        subprocess.run(['mount', '-o', 'remount,bind,ro', folder], check=True,
                       capture_output=True)
        yield folder
    finally:
        close_all()
        subprocess.run(['umount', folder], check=True)


def test_read_only_instance_folder_is_refused(app, read_only_instance):
    """Does a read-only instance folder stop the start, saying which folder and what to do?"""
    with pytest.raises(startup.StartupError) as raised:
        create_app(config_of(app))
    message = str(raised.value)
    assert message.startswith('stintranet cannot start (instance check): The instance folder '
                              '%s is not writable' % read_only_instance)
    assert 'write access' in message


def test_checks_are_cheap(app):
    """Do the start-up checks stay a handful of queries (every test app runs them)?"""
    from playhouse.test_utils import count_queries
    with count_queries() as counter:
        assert startup.failed_check(app) is None
    assert counter.count <= 5

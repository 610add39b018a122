"""Fixtures: ``app`` on a fresh database, ``client``, ``runner``, ``login_as``.

The suite runs on SQLite (a temporary file per test, copied from a database
migrated once) and, when ``STINTRANET_TEST_POSTGRES`` names a server, on a
PostgreSQL database of its own that the session creates and drops.

The session's database is made by ``init-db``, which creates its key files;
each test's instance folder gets a copy of them (``make_app``), and on
PostgreSQL the key tables are put back as ``init-db`` left them before each
test, so a test that rotates keys leaves nothing behind.
"""
import os
import shutil
import uuid

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

from stintranet import create_app, startup
from stintranet import db as dbmod
from stintranet import keys as keysmod
from tests import factories

TEST_CONFIG = {
    'TESTING': True,
    'WTF_CSRF_ENABLED': False,
    'SECRET_KEY': 'test-secret-key',
    # Cheap hashes keep the suite fast; the parameters are checked in their own test.
    'ARGON2_TIME_COST': 1,
    'ARGON2_MEMORY_COST': 1024,
    # Tasks run at once, in the test (the queue's own tests turn this off).
    'QUEUE_IMMEDIATE': True,
    # The suite's assertions are in English; tests/e2e/test_japanese.py and
    # tests/test_language.py run in Japanese.
    'DEFAULT_LOCALE': 'en',
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    """Compile the catalogues whose .mo is missing or older than the .po (``make test``
    compiles them too; this covers a bare ``pytest`` after editing a .po)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    folder = os.path.join(ROOT, 'translations')
    for language in os.listdir(folder):
        po = os.path.join(folder, language, 'LC_MESSAGES', 'messages.po')
        mo = po[:-2] + 'mo'
        if not os.path.exists(po) or (os.path.exists(mo)
                                      and os.path.getmtime(mo) >= os.path.getmtime(po)):
            continue
        with open(po, 'rb') as fh:
            catalog = read_po(fh, locale=language)
        temporary = '%s.%s.tmp' % (mo, uuid.uuid4().hex[:8])
        with open(temporary, 'wb') as fh:
            write_mo(fh, catalog)
        os.replace(temporary, mo)  # several xdist workers may compile at once


# The instance folder holding the keys of each session database, by its URL.
KEY_SOURCES = {}
# PostgreSQL: the key tables' rows as init-db left them.
KEY_ROWS = {}


def _pg_admin_connect(url):
    import psycopg
    from playhouse.db_url import parse
    params = parse(url, unquote_password=True)
    params['dbname'] = params.pop('database')
    return psycopg.connect(autocommit=True, **params), params


@pytest.fixture(scope='session')
def database_url(tmp_path_factory):
    """The database every test of this session uses (its schema migrated once)."""
    base = os.environ.get('STINTRANET_TEST_POSTGRES')
    if base:
        name = 'stintranet_test_%s' % uuid.uuid4().hex[:12]
        conn, params = _pg_admin_connect(base)
        conn.execute('CREATE DATABASE %s' % name)
        url = base.rsplit('/', 1)[0] + '/' + name
        _migrate(url, tmp_path_factory.mktemp('pg-instance'))
        yield url
        KEY_SOURCES.pop(url, None)
        dbmod.database.close() if dbmod.database.obj is not None else None
        conn.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)' % name)
        conn.close()
    else:
        folder = tmp_path_factory.mktemp('template')
        path = folder / 'template.sqlite3'
        _migrate('sqlite:///%s' % path, folder, 'template:%s' % path)
        yield 'template:%s' % path


def _migrate(url, instance, name=None):
    """``init-db`` on the session's empty database: the schema and the key files."""
    app = create_app(dict(TEST_CONFIG, DATABASE_URL=url, INSTANCE_PATH=str(instance),
                          STARTUP_CHECKS=False))
    result = app.test_cli_runner().invoke(args=['init-db'])
    assert result.exit_code == 0, result.output
    KEY_SOURCES[name or url] = str(instance)
    with app.app_context():
        KEY_ROWS[name or url] = (list(keysmod.KeyCheck.select().dicts()),
                                 list(keysmod.InstanceSetting.select().dicts()))
    dbmod.close_all()  # the pooled connection too: the template file gets its WAL


def copy_keys(database_url, instance_path):
    """Give a test's instance folder the key files of the session's database."""
    target = os.path.join(instance_path, keysmod.KEYS_FOLDER)
    if not os.path.exists(target):
        shutil.copytree(os.path.join(KEY_SOURCES[database_url], keysmod.KEYS_FOLDER), target)


def _reset_postgres(database_url):
    """Empty every table and restart the id sequences before each test; put back the
    key tables' rows as init-db left them.

    DELETE is used where it can be: TRUNCATE rewrites each table's files and
    costs seconds per test once there are some forty tables. With
    ``session_replication_role = replica`` (superuser only) the foreign-key
    checks and the audit log's append-only trigger are skipped, so order does
    not matter.
    """
    database = dbmod.database
    tables = [t for t in database.get_tables() if t != 'schema_migration']
    superuser = database.execute_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
    if not superuser:
        database.execute_sql('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only')
        database.execute_sql('TRUNCATE %s RESTART IDENTITY CASCADE'
                             % ', '.join('"%s"' % t for t in tables))
        database.execute_sql('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only')
        _restore_key_rows(database_url)
        return
    sequences = [row[0] for row in database.execute_sql(
        "SELECT sequence_name FROM information_schema.sequences "
        "WHERE sequence_schema = current_schema()").fetchall()]
    with database.atomic():
        database.execute_sql('SET LOCAL session_replication_role = replica')
        for table in tables:
            database.execute_sql('DELETE FROM "%s"' % table)
        for sequence in sequences:
            database.execute_sql('SELECT setval(%s, 1, false)', ('"%s"' % sequence,))
    _restore_key_rows(database_url)


def _restore_key_rows(database_url):
    checks, settings = KEY_ROWS[database_url]
    keysmod.KeyCheck.insert_many(checks).execute()
    keysmod.InstanceSetting.insert_many(settings).execute()


def make_app(database_url, instance_path, **overrides):
    if database_url.startswith('template:'):
        target = os.path.join(instance_path, 'stintranet.sqlite3')
        if not os.path.exists(target):
            shutil.copyfile(database_url[len('template:'):], target)
            os.chmod(target, 0o600)
        url = 'sqlite:///' + target
    else:
        url = database_url
    copy_keys(database_url, instance_path)
    config = dict(TEST_CONFIG, DATABASE_URL=url, INSTANCE_PATH=str(instance_path))
    config.update(overrides)
    return create_app(config)


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in an app context of its own.

    The ``app`` fixture keeps an app context open for the factories; requests
    pushed inside it would share its ``g`` (flask-login's cached user, the CSRF
    token), so a replayed cookie could pass or fail for the wrong reason.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app_config():
    """Override in a module to change the test app's settings."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    instance = tmp_path / 'instance'
    instance.mkdir(mode=0o700)
    if database_url.startswith('template:'):
        app = make_app(database_url, instance, **app_config)
    else:  # checked once the previous test's rows are gone
        app = make_app(database_url, instance, STARTUP_CHECKS=False, **app_config)
        _reset_postgres(database_url)
        startup.require(app)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
    dbmod.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Create a user with ``roles`` and sign the test client in as them."""
    def login(*roles, department='SALES', manages=(), email=None, **kwargs):
        roles = roles or ('employee',)
        user = factories.make_user(roles=roles, department=department, manages=manages,
                                   email=email, **kwargs)
        response = client.post('/login', data={'email': user.email,
                                               'password': factories.PASSWORD})
        assert response.status_code == 302, response.text
        return user
    return login

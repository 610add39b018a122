"""The database proxy, the base model, connection hooks and migrations.

On SQLite every transaction begins IMMEDIATE: with the default deferred BEGIN
a transaction that reads and then writes can fail with "database is locked"
under concurrent load, whatever the busy timeout.
"""
import datetime
import os

from flask import request
from peewee import DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase
from playhouse import db_url
from playhouse.migrations import Runner
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = DatabaseProxy()


def _forget_inherited_connections():
    """A child process (gunicorn --preload, a forking job runner) must never use a
    connection its parent opened: it forgets them without closing them."""
    if database.obj is not None:
        database.obj.dispose()


os.register_at_fork(after_in_child=_forget_inherited_connections)

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), 'migrations')


def utcnow():
    """Naive UTC now; every stored time is UTC and shown in Asia/Tokyo."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def make_database(url, busy_timeout_ms=10000, pool_size=0):
    """Build a peewee database from a URL (``sqlite:///path`` or ``postgresql://...``).

    With ``pool_size`` connections are kept open between requests (at most that
    many per process; an hour at most each): a request then skips the connect
    and the pragmas, and SQLite keeps its page cache. A connection goes back
    to the pool with any open transaction rolled back.
    """
    # A request finding every pooled connection in use waits for one (busy-timeout long).
    pool = {'max_connections': pool_size, 'stale_timeout': 3600,
            'timeout': busy_timeout_ms / 1000} if pool_size else None
    if url.startswith('sqlite:///'):
        path = url[len('sqlite:///'):]
        if path and not os.path.exists(path):
            # Compliance data: the file (and its WAL, which inherits the mode) is private.
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except OSError:
                pass  # the start-up check reports the database as unreachable
        # (A pooled database takes ``timeout`` as its wait; the busy_timeout pragma
        # is what makes SQLite wait for the write lock in both cases.)
        # A pooled connection may serve another thread later (one thread at a time).
        cls, extra = ((PooledSqliteDatabase, dict(pool, check_same_thread=False)) if pool
                      else (SqliteDatabase, {'timeout': busy_timeout_ms / 1000}))
        pragmas = {
            'journal_mode': 'wal',
            'foreign_keys': 1,
            'busy_timeout': busy_timeout_ms,
            'synchronous': 'full',
            'secure_delete': 1,
        }
        return cls(path, lock_type='IMMEDIATE', pragmas=pragmas, **extra)
    if url.startswith(('postgres://', 'postgresql://')):
        parsed = db_url.parse(url)
        if pool:
            return PooledPostgresqlDatabase(prefer_psycopg3=True, **pool, **parsed)
        return PostgresqlDatabase(prefer_psycopg3=True, **parsed)
    return db_url.connect(url)


def is_sqlite():
    return isinstance(database.obj, SqliteDatabase)


def init_app(app):
    url = app.config['DATABASE_URL'] or 'sqlite:///' + os.path.join(
        app.instance_path, 'stintranet.sqlite3')
    app.config['DATABASE_URL'] = url
    if hasattr(database.obj, 'close_all'):
        database.obj.close_all()  # another app in this process (tests): drop its pool
    database.initialize(make_database(url, app.config['SQLITE_BUSY_TIMEOUT_MS'],
                                      app.config['DATABASE_POOL_SIZE']))

    @app.before_request
    def open_database_connection():
        # Stylesheets and scripts need no connection; /healthz reports a failing one.
        if request.endpoint not in ('static', 'healthz'):
            database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def close_database_connection(exc):
        if not database.is_closed():
            database.close()


def close_all():
    """Close this thread's connection and, with a pool, every idle pooled one."""
    if database.obj is None:
        return
    database.close()
    if hasattr(database.obj, 'close_all'):
        database.obj.close_all()


def migration_runner():
    return Runner(database.obj, MIGRATIONS_DIR)


def migrate():
    """Apply pending migrations; return their names (idempotent)."""
    with database.connection_context():
        return migration_runner().up()

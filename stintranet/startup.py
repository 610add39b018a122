"""Start-up checks, and ``/healthz`` for load balancers and monitoring.

A deployment that cannot work refuses to start instead of answering 500s:
``create_app`` runs the checks when a server imports the app (gunicorn, the
queue's consumer), every command but ``init-db`` runs them first, and
``/healthz`` runs them on each call. Each check returns None, or a message
saying what is wrong and what to do.
"""
import os
from contextlib import contextmanager

from flask import current_app

from . import keys
from .auth.decorators import public
from .db import database, migration_runner


class StartupError(RuntimeError):
    """The app cannot work as configured; the message says why and what to do."""


@contextmanager
def connection():
    """The open connection, or one for the duration (closed only if opened here)."""
    opened = database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened:
            database.close()


def shown_url(url):
    """The database URL without its password, for messages."""
    scheme, sep, rest = url.partition('://')
    credentials, at, host = rest.rpartition('@')
    if at and ':' in credentials:
        credentials = credentials.split(':', 1)[0] + ':***'
    return scheme + sep + credentials + at + host


def check_instance(app):
    folder = app.instance_path
    probe = os.path.join(folder, '.write-check-%d' % os.getpid())
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as exc:
        return ('The instance folder %s is not writable (%s): the app writes its SQLite '
                'database, queue and key files there. Give the user the app runs as write '
                'access to it (STINTRANET_INSTANCE_PATH moves it).' % (folder, exc.strerror))
    return None


def check_database(app):
    try:
        with connection():
            database.execute_sql('SELECT 1')
    except Exception as exc:  # noqa: BLE001 — any driver error means "unreachable"
        return ('Cannot reach the database %s (%s). Check STINTRANET_DATABASE_URL and that '
                'the database server is running.'
                % (shown_url(app.config['DATABASE_URL']), str(exc).strip() or type(exc).__name__))
    return None


def check_migrations(app):
    with connection():
        status = migration_runner().status()
    pending = [m.name for m in status if m.applied is None]
    unknown = [m.name for m in status if m.path is None]
    if unknown:
        return ('The database was migrated by a newer version of stintranet (%s): deploy that '
                'version, or restore a backup made by this one.' % ', '.join(unknown))
    if len(pending) == len(status):
        return ('The database %s has no schema. Run "flask --app app init-db" (a new '
                'instance), or restore the database from its backup.'
                % shown_url(app.config['DATABASE_URL']))
    if pending:
        return ('The database is not migrated: %d migration(s) pending (%s). Run "flask --app '
                'app init-db".' % (len(pending), ', '.join(pending)))
    return None


def check_keys(app):
    try:
        with connection():
            keys.load_all(app.instance_path, secret=app.config['SECRET_KEY_FROM_FILE'])
    except keys.KeyProblem as exc:
        return str(exc)
    return None


CHECKS = (
    ('instance', check_instance),
    ('database', check_database),
    ('migrations', check_migrations),
    ('keys', check_keys),
)


def failed_check(app, skip=()):
    """(name, message) of the first check that fails, or None."""
    for name, check in CHECKS:
        if name in skip:
            continue
        message = check(app)
        if message:
            return name, message
    return None


def require(app, skip=()):
    """Raise StartupError naming the first failed check and what to do."""
    failure = failed_check(app, skip)
    if failure:
        raise StartupError('stintranet cannot start (%s check): %s' % failure)


@public
def healthz():
    """``ok``, or the name of the failed check with 503: no login, no data."""
    failure = failed_check(current_app)
    if failure:
        return failure[0], 503, {'Content-Type': 'text/plain; charset=utf-8'}
    return 'ok', 200, {'Content-Type': 'text/plain; charset=utf-8'}


def init_app(app):
    app.add_url_rule('/healthz', 'healthz', healthz)

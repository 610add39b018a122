"""Four writer and four reader processes on one database: no "database is locked", no lost update."""
import multiprocessing
import queue
import traceback

import pytest

from stintranet import auditlog
from stintranet.auditlog.models import AuditEvent
from stintranet.auth.models import User
from tests import factories
from tests.conftest import TEST_CONFIG

WRITERS = 4
READERS = 4
EVENTS_PER_WRITER = 30
FAILURES_PER_WRITER = 8


def worker_app(config):
    from stintranet import create_app
    return create_app(config)


def writer(config, name, email, results, start):
    """Read-then-write transactions: an audit event after a read, failed logins."""
    try:
        app = worker_app(config)
        from stintranet.auth import services
        from stintranet.db import database
        with app.app_context():
            start.wait()
            for n in range(EVENTS_PER_WRITER):
                with database.atomic():
                    users = User.select().count()  # read first, then write
                    auditlog.append('concurrency', actor_email=name, object_type='writer',
                                    object_id=n, details={'users': users})
                if n < FAILURES_PER_WRITER:
                    result = services.authenticate(email, 'wrong-password-%d' % n,
                                                   '10.0.%d.%d' % (len(name), n))
                    assert not result.ok
            database.close()
        results.put(('ok', name, ''))
    except BaseException:  # report everything, the parent asserts
        results.put(('error', name, traceback.format_exc()))


def reader(config, name, results, start, done):
    """Keep reading while the writers write; the chain read must never fail."""
    try:
        app = worker_app(config)
        from stintranet.db import database
        rounds = 0
        with app.app_context():
            start.wait()
            while not done.is_set() or rounds < 5:
                AuditEvent.select().count()
                list(User.select().limit(10))
                AuditEvent.head()
                assert auditlog.verify().ok
                rounds += 1
            database.close()
        results.put(('ok', name, str(rounds)))
    except BaseException:
        results.put(('error', name, traceback.format_exc()))


@pytest.fixture
def app_config():
    return {'LOCKOUT_THRESHOLD': 10000, 'CLIENT_FAILURE_LIMIT': 10000}


def test_four_writers_four_readers(app):
    """Do 4 writer and 4 reader processes on one database finish without a lock error or lost update?"""
    target = factories.make_user(email='contended@st-group.example')
    before = AuditEvent.select().count()
    config = dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                  INSTANCE_PATH=app.instance_path, LOCKOUT_THRESHOLD=10000,
                  CLIENT_FAILURE_LIMIT=10000)
    from stintranet.db import database
    database.close()

    ctx = multiprocessing.get_context('spawn')
    results, start, done = ctx.Queue(), ctx.Event(), ctx.Event()
    writers = [ctx.Process(target=writer, args=(config, 'writer%d' % i, target.email,
                                                results, start)) for i in range(WRITERS)]
    readers = [ctx.Process(target=reader, args=(config, 'reader%d' % i, results, start,
                                                done)) for i in range(READERS)]
    for process in writers + readers:
        process.start()
    start.set()
    outcomes = []
    try:
        for _ in writers:
            outcomes.append(results.get(timeout=120))
        done.set()
        for _ in readers:
            outcomes.append(results.get(timeout=120))
    except queue.Empty:
        pytest.fail('a worker did not report back: %r' % outcomes)
    finally:
        done.set()
        for process in writers + readers:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()

    errors = [text for status, _, text in outcomes if status != 'ok']
    assert not errors, '\n'.join(errors)
    assert all(p.exitcode == 0 for p in writers + readers)

    result = auditlog.verify()
    assert result.ok, result.reason
    events = AuditEvent.select().where(AuditEvent.action == 'concurrency')
    assert events.count() == WRITERS * EVENTS_PER_WRITER
    failures = WRITERS * FAILURES_PER_WRITER
    assert AuditEvent.select().where(AuditEvent.action == 'login_failed').count() == failures
    assert result.count == before + WRITERS * EVENTS_PER_WRITER + failures
    # Every failed login was counted: no read-then-write lost an increment.
    assert User.get_by_id(target.id).failed_logins == failures

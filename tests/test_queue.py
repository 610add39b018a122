"""The huey queue itself (not run at once as in the other tests): alerts before a burst of
reminders, on the SQLite queue and on Redis; a real consumer sends mail within seconds;
the daily job's schedule; a queue that is down loses no mail."""
import datetime
import os
import random
import subprocess
import sys
import time

import pytest

from stintranet import tasks
from stintranet.db import close_all, database, utcnow
from stintranet.notifications import services
from stintranet.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import TEST_CONFIG
from tests.incidents.factories import make_incident
from tests.notifications.conftest import Inbox, free_port

BURST = 30000
SQLITE_QUEUE = [{'QUEUE_IMMEDIATE': False}]
REDIS = 'redis://127.0.0.1:6379/%d' % random.randint(1, 15)


def redis_answers():
    try:
        import redis
        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 — no server: the Redis cases are skipped
        return False


@pytest.fixture(params=['sqlite', 'redis'])
def app_config(request):
    """A real queue: the instance's SQLite file, or a Redis server."""
    if request.param == 'redis':
        if not redis_answers():
            pytest.skip('no Redis server at %s' % REDIS)
        return {'QUEUE_IMMEDIATE': False, 'QUEUE_URL': REDIS}
    return {'QUEUE_IMMEDIATE': False}


@pytest.fixture
def smtp(app):
    """A loopback SMTP server that keeps what it receives (as in tests/notifications)."""
    from aiosmtpd.controller import Controller
    inbox = Inbox()
    controller = Controller(inbox, hostname='127.0.0.1', port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER='127.0.0.1', MAIL_PORT=controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def queue(app, smtp):
    """The app's queue, empty, with mail going to the loopback SMTP server."""
    tasks.create_queue(app)
    queue = app.extensions['queue']
    queue.huey.flush()
    yield queue
    queue.huey.flush()


def burst_of_reminders(count):
    """``count`` reminder e-mails in the outbox, each queued by itself as the daily job's
    reminders queue them (one notification each)."""
    user = factories.make_user()
    rows = [{'to_address': user.email, 'subject': 'Training due: Basics', 'body': 'B',
             'next_attempt_at': utcnow(), 'created_at': utcnow(),
             'priority': tasks.REMINDER} for _ in range(count)]
    with database.atomic():
        for start in range(0, count, 1000):
            OutboxMessage.insert_many(rows[start:start + 1000]).execute()
    ids = [m.id for m in OutboxMessage.select(OutboxMessage.id).order_by(OutboxMessage.id)]
    for message_id in ids:
        tasks.queue_mail([message_id], tasks.REMINDER)
    return ids


def test_incident_alert_goes_before_a_burst_of_reminders(app, queue, smtp):
    """With 30,000 reminder e-mails queued, does a new incident's alert go out first?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    started = time.monotonic()
    burst_of_reminders(BURST)
    queued = time.monotonic() - started
    assert queue.huey.pending_count() == BURST
    incident = make_incident()
    reported = time.monotonic()
    assert queue.huey.pending_count() == BURST + 1

    task = queue.huey.dequeue()  # what a consumer's worker takes next
    queue.huey.execute(task)
    alert_after = time.monotonic() - reported
    assert [m.rcpt_tos for m in smtp.messages] == [[committee.email]]
    assert 'New incident report %s' % incident.reference in smtp.messages[0].content.decode()
    alert = OutboxMessage.get(OutboxMessage.to_address == committee.email)
    assert (alert.status, alert.priority) == ('sent', tasks.ALERT)
    assert OutboxMessage.select().where(OutboxMessage.status == 'pending').count() == BURST
    # The reminders follow, in the order they were queued.
    for _ in range(3):
        queue.huey.execute(queue.huey.dequeue())
    assert len(smtp.messages) == 4
    print('\n%s queue: %d reminders queued in %.1f s; the alert sent %.3f s after the '
          'report, before all of them' % (type(queue.huey).__name__, BURST, queued,
                                          alert_after))


@pytest.mark.parametrize('app_config', SQLITE_QUEUE)
def test_sweep_sends_alerts_first(app, queue, smtp):
    """Does the minute's sweep (mail whose task was lost) send alerts before reminders?"""
    user = factories.make_user(email='reminded@st-group.example')
    chair = factories.make_user(email='chair.alert@st-group.example')
    for n in range(3):
        OutboxMessage.create(to_address=user.email, subject='Reminder %d' % n, body='B')
    OutboxMessage.create(to_address=chair.email, subject='Alert', body='B',
                         priority=tasks.ALERT)
    assert queue.deliver_due_mail.call_local() == {'sent': 4, 'failed': 0}
    assert [m.rcpt_tos for m in smtp.messages][0] == [chair.email]


@pytest.mark.parametrize('app_config', SQLITE_QUEUE)
def test_a_task_and_the_sweep_never_send_twice(app, queue, smtp):
    """When the queued task and the minute's sweep both reach a message, is it sent once?"""
    user = factories.make_user()
    services.notify([user], 'once', 'Subject', '/')
    assert services.deliver() == {'sent': 1, 'failed': 0}  # the sweep came first
    queue.huey.execute(queue.huey.dequeue())  # then the task
    assert len(smtp.messages) == 1


def test_consumer_sends_mail_within_seconds(app, queue, smtp):
    """Does a real consumer (huey_consumer stintranet.worker.huey) send a notification's e-mail within seconds of the event?"""
    env = dict(os.environ, STINTRANET_INSTANCE_PATH=app.instance_path,
               STINTRANET_DATABASE_URL=app.config['DATABASE_URL'],
               STINTRANET_SECRET_KEY=TEST_CONFIG['SECRET_KEY'],
               STINTRANET_QUEUE_URL=app.config['QUEUE_URL'],
               STINTRANET_MAIL_SERVER='127.0.0.1',
               STINTRANET_MAIL_PORT=str(app.config['MAIL_PORT']))
    consumer = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), 'huey_consumer'),
         'stintranet.worker.huey', '--workers', '2', '--worker-type', 'thread',
         '--max-delay', '1', '--graceful-signal', 'TERM'],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    def sent(count, limit):
        started = time.monotonic()
        while len(smtp.messages) < count and time.monotonic() - started < limit:
            time.sleep(0.05)
        return time.monotonic() - started

    try:
        first = factories.make_user(email='first@st-group.example')
        services.notify([first], 'first', 'Training due', '/training/')
        sent(1, 120)  # the consumer has started (slow on a busy machine)
        user = factories.make_user(email='soon@st-group.example')
        services.notify([user], 'soon', 'Pledge to sign', '/pledges/')
        took = sent(2, 60)
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode()
    assert [m.rcpt_tos for m in smtp.messages] == [['first@st-group.example'],
                                                    ['soon@st-group.example']], output
    assert took < 10, output
    assert consumer.returncode == 0, output
    print('\nconsumer (%s): e-mail sent %.2f s after the notification'
          % (type(queue.huey).__name__, took))


@pytest.mark.parametrize('app_config', SQLITE_QUEUE)
def test_queue_down_loses_no_mail(app, smtp):
    """With the queue unreachable, does the event still succeed and the sweep send its e-mail?"""
    from stintranet import create_app
    down = create_app(dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                           INSTANCE_PATH=app.instance_path, QUEUE_IMMEDIATE=False,
                           QUEUE_URL='redis://127.0.0.1:1/0', MAIL_SERVER='127.0.0.1',
                           MAIL_PORT=app.config['MAIL_PORT']))
    with down.app_context():
        user = factories.make_user()
        assert services.notify([user], 'k', 'Subject', '/')
        assert OutboxMessage.get().status == 'pending'
        assert services.deliver() == {'sent': 1, 'failed': 0}
    assert len(smtp.messages) == 1
    close_all()


@pytest.mark.parametrize('app_config', SQLITE_QUEUE)
def test_daily_job_is_a_periodic_task_at_daily_job_at(app, queue):
    """Is the daily job due once a day at DAILY_JOB_AT in the office's zone (06:00 JST is 21:00 UTC)?"""
    due = queue.huey.read_periodic
    names = lambda moment: {t.name for t in due(moment)}  # noqa: E731
    assert 'daily_job' in names(datetime.datetime(2026, 5, 1, 21, 0))
    assert 'daily_job' not in names(datetime.datetime(2026, 5, 1, 6, 0))
    assert 'daily_job' not in names(datetime.datetime(2026, 5, 1, 21, 1))
    assert 'deliver_due_mail' in names(datetime.datetime(2026, 5, 1, 6, 0))
    assert tasks.daily_at('7:30', 'Asia/Tokyo')(datetime.datetime(2026, 5, 1, 22, 30))
    with pytest.raises(RuntimeError, match='HH:MM'):
        tasks.daily_at('25:00', 'Asia/Tokyo')


@pytest.mark.parametrize('app_config', SQLITE_QUEUE)
def test_daily_job_task_runs_every_task(app, queue):
    """Does the queue's daily job run the same tasks as `jobs run`, one line each?"""
    from stintranet import jobs
    lines = queue.daily_job.call_local()
    assert len(lines) == len(jobs.tasks())
    assert all(': ' in line for line in lines)

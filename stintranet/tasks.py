"""Background work on huey: e-mail within a minute, the daily job at DAILY_JOB_AT.

The queue is a SQLite file in the instance folder (``queue.sqlite3``) unless
QUEUE_URL names a Redis server (``redis://HOST:6379/0``). A consumer runs the
tasks: ``huey_consumer stintranet.worker.huey --workers 2 --worker-type thread``
(``make run`` starts one; ``deploy/`` has its systemd unit). Two workers, so the
daily job never holds up an alert's e-mail.

The outbox table stays the record of every e-mail: a ``send_mail`` task only
says "send these now", and ``deliver_due_mail`` sends every minute whatever is
due (a retry after its back-off, or a message whose task was lost), so no
message depends on the queue surviving. An incident alert is queued with
ALERT priority and goes out before any waiting reminder, however many.

With QUEUE_IMMEDIATE (the tests) a task runs at once, in the process that
queues it.
"""
import datetime
import logging
import os
import re
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from huey import PriorityRedisHuey, SqliteHuey, crontab

from .db import database

ALERT = 10
REMINDER = 0
QUEUE_FILE = 'queue.sqlite3'
MAIL_BATCH = 100  # messages per send_mail task: an alert waits for one batch at most

log = logging.getLogger(__name__)


class Queue:
    """The app's huey and its tasks (``current_app.extensions['queue']``)."""

    def __init__(self, huey, send_mail, deliver_due_mail, daily_job):
        self.huey = huey
        self.send_mail = send_mail
        self.deliver_due_mail = deliver_due_mail
        self.daily_job = daily_job


def make_huey(app):
    url = app.config['QUEUE_URL']
    options = dict(name='stintranet', results=False, utc=True,
                   immediate=app.config['QUEUE_IMMEDIATE'])
    if url.startswith(('redis://', 'rediss://', 'unix://')):
        return PriorityRedisHuey(url=url, **options)
    if url and not url.startswith('sqlite:///'):
        raise RuntimeError('STINTRANET_QUEUE_URL must be empty (a SQLite file in the instance '
                           'folder), sqlite:///PATH or redis://HOST:PORT/DB; got %r.' % url)
    path = url[len('sqlite:///'):] or os.path.join(app.instance_path, QUEUE_FILE)
    # The tables are made by create_queue() (init-db, the consumer), not on import:
    # a read-only instance folder is then reported by the start-up check. No fsync per
    # task (a burst of reminders queues thousands): the outbox table is the durable
    # record, and the minute's sweep sends what a power cut took from the queue.
    return SqliteHuey(filename=path, create_tables=False, fsync=False, **options)


def create_queue(app):
    """Create the queue's tables (a private SQLite file) if the queue is SQLite; idempotent."""
    huey = app.extensions['queue'].huey
    if isinstance(huey, SqliteHuey) and not huey.immediate:
        path = huey.storage.filename
        if not os.path.exists(path):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        huey.storage.initialize_schema()


def daily_at(text, zone_name):
    """A huey schedule true once a day at ``text`` (HH:MM in ``zone_name``)."""
    match = re.fullmatch(r'([01]?\d|2[0-3]):([0-5]\d)', text.strip())
    if not match:
        raise RuntimeError('DAILY_JOB_AT must be HH:MM (24-hour clock); got %r.' % text)
    at = (int(match.group(1)), int(match.group(2)))
    zone = ZoneInfo(zone_name)

    def due(timestamp):  # huey passes naive UTC (utc=True)
        local = timestamp.replace(tzinfo=datetime.timezone.utc).astimezone(zone)
        return (local.hour, local.minute) == at
    return due


@contextmanager
def in_app(app):
    """A task's app context and connection; the caller's own in immediate mode."""
    if has_app_context():
        yield
        return
    with app.app_context(), database.connection_context():
        yield


def init_app(app):
    huey = make_huey(app)
    every_day = daily_at(app.config['DAILY_JOB_AT'], app.config['TIMEZONE'])

    @huey.task(name='send_mail')
    def send_mail(message_ids):
        """Send these outbox messages now (those still pending and due)."""
        from .notifications import services
        with in_app(app):
            return services.send(message_ids)

    @huey.periodic_task(crontab(), name='deliver_due_mail', priority=ALERT)
    def deliver_due_mail():
        """Every minute: send what is due (retries after back-off, lost tasks)."""
        from .notifications import services
        with in_app(app):
            return services.deliver()

    @huey.periodic_task(every_day, name='daily_job')
    def daily_job():
        """The daily job (``flask jobs run`` does the same for cron and tests)."""
        from . import jobs
        from .timezone import today_local
        with in_app(app):
            results = jobs.run_all(today_local())
            for result in results:
                (log.info if result.ok else log.error)('daily job: %s', result.line())
            return [result.line() for result in results]

    app.extensions['queue'] = Queue(huey, send_mail, deliver_due_mail, daily_job)


def queue_mail(message_ids, priority=REMINDER):
    """Send these outbox messages soon: queued once the current transaction commits.

    A queue that cannot be reached loses nothing: the minute's sweep sends them.
    """
    if not message_ids:
        return
    queue = current_app.extensions['queue']
    ids = list(message_ids)

    def enqueue():
        try:
            for start in range(0, len(ids), MAIL_BATCH):
                queue.huey.enqueue(queue.send_mail.s(ids[start:start + MAIL_BATCH],
                                                     priority=priority))
        except Exception:  # noqa: BLE001 — the sweep delivers what was not queued
            log.exception('could not queue e-mail %s; the next sweep sends it', ids)

    database.after_commit(enqueue)

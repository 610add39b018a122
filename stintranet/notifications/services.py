"""Creating notifications and delivering the outbox."""
import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _

from .. import auditlog, tasks
from ..db import database, utcnow
from ..languages import in_language_of
from . import mail
from .models import Notification, OutboxMessage

# Minutes to wait after the 1st, 2nd, ... failed attempt.
BACKOFF_MINUTES = (5, 15, 60, 240, 720)


def notify(users, key, subject, link='', body='', priority=tasks.REMINDER):
    """Notify each user once per ``key``; e-mail them too when mail is configured.

    ``subject`` and ``body`` must carry only references (INC-2026-0001, a
    course title) and ``link`` a path in the app: never personal data. Given as
    lazy_gettext strings (their dates as ``languages.lazy_date``), they are written in each
    recipient's language. The e-mails are queued when the transaction commits;
    ``priority=tasks.ALERT`` sends them before any waiting reminder.
    Returns the notifications created (existing keys are skipped).
    """
    created, queued = [], []
    with database.atomic():
        users = [u for u in users if u is not None and u.active]
        if not users:
            return created
        existing = {n.user_id for n in Notification.select(Notification.user).where(
            (Notification.key == key) & (Notification.user.in_([u.id for u in users])))}
        for user in {u.id: u for u in users}.values():
            if user.id in existing:
                continue
            with in_language_of(user):
                subject_text, body_text = str(subject)[:200], str(body)
                mail_body = _mail_body(subject_text, body_text, link)
            notification = Notification.create(user=user, key=key[:160], subject=subject_text,
                                               body=body_text, link=link[:300])
            created.append(notification)
            if mail.configured():
                queued.append(OutboxMessage.create(
                    notification=notification, to_address=user.email, subject=subject_text,
                    body=mail_body, priority=priority).id)
        tasks.queue_mail(queued, priority)
    return created


def _mail_body(subject, body, link):
    base = current_app.config.get('BASE_URL', '').rstrip('/')
    lines = [subject, '']
    if body:
        lines += [body, '']
    if link:
        lines += [_('Open it in stintranet: %(url)s', url=base + link), '']
    lines.append(_('This message was sent by stintranet; it holds no personal data. '
                   'Sign in to see the details.'))
    return '\n'.join(lines)


def mark_read(user, notification_id=None):
    """Mark one (or every) unread notification of ``user`` as read."""
    query = Notification.update(read_at=utcnow()).where(
        (Notification.user == user.id) & Notification.read_at.is_null())
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    with database.atomic():
        return query.execute()


# A claimed message is due again after this long if its sender died mid-attempt.
LEASE = datetime.timedelta(minutes=10)


def send(message_ids, now=None):
    """Send these outbox messages if still pending and due (a ``send_mail`` task)."""
    if not mail.configured():
        return {'sent': 0, 'failed': 0, 'skipped': 'no mail server configured'}
    sent = failed = 0
    for message_id in message_ids:
        result = _attempt(message_id, now or utcnow())
        sent += result is True
        failed += result is False
    return {'sent': sent, 'failed': failed}


def deliver(now=None, limit=500):
    """Send the due outbox messages, alerts first (the minute's sweep and ``jobs run``)."""
    if not mail.configured():
        return {'sent': 0, 'failed': 0, 'skipped': 'no mail server configured'}
    now = now or utcnow()
    due = [m.id for m in OutboxMessage.due(now).select(OutboxMessage.id).limit(limit)]
    return send(due, now)


def _attempt(message_id, now):
    """One sending attempt: True sent, False failed, None not ours (sent, taken or not due).

    The message is claimed first, so a task and the sweep never send it twice;
    each write is its own short transaction and the SMTP talk happens outside any.
    """
    with database.atomic():
        if not OutboxMessage.claim(message_id, now, LEASE):
            return None
    message = OutboxMessage.get_by_id(message_id)
    message.attempts += 1
    try:
        mail.send(message.to_address, message.subject, message.body)
    except Exception as exc:  # noqa: BLE001 — any SMTP or network failure is retried
        message.last_error = ('%s: %s' % (type(exc).__name__, exc))[:500]
        with database.atomic():
            if message.attempts > len(BACKOFF_MINUTES):
                message.status = OutboxMessage.FAILED
                message.save()
                auditlog.record('mail_failed', message, details={'attempts': message.attempts})
            else:
                message.next_attempt_at = now + datetime.timedelta(
                    minutes=BACKOFF_MINUTES[message.attempts - 1])
                message.save()
        return False
    message.status = OutboxMessage.SENT
    message.sent_at = now
    message.last_error = ''
    with database.atomic():
        message.save()
    return True


def retry(message):
    """An admin's retry of a failed message: queued again at once."""
    with database.atomic():
        message.status = OutboxMessage.PENDING
        message.next_attempt_at = utcnow()
        message.save()
        auditlog.record('mail_retry', message)
        tasks.queue_mail([message.id], message.priority)


def link_to(endpoint, **values):
    """A path for a notification's link (no host: mail adds BASE_URL); works in jobs too."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context('/'):
        return url_for(endpoint, **values)

"""Creating notifications and delivering the outbox."""
import datetime

from flask import current_app, has_request_context, url_for

from .. import auditlog
from ..db import database, utcnow
from . import mail
from .models import Notification, OutboxMessage

# Minutes to wait after the 1st, 2nd, ... failed attempt.
BACKOFF_MINUTES = (5, 15, 60, 240, 720)


def notify(users, key, subject, link='', body=''):
    """Notify each user once per ``key``; queue an e-mail when mail is configured.

    ``subject`` and ``body`` must carry only references (INC-2026-0001, a
    course title) and ``link`` a path in the app: never personal data.
    Returns the notifications created (existing keys are skipped).
    """
    created = []
    with database.atomic():
        users = [u for u in users if u is not None and u.active]
        if not users:
            return created
        existing = {n.user_id for n in Notification.select(Notification.user).where(
            (Notification.key == key) & (Notification.user.in_([u.id for u in users])))}
        for user in {u.id: u for u in users}.values():
            if user.id in existing:
                continue
            notification = Notification.create(user=user, key=key[:160], subject=subject[:200],
                                               body=body, link=link[:300])
            created.append(notification)
            if mail.configured():
                OutboxMessage.create(notification=notification, to_address=user.email,
                                     subject=subject[:200],
                                     body=_mail_body(subject, body, link))
    return created


def _mail_body(subject, body, link):
    base = current_app.config.get('BASE_URL', '').rstrip('/')
    lines = [subject, '']
    if body:
        lines += [body, '']
    if link:
        lines += ['Open it in stintranet: %s%s' % (base, link), '']
    lines.append('This message was sent by stintranet; it holds no personal data. '
                 'Sign in to see the details.')
    return '\n'.join(lines)


def mark_read(user, notification_id=None):
    """Mark one (or every) unread notification of ``user`` as read."""
    query = Notification.update(read_at=utcnow()).where(
        (Notification.user == user.id) & Notification.read_at.is_null())
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    with database.atomic():
        return query.execute()


def deliver(now=None, limit=200):
    """Send the due outbox messages; failures wait longer each time, then give up."""
    if not mail.configured():
        return {'sent': 0, 'failed': 0, 'skipped': 'no mail server configured'}
    now = now or utcnow()
    sent = failed = 0
    for message in list(OutboxMessage.due(now).limit(limit)):
        try:
            mail.send(message.to_address, message.subject, message.body)
        except Exception as exc:  # noqa: BLE001 — any SMTP or network failure is retried
            failed += 1
            message.attempts += 1
            message.last_error = ('%s: %s' % (type(exc).__name__, exc))[:500]
            if message.attempts > len(BACKOFF_MINUTES):
                message.status = OutboxMessage.FAILED
                with database.atomic():
                    message.save()
                    auditlog.record('mail_failed', message,
                                    details={'attempts': message.attempts})
                continue
            message.next_attempt_at = now + datetime.timedelta(
                minutes=BACKOFF_MINUTES[message.attempts - 1])
        else:
            sent += 1
            message.attempts += 1
            message.status = OutboxMessage.SENT
            message.sent_at = now
            message.last_error = ''
        with database.atomic():
            message.save()
    return {'sent': sent, 'failed': failed}


def retry(message):
    """An admin's retry of a failed message."""
    with database.atomic():
        message.status = OutboxMessage.PENDING
        message.next_attempt_at = utcnow()
        message.save()
        auditlog.record('mail_retry', message)


def link_to(endpoint, **values):
    """A path for a notification's link (no host: mail adds BASE_URL); works in jobs too."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context('/'):
        return url_for(endpoint, **values)

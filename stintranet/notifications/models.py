"""In-app notifications and the e-mail outbox.

A notification carries a reference and a link, never personal data or an
incident narrative. ``key`` identifies the event (e.g.
``incident:12:deadline-half:2026-11-28``): one user gets one notification per
key, which makes the daily job safe to run again.
"""
from flask_babel import lazy_pgettext
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from ..auth.models import User
from ..db import BaseModel, utcnow


class Notification(BaseModel):
    user = ForeignKeyField(User, backref='notifications', on_delete='CASCADE')
    key = CharField(max_length=160)
    subject = CharField(max_length=200)
    body = TextField(default='')
    link = CharField(max_length=300, default='')
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((('user', 'key'), True), (('user', 'read_at', 'created_at'), False))

    @classmethod
    def for_user(cls, user):
        return (cls.select().where(cls.user == user.id)
                .order_by(cls.created_at.desc(), cls.id.desc()))

    @classmethod
    def unread_count(cls, user):
        return cls.select().where((cls.user == user.id) & cls.read_at.is_null()).count()


class OutboxMessage(BaseModel):
    """One e-mail to send; retried with back-off until sent or given up."""
    PENDING, SENT, FAILED = 'pending', 'sent', 'failed'
    # In English the state reads as its code, as the outbox always showed it.
    STATUS_LABELS = {PENDING: lazy_pgettext('mail status', 'pending'),
                     SENT: lazy_pgettext('mail status', 'sent'),
                     FAILED: lazy_pgettext('mail status', 'failed')}

    notification = ForeignKeyField(Notification, null=True, on_delete='SET NULL')
    to_address = CharField(max_length=254)
    subject = CharField(max_length=200)
    body = TextField()
    status = CharField(max_length=10, default=PENDING)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    last_error = CharField(max_length=500, default='')
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    priority = IntegerField(default=0)  # tasks.ALERT goes before tasks.REMINDER

    class Meta:
        indexes = ((('status', 'next_attempt_at'), False),)

    @property
    def status_label(self):
        return self.STATUS_LABELS.get(self.status, self.status)

    @classmethod
    def due(cls, now):
        return (cls.select().where((cls.status == cls.PENDING) & (cls.next_attempt_at <= now))
                .order_by(cls.priority.desc(), cls.id))

    @classmethod
    def claim(cls, message_id, now, lease):
        """Take a due pending message for one sending attempt; False if another process has
        it (or it is sent, or not due). The lease makes it due again if this one dies."""
        return (cls.update(next_attempt_at=now + lease)
                .where((cls.id == message_id) & (cls.status == cls.PENDING)
                       & (cls.next_attempt_at <= now))
                .execute()) == 1

    @classmethod
    def problems(cls):
        """Failed messages and pending ones that have already failed once (for admins)."""
        return (cls.select().where((cls.status == cls.FAILED)
                                   | ((cls.status == cls.PENDING) & (cls.attempts > 0)))
                .order_by(cls.id.desc()))

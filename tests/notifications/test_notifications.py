"""The bell, marking as read, and e-mail through a real SMTP server on loopback."""
import datetime

from stintranet.auditlog.models import AuditEvent
from stintranet.notifications import services
from stintranet.notifications.models import Notification, OutboxMessage
from tests import factories


def test_notify_once_per_key(app):
    """Does the same event key notify a user only once, however often it runs?"""
    user = factories.make_user()
    assert len(services.notify([user], 'incident:1:new', 'New report INC-2026-0001', '/')) == 1
    assert services.notify([user], 'incident:1:new', 'New report INC-2026-0001', '/') == []
    assert Notification.select().count() == 1


def test_inactive_users_are_not_notified(app):
    """Is a deactivated account left out?"""
    user = factories.make_user()
    user.active = False
    user.save()
    assert services.notify([user], 'k', 'Subject') == []


def test_bell_shows_unread_count_and_mark_read(client, login_as):
    """Does the bell count unread notifications, and does marking one read lower it?"""
    user = login_as('employee')
    services.notify([user], 'a', 'Training due: Basics', '/notifications/')
    services.notify([user], 'b', 'Pledge to sign', '/notifications/')
    page = client.get('/')
    assert 'id="notifications-bell"' in page.text
    assert '<span class="badge">2' in page.text
    first = Notification.select().order_by(Notification.id).first()
    response = client.post('/notifications/%d/read' % first.id, headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text
    assert response.headers['HX-Trigger'] == 'notifications-changed'
    bell = client.get('/notifications/bell', headers={'HX-Request': 'true'})
    assert '<span class="badge">1' in bell.text
    client.post('/notifications/read-all')
    assert Notification.unread_count(user) == 0


def test_cannot_read_someone_elses_notification(client, login_as):
    """Is another user's notification a 404?"""
    login_as('employee')
    other = factories.make_user()
    n = services.notify([other], 'x', 'Subject')[0]
    assert client.post('/notifications/%d/read' % n.id).status_code == 404
    assert client.get('/notifications/%d/open' % n.id).status_code == 404


def test_open_follows_only_local_links(client, login_as):
    """Does opening a notification mark it read and refuse an external link?"""
    user = login_as('employee')
    good = services.notify([user], 'g', 'Good', '/account/password')[0]
    bad = services.notify([user], 'h', 'Bad', '//evil.example/')[0]
    assert client.get('/notifications/%d/open' % good.id).headers['Location'] == '/account/password'
    assert client.get('/notifications/%d/open' % bad.id).headers['Location'] == '/notifications/'
    assert Notification.get_by_id(good.id).read_at is not None


def test_without_mail_server_nothing_is_queued(app):
    """With no MAIL_SERVER, do notifications stay in the app only?"""
    user = factories.make_user()
    services.notify([user], 'k', 'Subject', '/')
    assert OutboxMessage.select().count() == 0
    assert services.deliver()['sent'] == 0


def test_mail_is_delivered_through_smtp(app, smtp):
    """Is the e-mail sent to a real SMTP server as soon as its notification is committed
    (a queued task), with a link and no other data, and only once?"""
    user = factories.make_user(email='reader@st-group.example')
    services.notify([user], 'incident:7:new', 'New report INC-2026-0007', '/incidents/7')
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ['reader@st-group.example']
    text = envelope.content.decode()
    assert 'INC-2026-0007' in text and 'http://127.0.0.1:5000/incidents/7' in text
    assert OutboxMessage.get().status == 'sent'
    assert services.deliver() == {'sent': 0, 'failed': 0}
    assert len(smtp.messages) == 1


def test_failed_mail_backs_off_then_gives_up(app):
    """Does a failing server lead to retries with growing waits, then a visible failure?"""
    from tests.notifications.conftest import free_port
    app.config.update(MAIL_SERVER='127.0.0.1', MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2)
    OutboxMessage.create(to_address='x@st-group.example', subject='Subject', body='B')
    now = datetime.datetime(2026, 11, 28, 0, 0)
    waits = []
    for _ in range(len(services.BACKOFF_MINUTES) + 1):
        message = OutboxMessage.get()
        now = max(now, message.next_attempt_at)
        services.deliver(now=now)
        message = OutboxMessage.get()
        waits.append((message.next_attempt_at - now).total_seconds() / 60)
    assert waits[:len(services.BACKOFF_MINUTES)] == list(services.BACKOFF_MINUTES)
    assert message.status == 'failed' and message.last_error
    assert AuditEvent.select().where(AuditEvent.action == 'mail_failed').count() == 1


def test_admin_sees_failures_and_retries(client, login_as, app):
    """Can an administrator see a failed message and queue it again?"""
    login_as('admin')
    message = OutboxMessage.create(to_address='x@st-group.example', subject='S', body='B',
                                   status='failed', attempts=6, last_error='ConnectionRefused')
    page = client.get('/notifications/outbox')
    assert page.status_code == 200 and 'ConnectionRefused' in page.text
    assert client.post('/notifications/outbox/%d/retry' % message.id).status_code == 303
    assert OutboxMessage.get_by_id(message.id).status == 'pending'


def test_outbox_is_for_admins_only(client, login_as):
    """Is the outbox a 403 for everyone but administrators?"""
    login_as('committee')
    assert client.get('/notifications/outbox').status_code == 403

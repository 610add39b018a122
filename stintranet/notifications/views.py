"""/notifications/: the bell's list, mark as read; the outbox for administrators."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import nav, refusals
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.forms import ConfirmForm
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..pagination import paginate
from . import bp, services
from .models import Notification, OutboxMessage

nav.register(920, _l('Mail outbox'), 'notifications.outbox', [R.ADMIN])


def _own_notification_or_404(notification_id):
    notification = Notification.get_or_none((Notification.id == notification_id)
                                             & (Notification.user == current_user.id))
    if notification is None:
        refusals.not_found(Notification, notification_id)
    return notification


@bp.route('/')
def index():
    """The user's notifications, newest first."""
    page = paginate(Notification.for_user(current_user))
    return render_template('notifications/index.html', page=page, confirm=ConfirmForm())


@bp.route('/bell')
def bell():
    """The bell with its unread count (refreshed by htmx after changes)."""
    response = make_response(render_template('notifications/_bell.html',
                                             unread=Notification.unread_count(current_user)))
    return vary_on_htmx(response)


@bp.route('/<int:notification_id>/open')
def open_notification(notification_id):
    """Mark as read and go to what the notification is about."""
    notification = _own_notification_or_404(notification_id)
    services.mark_read(current_user, notification.id)
    link = notification.link or ''
    if not link.startswith('/') or link.startswith('//'):
        link = url_for('notifications.index')
    return redirect(link)


@bp.route('/<int:notification_id>/read', methods=['POST'])
def mark_read(notification_id):
    """Mark one notification as read; htmx gets the row back."""
    notification = _own_notification_or_404(notification_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_read(current_user, notification.id)
    if is_htmx():
        notification = Notification.get_by_id(notification.id)
        response = make_response(render_template('notifications/_row.html', n=notification,
                                                 confirm=ConfirmForm()))
        return hx_trigger(response, 'notifications-changed')
    return redirect(url_for('notifications.index'), 303)


@bp.route('/read-all', methods=['POST'])
def mark_all_read():
    """Mark every notification as read."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = services.mark_read(current_user)
    flash(_('%(n)d notifications marked as read.', n=count), 'success')
    return redirect(url_for('notifications.index'), 303)


@bp.route('/outbox')
@roles_required(R.ADMIN)
def outbox():
    """E-mails that failed or are being retried: the administrator's view."""
    page = paginate(OutboxMessage.problems())
    pending = OutboxMessage.select().where(OutboxMessage.status == OutboxMessage.PENDING).count()
    return render_template('notifications/outbox.html', page=page, confirm=ConfirmForm(),
                           pending=pending)


@bp.route('/outbox/<int:message_id>/retry', methods=['POST'])
@roles_required(R.ADMIN)
def outbox_retry(message_id):
    """Queue a failed e-mail again."""
    message = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
    if message is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.retry(message)
    flash(_('The message will be sent again by the next delivery run.'), 'success')
    return redirect(url_for('notifications.outbox'), 303)

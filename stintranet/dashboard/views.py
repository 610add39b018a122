"""Home."""
from flask import render_template
from flask_login import current_user

from ..auditlog.models import AuditEvent
from ..auth import roles as R
from ..auth.models import LoginAttempt, User
from ..batch import Reads
from ..db import utcnow
from . import bp, panels


@bp.route('/')
def home():
    """Each role's panel on one page; only what the user's roles may see.

    Apart from loading the user, the page reads the database once: the view's
    own reads and every panel's run together as one statement.
    """
    user = current_user
    reads = Reads()
    previous_login = reads.first(
        LoginAttempt.select()
        .where((LoginAttempt.email == user.email)
               & (LoginAttempt.success == True))  # noqa: E712
        .order_by(LoginAttempt.at.desc()).offset(1))
    admin = events = None
    if user.has_role(R.ADMIN):
        now = utcnow()
        admin = {
            'active_users': reads.count(User.select().where(User.active == True)),  # noqa: E712
            'locked': reads.rows(User.select().where(User.locked_until > now)
                                 .order_by(User.email)),
            'pending_password': reads.rows(
                User.select().where((User.must_change_password == True)  # noqa: E712
                                    & (User.active == True)).order_by(User.email)),  # noqa: E712
        }
    if user.has_role(R.AUDITOR, R.COMMITTEE):
        events = reads.rows(AuditEvent.select().order_by(AuditEvent.seq.desc()).limit(8))
    context = {'panels': panels.for_user(user, reads)}  # runs every read above
    context['previous_login'] = previous_login.value
    if admin is not None:
        context['admin'] = {key: handle.value for key, handle in admin.items()}
    if events is not None:
        context['recent_events'] = events.value
    return render_template('dashboard/home.html', **context)

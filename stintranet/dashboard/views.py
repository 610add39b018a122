"""Home."""
from flask import render_template
from flask_login import current_user

from ..auditlog.models import AuditEvent
from ..auth import roles as R
from ..auth.models import LoginAttempt, User
from ..db import utcnow
from . import bp, panels


@bp.route('/')
def home():
    """Each role's panel on one page; only what the user's roles may see."""
    user = current_user
    context = {
        'previous_login': (LoginAttempt.select()
                           .where((LoginAttempt.email == user.email)
                                  & (LoginAttempt.success == True))  # noqa: E712
                           .order_by(LoginAttempt.at.desc()).offset(1).first()),
    }
    if user.has_role(R.ADMIN):
        now = utcnow()
        context['admin'] = {
            'active_users': User.select().where(User.active == True).count(),  # noqa: E712
            'locked': list(User.select().where(User.locked_until > now)
                           .order_by(User.email)),
            'pending_password': list(
                User.select().where((User.must_change_password == True)  # noqa: E712
                                    & (User.active == True)).order_by(User.email)),  # noqa: E712
        }
    if user.has_role(R.AUDITOR, R.COMMITTEE):
        context['recent_events'] = list(AuditEvent.select()
                                        .order_by(AuditEvent.seq.desc()).limit(8))
    context['panels'] = panels.for_user(user)
    return render_template('dashboard/home.html', **context)

"""Home panels of no capability: the person's account, administration, the audit log."""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..auditlog.models import AuditEvent, arranged
from ..auth import roles as R
from ..auth.models import LoginAttempt, User
from ..db import utcnow
from ..timezone import office_zone


def account(user):
    """The sign-in before this one (one query); the rest is on the loaded user."""
    previous = (LoginAttempt.select()
                .where((LoginAttempt.email == user.email)
                       & (LoginAttempt.success == True))  # noqa: E712
                .order_by(LoginAttempt.at.desc()).offset(1).first())
    return {'previous_login': previous}


def administration(user):
    """Active accounts, locked ones and those waiting for a first password (three queries)."""
    return {
        'active_users': User.select().where(User.active == True).count(),  # noqa: E712
        'locked': list(User.select().where(User.locked_until > utcnow()).order_by(User.email)),
        'pending_password': list(
            User.select().where((User.must_change_password == True)  # noqa: E712
                                & (User.active == True))  # noqa: E712
            .order_by(User.email)),
    }


def audit_log(user):
    """The eight latest audit-log events (one query), a confidential reporter's steps
    with their date only, as on the log's page (``auditlog.models.arranged``)."""
    events = list(AuditEvent.select().order_by(AuditEvent.seq.desc()).limit(8))
    return {'events': arranged(events, office_zone())}


panels.register('account', 'dashboard/_panel_account.html', R.ROLES, account,
                title=_l('Your account'))
panels.register('admin', 'dashboard/_panel_admin.html', [R.ADMIN], administration,
                title=_l('Administration'))
panels.register('auditlog', 'dashboard/_panel_auditlog.html', [R.AUDITOR, R.COMMITTEE],
                audit_log, title=_l('Latest audit-log events'))

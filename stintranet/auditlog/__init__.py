"""Audit log: ``record()`` for every capability, ``/audit-log/`` for readers."""
from flask import Blueprint, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import nav
from ..auth import roles as R
from .models import AuditEvent, append, verify  # noqa: F401

bp = Blueprint('auditlog', __name__, url_prefix='/audit-log')

nav.register(800, _l('Audit log'), 'auditlog.index', [R.AUDITOR, R.COMMITTEE])


def client_address():
    return request.remote_addr or '' if has_request_context() else ''


def record(action, obj=None, *, actor=None, object_type=None, object_id=None,
           details=None):
    """Record who did ``action`` to ``obj`` (a model instance), when and from where.

    ``details`` must never hold an encrypted field's plaintext: name fields,
    not values.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if obj is not None:
        object_type = object_type or obj._meta.table_name
        if object_id is None:
            # Not get_id(): User overrides it for flask-login ('id:nonce').
            object_id = getattr(obj, obj._meta.primary_key.name)
    return append(
        action,
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else '',
        object_type=object_type or '',
        object_id=object_id,
        details=details,
        ip=client_address(),
    )


from . import views  # noqa: E402,F401

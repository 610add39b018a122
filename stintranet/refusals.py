"""Refused access on the record.

Every 403, and every 404 for an object that exists but lies outside the user's scope,
is one audit-log event ``access_refused``: who, the path and endpoint asked for, the
object type and id the request named, and the client address. Nothing of the object
itself is stored (not its department, title or owner): the event holds only what the
user sent. When one account is refused ``REFUSAL_ALERT_COUNT`` times within
``REFUSAL_ALERT_MINUTES``, the committee is notified, once per such window.

A scoped lookup answers 404 for "not yours" as for "does not exist" (DESIGN: do not
reveal that it exists); ``not_found(Model, id)`` in its place tells the two apart for
the record only, and answers 404 either way.
"""
import datetime

from flask import abort, current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from . import auditlog
from .auth import roles as R
from .inputs import MAX_ID

ACTION = 'access_refused'


def _actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _named_object():
    """(type, id) of the first ``<thing>_id`` argument of the URL, else ('', '')."""
    for name, value in (request.view_args or {}).items():
        if name.endswith('_id'):
            return name[:-3], value
    return '', ''


def record(code, object_type=None, object_id=None, reason=''):
    """Write the one ``access_refused`` event of this request (a second call in the same
    request does nothing) and tell the committee when the account keeps being refused."""
    if g.get('refusal_recorded'):
        return None
    g.refusal_recorded = True
    if object_type is None:
        object_type, object_id = _named_object()
    details = {'status': code, 'method': request.method, 'path': request.path[:300],
               'endpoint': request.endpoint or ''}
    if reason:
        details['reason'] = reason
    actor = _actor()
    event = auditlog.record(ACTION, actor=actor, object_type=object_type or '',
                            object_id=object_id if object_id is not None else '',
                            details=details)
    if actor is not None:
        _alert_if_repeated(actor, event.at)
    return event


def not_found(model, object_id, field=None):
    """Answer 404 for ``model`` #``object_id`` that the user's scoped lookup did not find;
    when it exists all the same, record the refusal first. ``field``: the column
    ``object_id`` is matched on (the primary key by default)."""
    field = field if field is not None else model._meta.primary_key
    usable = not isinstance(object_id, int) or 0 < object_id <= MAX_ID
    if usable and model.select(field).where(field == object_id).exists():
        record(404, model._meta.table_name, object_id)
    abort(404)


def out_of_scope(object_type, object_id):
    """Answer 404 for an object known to exist that the user may not see, recorded."""
    record(404, object_type, object_id)
    abort(404)


def _alert_if_repeated(actor, now):
    """Notify the committee once per window in which ``actor`` reached the count."""
    from .auditlog.models import AuditEvent
    from .notifications.recipients import holders
    from .notifications.services import link_to, notify
    config = current_app.config
    minutes = config['REFUSAL_ALERT_MINUTES']
    since = now - datetime.timedelta(minutes=minutes)
    count = (AuditEvent.select().where((AuditEvent.actor_id == actor.id)
                                       & (AuditEvent.action == ACTION)
                                       & (AuditEvent.at > since)).count())
    if count < config['REFUSAL_ALERT_COUNT']:
        return
    window = int(now.timestamp() // (minutes * 60))
    notify(holders(R.COMMITTEE), 'access-refused:%d:%d' % (actor.id, window),
           _l('Account #%(id)d was refused access %(n)d times within %(m)d minutes',
              id=actor.id, n=count, m=minutes),
           link=link_to('auditlog.index', actor=actor.id, action=ACTION))

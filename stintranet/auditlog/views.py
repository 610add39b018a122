"""/audit-log/: the log for the Audit Department and the committee."""
import datetime

from flask import make_response, render_template, request
from flask_babel import gettext as _

from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.models import User
from ..htmx import is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import Page
from ..timezone import local_date_to_utc
from . import bp
from .forms import AuditFilterForm
from .models import AuditEvent


@bp.route('/')
@roles_required(R.AUDITOR, R.COMMITTEE)
def index():
    """The events, newest first, filtered by person, action, object and dates."""
    form = AuditFilterForm(request.args)
    form.actor.choices = [('', _('Anyone'))] + [
        (str(u.id), '%s <%s>' % (u.name, u.email))
        for u in User.select(User.id, User.name, User.email).order_by(User.email)]
    form.action.choices = [('', _('Any action'))] + [(a, a) for a in AuditEvent.actions()]
    form.object_type.choices = [('', _('Any object'))] + [
        (t, t) for t in AuditEvent.object_types()]
    status = 200
    filters = {}
    if request.args and not form.validate():
        status = 422
    else:
        filters = {
            'actor_id': int_arg(form.actor.data),
            'action': form.action.data or None,
            'object_type': form.object_type.data or None,
            'object_id': (form.object_id.data or '').strip() or None,
            'date_from': local_date_to_utc(form.date_from.data),
            'date_to': local_date_to_utc(form.date_to.data + datetime.timedelta(days=1))
            if form.date_to.data else None,
        }
    page = Page(AuditEvent.search(**filters), 50)
    template = 'auditlog/_rows.html' if is_htmx() else 'auditlog/index.html'
    response = make_response(render_template(template, form=form, page=page), status)
    return vary_on_htmx(response)

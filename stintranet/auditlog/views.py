"""/audit-log/: the log for the Audit Department and the committee."""
import datetime

from flask import make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext

from .. import exports
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.models import User
from ..forms import options
from ..htmx import is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import paginate
from ..timezone import local_date_to_utc, office_zone
from . import bp
from .forms import AuditFilterForm
from .labels import action_label, object_label
from .models import AuditCheck, AuditEvent, arranged, failing


def _people():
    """(id, name, e-mail) of everyone, by e-mail, as plain tuples (the choices need no
    models)."""
    return User.select(User.id, User.name, User.email).order_by(User.email).tuples()


def _filtered():
    """The filter form, its choices read first, and the filters it gives:
    (form, filters, status). Invalid filters give no filters and 422."""
    form = AuditFilterForm(request.args)
    form.actor.set_people(_people())
    form.action.choices = options([('', _('Any action'))] + sorted(
        ((a, action_label(a)) for a in AuditEvent.actions()), key=lambda c: str(c[1])))
    form.object_type.choices = options([('', _('Any object'))] + sorted(
        ((t, object_label(t)) for t in AuditEvent.object_types()), key=lambda c: str(c[1])))
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
    return form, filters, status


@bp.app_template_filter('action_label')
def action_label_filter(code):
    """An audit-log action in words ("Updated", "更新")."""
    return action_label(code)


@bp.app_template_filter('object_label')
def object_label_filter(code):
    """An audit-log object type in words ("Ledger entry", "台帳登録")."""
    return object_label(code)


@bp.route('/')
@roles_required(R.AUDITOR, R.COMMITTEE)
def index():
    """The events, newest first, filtered by person, action, object and dates; invalid
    filters show the whole log with 422."""
    form, filters, status = _filtered()
    page = paginate(AuditEvent.search(**filters))
    htmx = is_htmx()
    template = 'auditlog/_rows.html' if htmx else 'auditlog/index.html'
    response = make_response(render_template(
        template, form=form, page=page, rows=arranged(page.items, office_zone()),
        failing=failing(page.items), check=None if htmx else AuditCheck.latest()), status)
    return vary_on_htmx(response)


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(R.AUDITOR, R.COMMITTEE)
def export(fmt):
    """The filtered events as CSV or XLSX; invalid filters give the page again with 422."""
    form, filters, status = _filtered()
    if status != 200:
        page = paginate(AuditEvent.search())
        return render_template('auditlog/index.html', form=form, page=page,
                               rows=arranged(page.items, office_zone()),
                               failing=failing(page.items), check=AuditCheck.latest()), status
    # As on the page: no sequence numbers (a gap would place a confidential reporter's
    # step), and such a step with its date only, first among its day's events.
    zone = office_zone()
    columns = [exports.column('at', _('When'), lambda e: _shown_time(e, zone))] + [
        exports.column(name, label) for name, label in (
            ('actor_email', _('Who')), ('object_id', _('Object id')),
            ('ip', pgettext('address', 'From')), ('details', _('Details')),
            ('hash', _('Hash')))]
    columns[2:2] = [exports.column('action', _('Action'), lambda e: action_label(e.action)),
                    exports.column('object_type', _('Object'),
                                   lambda e: object_label(e.object_type))]
    logged = {k: (v.isoformat() if hasattr(v, 'isoformat') else v) for k, v in filters.items()}
    rows = arranged(AuditEvent.search(**filters).iterator(), zone)
    return exports.export_response(fmt, 'audit-log', columns, rows,
                                   object_type='audit_event', filters=logged)


def _shown_time(event, zone):
    """The export's time: the moment (the export shows it in office time), or the office
    date alone for a confidential reporter's step."""
    if event.is_confidential_step:
        return event.at.replace(tzinfo=datetime.timezone.utc).astimezone(zone).date()
    return event.at

"""Helpers shared by the registers' views: lookups, versions, conflicts, export filters."""
from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ... import refusals
from ...auth.models import Department
from ...exports import column
from ...htmx import is_htmx, vary_on_htmx
from ...languages import join_words
from ...pagination import paginate
from ...timezone import today_local


def first_or_404(query, model, record_id):
    """The record if ``query`` (already scoped to the user) finds it, else 404 (recorded
    as a refused access when ``model`` #``record_id`` exists)."""
    record = query.first()
    if record is None:
        refusals.not_found(model, record_id)
    return record


def require(allowed):
    if not allowed:
        abort(403)


def posted_version(form):
    """The version a form was loaded at; a tampered or missing one is a bad request."""
    version = form.version_value()
    if version is None:
        abort(400)
    return version


def visible_departments(user):
    """(id, label) pairs of the departments offered in a list's filter."""
    return [(d.id, '%s — %s' % (d.code, d.name)) for d in Department.visible_to(user)]


def list_page(form, search, page_template, rows_template, **context):
    """A filtered list a page at a time; htmx gets the rows only. A bad filter (the form
    holds its choices already): 422 with the field marked and the unfiltered list."""
    status = 200
    filters = {}
    if request.args and not form.validate():
        status = 422
    else:
        filters = form.filters()
    page = paginate(search(**filters))
    template = rows_template if is_htmx() else page_template
    response = make_response(render_template(
        template, form=form, page=page, today=today_local(), **context), status)
    return vary_on_htmx(response)


def record_values(record, names):
    """{name: value} of ``record`` for the conflict table (foreign keys as ids)."""
    values = {}
    for name in names:
        field = type(record)._meta.fields.get(name)
        if field is None:
            continue
        values[name] = getattr(record, name + '_id') if hasattr(field, 'rel_model') \
            else getattr(record, name)
    return values


def conflict_rows(form, current):
    """What the other person saved, field by field, where it differs from the form."""
    rows = []
    for name, now in current.items():
        if name not in form:
            continue
        field = form[name]
        mine = field.data
        if _shown(now) == _shown(mine):
            continue
        rows.append({'label': field.label.text, 'now': _label(field, now),
                     'mine': _label(field, mine)})
    return rows


def _shown(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else ''
    if isinstance(value, (list, tuple, set)):
        return ','.join(sorted(str(v) for v in value))
    return str(value).strip()


def _label(field, value):
    """A value as the form shows it: choice labels rather than codes or ids."""
    if isinstance(value, (list, tuple, set)):
        return join_words(_label(field, v) for v in sorted(value, key=str)) or '—'
    for choice in getattr(field, 'choices', None) or ():
        key, label = (choice.value, choice.label) if hasattr(choice, 'value') else choice[:2]
        if str(key) == str(value) and value not in (None, ''):
            return str(label)
    if isinstance(value, bool):
        return '✓' if value else '—'
    return _shown(value) or '—'


def entry_columns():
    """The export columns naming a record's ledger entry (the record's ``entry``)."""
    return [
        column('ledger_entry', _('Ledger entry'), lambda r: r.entry.reference),
        column('department', _('Department'), lambda r: r.entry.department.code),
        column('business_process', _('Business process'), lambda r: r.entry.title),
    ]


def export_filters(form):
    """Filters of an export request; a bad one is a 422 like the list's."""
    if request.args and not form.validate():
        abort(422)
    return form.filters()


def user():
    return current_user._get_current_object()

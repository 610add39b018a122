"""Helpers shared by the registers' views: lookups, versions, conflicts, CSV exports."""
import csv
import io

from flask import abort, make_response, render_template, request
from flask_login import current_user

from ... import auditlog
from ...auth.models import Department
from ...db import database
from ...exports import neutralise
from ...htmx import is_htmx, vary_on_htmx
from ...pagination import Page
from ...timezone import today_local

PER_PAGE = 50


def first_or_404(query):
    """The record if ``query`` (already scoped to the user) finds it, else 404."""
    record = query.first()
    if record is None:
        abort(404)
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
    """Departments offered in a list's filter: all for readers of all, else managed ones."""
    query = Department.select().order_by(Department.code)
    if not user.reads_all_departments():
        query = query.where(Department.id.in_(sorted(user.managed_department_ids) or [0]))
    return [(d.id, '%s — %s' % (d.code, d.name)) for d in query]


def list_page(form, search, page_template, rows_template, **context):
    """A filtered list, 50 a page; htmx gets the rows only. Bad filters: 422."""
    status = 200
    filters = {}
    if request.args and not form.validate():
        status = 422
    else:
        filters = form.filters()
    page = Page(search(**filters), PER_PAGE)
    export_args = {k: v for k, v in request.args.items() if k != 'page'}
    template = rows_template if is_htmx() else page_template
    response = make_response(render_template(
        template, form=form, page=page, today=today_local(), export_args=export_args,
        **context), status)
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
        return ', '.join(_label(field, v) for v in sorted(value, key=str)) or '—'
    for choice in getattr(field, 'choices', None) or ():
        key, label = (choice.value, choice.label) if hasattr(choice, 'value') else choice[:2]
        if str(key) == str(value) and value not in (None, ''):
            return str(label)
    if isinstance(value, bool):
        return '✓' if value else '—'
    return _shown(value) or '—'


def csv_download(stem, header, rows, object_type, filters):
    """A CSV file (UTF-8 with BOM, for Excel) of ``rows``; the export is audit-logged."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
    with database.atomic():
        auditlog.record('export', object_type=object_type, details={
            'format': 'csv', 'rows': count,
            'filters': {k: v for k, v in filters.items() if v not in (None, '')}})
    body = '\ufeff' + buffer.getvalue()
    response = make_response(body)
    response.mimetype = 'text/csv'
    response.headers['Content-Disposition'] = 'attachment; filename="%s-%s.csv"' % (
        stem, today_local().isoformat())
    return response


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    return neutralise(str(value))


def export_filters(form):
    """Filters of an export request; a bad one is a 422 like the list's."""
    if request.args and not form.validate():
        abort(422)
    return form.filters()


def user():
    return current_user._get_current_object()

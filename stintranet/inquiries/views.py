"""/inquiries/: the Customer Center's record of inquiries and complaints; the committee reads
them and their trends."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from .. import exports, refusals
from ..auth.decorators import roles_required
from ..htmx import hx_trigger, is_htmx, vary_on_htmx
from ..pagination import paginate
from ..timezone import today_local
from . import bp, services
from . import catalogue as C
from .forms import (
    AnswerForm,
    FilterForm,
    InquiryEditForm,
    InquiryForm,
    LinkForm,
    StateForm,
    UnlinkForm,
)
from .models import HANDLERS, READERS, Inquiry, InquiryLink, local_time, may_handle, trends

CHANGED = 'inquiries-changed'


def get_inquiry(inquiry_id):
    inquiry = Inquiry.get_visible(current_user, inquiry_id)
    if inquiry is None:
        refusals.not_found(Inquiry, inquiry_id)
    return inquiry


def filter_form():
    return FilterForm(request.args)


def listing():
    """(form, filters, status): a bad filter is a 422 with the unfiltered list."""
    form = filter_form()
    if request.args and not form.validate():
        return form, {}, 422
    return form, form.filters(), 200


@bp.route('/')
@roles_required(*READERS)
def index():
    """Open inquiries by due date first; filters for status, kind and category."""
    today = today_local()
    form, filters, status = listing()
    page = paginate(Inquiry.search(current_user, today, **filters))
    template = 'inquiries/_rows.html' if is_htmx() else 'inquiries/index.html'
    response = make_response(render_template(template, form=form, page=page, today=today,
                                             can_create=may_handle(current_user)), status)
    return vary_on_htmx(response)


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def export(fmt):
    """The filtered list as CSV or XLSX, without any encrypted field (audit-logged)."""
    today = today_local()
    form, filters, status = listing()
    if status != 200:
        abort(422)
    columns = [
        exports.column('reference', pgettext('request', 'Reference')),
        exports.column('kind', _('Inquiry or complaint'), lambda i: str(i.kind_label)),
        exports.column('channel', _('Received by'), lambda i: str(i.channel_label)),
        exports.column('received_at', _('Received')),
        exports.column('category', _('Category'), lambda i: str(i.category_label)),
        exports.column('subject', _('Subject')),
        exports.column('due_on', _('Answer due by')),
        exports.column('status', _('Status'), lambda i: str(i.status_label)),
        exports.column('answered_at', _('Answered')),
        exports.column('answered_late', _('Answered late'), lambda i: i.answered_late()),
        exports.column('overdue', _('Overdue'), lambda i: i.is_overdue(today)),
        exports.column('closed_at', pgettext('finished', 'Closed')),
    ]
    return exports.export_response(fmt, 'inquiries', columns,
                                   Inquiry.search(current_user, today, **filters),
                                   object_type='inquiry', filters=filters,
                                   title=_('Inquiries and complaints'))


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(*HANDLERS)
def new():
    """Record an inquiry or complaint as it was received."""
    form = InquiryForm()
    if request.method == 'GET':
        form.received_on.data = today_local()
        form.kind.data = C.INQUIRY
    if form.validate_on_submit():
        inquiry = services.create(form.service_data(), current_user)
        flash(_('%(ref)s was recorded; the answer is due by %(day)s.',
                ref=inquiry.reference, day=inquiry.due_on.isoformat()), 'success')
        return redirect(url_for('inquiries.detail', inquiry_id=inquiry.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('inquiries/form.html', form=form, inquiry=None), status


def detail_context(inquiry, **extra):
    today = today_local()
    context = {
        'inquiry': inquiry, 'today': today, 'handles': may_handle(current_user),
        'links': InquiryLink.of_inquiry(inquiry),
        'answer_form': AnswerForm(formdata=None, version=inquiry.version,
                                  answered_on=today, answer=None),
        'state_form': StateForm(formdata=None, version=inquiry.version),
        'link_form': LinkForm(formdata=None), 'unlink_form': UnlinkForm(formdata=None),
    }
    context.update(extra)
    return context


@bp.route('/<int:inquiry_id>')
@roles_required(*READERS)
def detail(inquiry_id):
    """One inquiry: the person's contact details and words (the read is logged), the answer,
    and what it became."""
    inquiry = get_inquiry(inquiry_id)
    services.record_read(inquiry, Inquiry.PERSONAL_FIELDS, current_user, 'detail')
    return render_template('inquiries/detail.html', **detail_context(inquiry))


@bp.route('/<int:inquiry_id>/edit', methods=['GET', 'POST'])
@roles_required(*HANDLERS)
def edit(inquiry_id):
    """Correct the record; a stale save answers 409 with the current record."""
    inquiry = get_inquiry(inquiry_id)
    if request.method == 'GET':
        form = InquiryEditForm(obj=inquiry)
        received = local_time(inquiry.received_at)
        form.received_on.data = received.date()
        form.received_time.data = received.strftime('%H:%M')
        form.statement.data = inquiry.content
        form.version.data = inquiry.version
        services.record_read(inquiry, ('contact_name', 'contact_details', 'content'),
                             current_user, 'edit')
        return render_template('inquiries/form.html', form=form, inquiry=inquiry)
    form = InquiryEditForm()
    if not form.validate_on_submit():
        return render_template('inquiries/form.html', form=form, inquiry=inquiry), 422
    try:
        services.update(inquiry, form.service_data(), form.version_value(), current_user)
    except services.InquiryError as exc:
        if exc.status == 403:
            abort(403)
        current = Inquiry.get_by_id(inquiry.id)
        form.version.data = current.version
        return render_template('inquiries/form.html', form=form, inquiry=current,
                               conflict=exc.message), exc.status
    flash(_('The inquiry was saved.'), 'success')
    return redirect(url_for('inquiries.detail', inquiry_id=inquiry.id), 303)


def section(inquiry, template, status=200, **extra):
    """A section of the detail page for htmx (with the change event), else the page."""
    context = detail_context(Inquiry.get_by_id(inquiry.id), **extra)
    if is_htmx():
        response = make_response(render_template(template, **context), status)
        if status == 200:
            hx_trigger(response, CHANGED)
    else:
        for key, category in (('notice', 'success'), ('problem', 'error')):
            if extra.get(key) and status == 200:
                flash(extra[key], category)
        if status == 200:
            return redirect(url_for('inquiries.detail', inquiry_id=inquiry.id), 303)
        response = make_response(render_template('inquiries/detail.html', **context), status)
    return vary_on_htmx(response)


@bp.route('/<int:inquiry_id>/answer', methods=['POST'])
@roles_required(*HANDLERS)
def answer(inquiry_id):
    """Record the answer given to the person."""
    inquiry = get_inquiry(inquiry_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return section(inquiry, 'inquiries/_answer.html', 422, answer_form=form)
    try:
        services.answer(inquiry, form.answer.data, form.answered_on.data,
                        form.version_value(), current_user)
    except services.InquiryError as exc:
        if exc.status == 403:
            abort(403)
        form.version.data = Inquiry.get_by_id(inquiry.id).version
        return section(inquiry, 'inquiries/_answer.html', exc.status, answer_form=form,
                       problem=exc.message)
    return section(inquiry, 'inquiries/_answer.html', notice=_('The answer was recorded.'))


@bp.route('/<int:inquiry_id>/<any(close, reopen):change>', methods=['POST'])
@roles_required(*HANDLERS)
def change_state(inquiry_id, change):
    """Close an answered inquiry, or reopen a closed one."""
    inquiry = get_inquiry(inquiry_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    action = services.close if change == 'close' else services.reopen
    try:
        action(inquiry, form.version_value(), current_user)
    except services.InquiryError as exc:
        if exc.status == 403:
            abort(403)
        return section(inquiry, 'inquiries/_answer.html', exc.status, problem=exc.message)
    notice = _('The inquiry was closed.') if change == 'close' else _('The inquiry was '
                                                                      'reopened.')
    return section(inquiry, 'inquiries/_answer.html', notice=notice)


@bp.route('/<int:inquiry_id>/links', methods=['POST'])
@roles_required(*HANDLERS)
def link(inquiry_id):
    """Link the inquiry to the Request for Disclosure or the incident it became."""
    inquiry = get_inquiry(inquiry_id)
    form = LinkForm()
    if not form.validate_on_submit():
        return section(inquiry, 'inquiries/_links.html', 422, link_form=form)
    try:
        row = services.link(inquiry, form.kind.data, form.reference.data, form.note.data,
                            current_user)
    except services.InquiryError as exc:
        if exc.status == 403:
            abort(403)
        return section(inquiry, 'inquiries/_links.html', exc.status, link_form=form,
                       problem=exc.message)
    target = 'DR-%05d' % row.disclosure_request_id if row.disclosure_request_id else \
        form.reference.data.strip().upper()
    return section(inquiry, 'inquiries/_links.html',
                   notice=_('Linked to %(ref)s.', ref=target))


@bp.route('/<int:inquiry_id>/links/<int:link_id>/delete', methods=['POST'])
@roles_required(*HANDLERS)
def unlink(inquiry_id, link_id):
    """Remove a link made by mistake."""
    inquiry = get_inquiry(inquiry_id)
    row = InquiryLink.get_or_none((InquiryLink.id == link_id)
                                  & (InquiryLink.inquiry == inquiry.id))
    if row is None:
        abort(404)
    if not UnlinkForm().validate_on_submit():
        abort(400)
    services.unlink(inquiry, row, current_user)
    return section(inquiry, 'inquiries/_links.html', notice=_('The link was removed.'))


@bp.route('/linked/<any(disclosure, incident):kind>/<int:target_id>')
@roles_required(*READERS)
def linked(kind, target_id):
    """The inquiries linked to a request or an incident: the fragment those pages load."""
    inquiries = InquiryLink.inquiries_of(kind, target_id)
    response = make_response(render_template('inquiries/_linked.html', inquiries=inquiries,
                                             today=today_local()))
    return vary_on_htmx(response)


@bp.route('/trends')
@roles_required(*READERS)
def trends_page():
    """Counts per month and category for the last 12 months, open and closed, complaints
    answered late (read-only)."""
    months, totals = trends(today_local())
    return render_template('inquiries/trends.html', months=months, totals=totals,
                           categories=C.CATEGORIES, statuses=C.STATUSES)


@bp.route('/trends/export.<any(csv, xlsx):fmt>')
@roles_required(*READERS)
def trends_export(fmt):
    """The trends table as CSV or XLSX (audit-logged)."""
    months, totals = trends(today_local())
    columns = [exports.column('month', _('Month'), lambda r: r['month'].strftime('%Y-%m')),
               exports.column('total', _('Received'), lambda r: r['total'])]
    columns += [exports.column('category_' + code, label,
                               lambda r, code=code: r['categories'][code])
                for code, label in C.CATEGORIES]
    columns += [exports.column('status_' + code, label,
                               lambda r, code=code: r['statuses'][code])
                for code, label in C.STATUSES]
    columns += [exports.column('complaints', _('Complaints'), lambda r: r['complaints']),
                exports.column('late_complaints', _('Complaints answered late'),
                               lambda r: r['late_complaints'])]
    return exports.export_response(fmt, 'inquiry-trends', columns, months,
                                   object_type='inquiry', title=_('Inquiry trends'))

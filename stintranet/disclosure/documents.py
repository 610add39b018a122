"""/requests/: a request's documents as PDFs (stintranet/pdf.py).

- The response or refusal letter: each PDF made is kept, sealed with the request's own
  key, and listed on the request page, so the office can show later what was sent; the
  copies are destroyed with the request's documents after the keeping period.
- The destruction record, once the daily job has destroyed the documents.

Every PDF made or copy downloaded is audit-logged.
"""
from flask import abort
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import pdf
from ..auth.decorators import roles_required
from ..timezone import today_local
from . import bp, services
from . import catalogue as C
from .models import READERS, DisclosureDestruction
from .views import get_request_or_404, letter_context, letter_refused

DESTRUCTION_TITLE = _l('Destruction record')


@bp.route('/<int:request_id>/letter.pdf')
@roles_required(*READERS)
def letter_pdf(request_id):
    """The letter as a PDF; a copy is kept with the request."""
    req = get_request_or_404(request_id)
    refused = letter_refused(req)
    if refused is not None:
        return refused
    context = letter_context(req)
    locale = str(get_locale())
    rendered = pdf.render('disclosure/letter.html', **context)
    name = pdf.file_name(req.reference, C.LETTER_LABELS[req.decision],
                         req.responded_on or context['today'])
    services.keep_letter(req, current_user, rendered, name, locale)
    return pdf.pdf_response(rendered.data, name)


@bp.route('/<int:request_id>/letter-copies/<int:copy_id>.pdf')
@roles_required(*READERS)
def letter_copy(request_id, copy_id):
    """A kept copy of a letter, as it was made (gone once the documents are destroyed)."""
    req = get_request_or_404(request_id)
    found = services.read_letter_copy(req, copy_id, current_user)
    if found is None:
        abort(404)
    copy, data = found
    return pdf.pdf_response(data, pdf.stored_name(copy.file_name))


@bp.route('/<int:request_id>/destruction.pdf')
@roles_required(*READERS)
def destruction_pdf(request_id):
    """The record of what the daily job destroyed (no personal data is left to show)."""
    req = get_request_or_404(request_id)
    record = (DisclosureDestruction.get_or_none(DisclosureDestruction.request == req.id)
              if req.is_destroyed else None)
    if record is None:
        abort(404)
    rendered = pdf.render('disclosure/destruction.html', req=req, record=record, C=C,
                          today=today_local())
    name = pdf.file_name(req.reference, DESTRUCTION_TITLE, record.run_date)
    pdf.log('disclosure_destruction', rendered, name, obj=req,
            details={'destruction': record.id})
    return pdf.pdf_response(rendered.data, name)

"""/requests/: a request's documents as PDFs (stintranet/pdf.py).

- The response or refusal letter, in the requester's language (``req.language``), not
  the language of the person printing it: each PDF made is kept, sealed with the
  request's own key, and listed on the request page, so the office can show later what
  was sent; the copies are destroyed with the request's documents after the keeping
  period (``services.destroy``).
- The destruction record, once the daily job has destroyed the documents, in the
  person's language.

Every PDF made or copy downloaded is audit-logged.
"""
from flask import abort, render_template
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
    """The letter as a PDF in the requester's language; a copy is kept with the request."""
    req = get_request_or_404(request_id)
    refused = letter_refused(req)
    if refused is not None:
        return refused
    context = letter_context(req)
    rendered = pdf.render('disclosure/letter.html', locale=req.language, **context)
    name = pdf.file_name(req.reference, C.LETTER_LABELS[req.decision],
                         req.responded_on or context['today'], locale=req.language)
    services.keep_letter(req, current_user, rendered, name, req.language)
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


def destruction_context(req):
    """The destruction record of ``req`` for its print view and PDF; 404 while the
    documents are not destroyed."""
    record = (DisclosureDestruction.get_or_none(DisclosureDestruction.request == req.id)
              if req.is_destroyed else None)
    if record is None:
        abort(404)
    return {'req': req, 'record': record, 'C': C, 'today': today_local()}


@bp.route('/<int:request_id>/destruction')
@roles_required(*READERS)
def destruction(request_id):
    """The printable record of what the daily job destroyed (no personal data is left)."""
    req = get_request_or_404(request_id)
    return render_template('disclosure/destruction.html', **destruction_context(req))


@bp.route('/<int:request_id>/destruction.pdf')
@roles_required(*READERS)
def destruction_pdf(request_id):
    """The destruction record as a PDF."""
    req = get_request_or_404(request_id)
    context = destruction_context(req)
    return pdf.download('disclosure/destruction.html', report='disclosure_destruction',
                        reference=req.reference, title=DESTRUCTION_TITLE,
                        day=context['record'].run_date, obj=req,
                        details={'destruction': context['record'].id}, **context)

"""/incidents/: the PPC report pack as a PDF (stintranet/pdf.py), in its 速報 and 確報
versions: what was known at each filing (incidents/pack.py). Each PDF made is kept,
encrypted, and listed on the case; making one or downloading a copy is audit-logged."""
from flask import abort
from flask_babel import get_locale
from flask_login import current_user

from .. import pdf
from ..auth import roles as R
from ..auth.decorators import roles_required
from . import bp, pack
from .models import PACK_STAGE_LABELS
from .views import incident_or_404, pack_context


@bp.route('/<int:incident_id>/ppc-report/<any(preliminary, final):stage>.pdf')
@roles_required(R.COMMITTEE, R.AUDITOR)
def pack_pdf(incident_id, stage):
    """The 速報 or 確報 pack as a PDF: as filed once the filing is recorded, else a draft
    from the case as it stands. A copy is kept with the case."""
    incident = incident_or_404(incident_id)
    context = pack_context(incident, stage)
    locale = str(get_locale())
    rendered = pdf.render('incidents/ppc_report.html', **context)
    name = pdf.file_name(incident.reference, PACK_STAGE_LABELS[stage],
                         pack.document_date(context, context['today']))
    pack.keep_copy(incident, current_user, stage, rendered, name, locale,
                   filed=context['filing'] is not None)
    return pdf.pdf_response(rendered.data, name)


@bp.route('/<int:incident_id>/ppc-report/copies/<int:copy_id>.pdf')
@roles_required(R.COMMITTEE, R.AUDITOR)
def pack_copy(incident_id, copy_id):
    """A kept copy of the pack, as it was made."""
    incident = incident_or_404(incident_id)
    found = pack.read_copy(incident, copy_id, current_user)
    if found is None:
        abort(404)
    copy, data = found
    return pdf.pdf_response(data, pdf.stored_name(copy.file_name))

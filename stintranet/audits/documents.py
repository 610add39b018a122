"""/audits/: the inspection report as a PDF (stintranet/pdf.py), in the person's
language, with what the print view shows them (a manager: their departments only);
audit-logged as an export."""
from flask_babel import lazy_gettext as _l

from .. import pdf
from ..auth.decorators import roles_required
from . import READERS, bp
from .views import inspection_or_404, report_context

TITLE = _l('Inspection report')


@bp.route('/<int:inspection_id>/report.pdf')
@roles_required(*READERS)
def report_pdf(inspection_id):
    """The inspection report as a PDF, dated the day the inspection was performed (today
    for a draft)."""
    context = report_context(inspection_or_404(inspection_id))
    inspection = context['inspection']
    day = (inspection.performed_on if inspection.is_reported and inspection.performed_on
           else context['today'])
    return pdf.download('audits/print.html', report='inspection_report',
                        reference=inspection.reference, title=TITLE, day=day,
                        obj=inspection, details={'departments': context['visible'],
                                                 'issued': inspection.is_reported},
                        **context)

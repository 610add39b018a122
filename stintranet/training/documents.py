"""/training/: the certificate of completion as a PDF (stintranet/pdf.py), in the person's
language; only the person's own, once completed; audit-logged as an export."""
from flask_babel import lazy_gettext as _l

from .. import pdf
from ..auth.decorators import roles_required
from . import bp
from .people import CONTENT_ROLES
from .views import certificate_context

TITLE = _l('Certificate of completion')


@bp.route('/assignments/<int:assignment_id>/certificate.pdf')
@roles_required(*CONTENT_ROLES)
def certificate_pdf(assignment_id):
    """The certificate as a PDF, named by its number and the day of completion."""
    context = certificate_context(assignment_id)
    assignment = context['assignment']
    return pdf.download('training/certificate.html', report='training_certificate',
                        reference=assignment.certificate_number, title=TITLE,
                        day=assignment.completed_on, obj=assignment,
                        details={'course': assignment.course_id}, **context)

"""/management-reviews/: the management review record as a PDF (stintranet/pdf.py), in
the person's language, dated the meeting (held, else planned); audit-logged as an
export."""
from flask_babel import lazy_gettext as _l

from .. import pdf
from ..auth.decorators import roles_required
from . import bp
from .models import READERS
from .views import get_review, review_context

TITLE = _l('Management review record')


@bp.route('/<int:review_id>/review.pdf')
@roles_required(*READERS)
def review_pdf(review_id):
    """The review record with its signature boxes, as a PDF."""
    review = get_review(review_id)
    return pdf.download('management/print.html', report='management_review',
                        reference=review.reference, title=TITLE,
                        day=review.held_on or review.planned_on, obj=review,
                        details={'status': review.status}, **review_context(review))

"""/pledges/: a signed confidentiality pledge, with the hash of the text signed, as a
printable page and a PDF (stintranet/pdf.py) in the person's language; only the
person's own signatures; the PDF is audit-logged as an export."""
import datetime

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import pdf, refusals
from ..auth.decorators import roles_required
from ..timezone import office_zone
from ..training.people import CONTENT_ROLES
from . import bp
from .models import PledgeSignature

TITLE = _l('Confidentiality pledge')


def signed_context(signature_id):
    """The person's own signature and the version signed; another's is a 404, recorded."""
    signature = PledgeSignature.own(current_user, signature_id)
    if signature is None:
        refusals.not_found(PledgeSignature, signature_id)
    version = signature.version
    return {'signature': signature, 'version': version, 'person': current_user,
            'matches': signature.text_sha256 == version.text_sha256,
            'signed_on': signature.signed_at.replace(tzinfo=datetime.timezone.utc)
            .astimezone(office_zone()).date()}


@bp.route('/signatures/<int:signature_id>')
@roles_required(*CONTENT_ROLES)
def signed(signature_id):
    """The signed pledge laid out for A4: the text, the signature and its hash."""
    return render_template('pledges/signed.html', **signed_context(signature_id))


@bp.route('/signatures/<int:signature_id>.pdf')
@roles_required(*CONTENT_ROLES)
def signed_pdf(signature_id):
    """The signed pledge as a PDF, dated the day it was signed."""
    context = signed_context(signature_id)
    signature = context['signature']
    return pdf.download('pledges/signed.html', report='signed_pledge',
                        reference=signature.reference, title=TITLE,
                        day=context['signed_on'], obj=signature,
                        details={'version': context['version'].number}, **context)

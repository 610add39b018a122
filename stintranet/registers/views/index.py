"""/registers/: the registers this user may use; a ledger entry's linked records."""
from flask import render_template
from flask_login import current_user

from ...auth.decorators import roles_required
from ...ledger.models import LedgerEntry
from ...timezone import today_local
from .. import READERS, bp
from ..linked import linked_records
from ..models import Asset, Contractor, ProvisionRecord, PurposeChange
from .common import first_or_404


@bp.route('/')
@roles_required(*READERS)
def index():
    """Each register with what needs attention in the user's scope (constant queries)."""
    today = today_local()
    return render_template(
        'registers/index.html', today=today,
        contractors=Contractor.flag_counts(current_user, today),
        provisions=ProvisionRecord.counts(current_user, today),
        assets=Asset.counts(current_user, today),
        purpose_changes=PurposeChange.visible_to(current_user).count(),
        can_manage_contractors=Contractor.editable_by(current_user),
        manages=bool(current_user.managed_department_ids) and current_user.has_role('manager'))


@bp.route('/entries/<int:entry_id>')
@roles_required(*READERS)
def entry_links(entry_id):
    """The register records linked to one ledger entry (read-only)."""
    entry = first_or_404(LedgerEntry.visible_to(current_user).where(LedgerEntry.id == entry_id),
                         LedgerEntry, entry_id)
    return render_template('registers/entry.html', entry=entry,
                           registers_linked=linked_records(entry, current_user))

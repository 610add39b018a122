"""Home-page panels: whether I signed the current pledge; signatures by department."""
from ..dashboard import panels
from flask_babel import lazy_gettext as _l
from ..training.people import COMPLIANCE_ROLES, CONTENT_ROLES
from . import models


def my_pledge(user, reads):
    """The current version and my signature of it (two reads)."""
    version = reads.first(models.PledgeVersion.newest_first())
    signature = reads.first(models.PledgeSignature.of_version(
        user, models.PledgeVersion.current_id()))
    return lambda: {'version': version.value, 'signature': signature.value}


def pledge_compliance(user, reads):
    version = reads.first(models.PledgeVersion.newest_first())
    tuples = reads.rows(models.compliance_query(
        user, models.PledgeVersion.current_id()).tuples())

    def build():
        rows = models.compliance_rows(tuples.value)
        return {'version': version.value, 'rows': rows,
                'total': models.total_row(rows, _l('All departments'))}
    return build


panels.register(305, 'pledge-mine', 'pledges/_panel_mine.html', CONTENT_ROLES,
                context=my_pledge)
panels.register(315, 'pledge-compliance', 'pledges/_panel_compliance.html', COMPLIANCE_ROLES,
                context=pledge_compliance)

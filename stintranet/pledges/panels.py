"""Home-page panels: whether I signed the current pledge; signatures by department."""
from flask_babel import lazy_gettext as _l

from ..dashboard import panels
from ..training.people import COMPLIANCE_ROLES, CONTENT_ROLES
from . import models


def my_pledge(user):
    """The current version and my signature of it (two queries)."""
    version = models.PledgeVersion.current()
    return {'version': version, 'signature': models.PledgeSignature.find(user, version)}


def pledge_compliance(user):
    version = models.PledgeVersion.current()
    rows = models.compliance(user, version)
    return {'version': version, 'rows': rows,
            'total': models.total_row(rows, _l('All departments'))}


panels.register(305, 'pledge-mine', 'pledges/_panel_mine.html', CONTENT_ROLES,
                context=my_pledge)
panels.register(315, 'pledge-compliance', 'pledges/_panel_compliance.html', COMPLIANCE_ROLES,
                context=pledge_compliance)

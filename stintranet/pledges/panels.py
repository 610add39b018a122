"""Home-page panel: signatures of the current pledge by department for the committee,
auditors and managers (whether a person signed it is in their work list)."""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..training.people import COMPLIANCE_ROLES
from . import models


def pledge_compliance(user):
    """The current version and its signatures by department (two queries)."""
    version = models.PledgeVersion.current()
    rows = models.compliance(user, version)
    return {'version': version, 'rows': rows,
            'total': models.total_row(rows, _l('All departments'))}


panels.register('pledges-compliance', 'pledges/_panel_compliance.html', COMPLIANCE_ROLES,
                pledge_compliance, title=_l('Pledge signatures'))

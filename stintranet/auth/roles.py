"""The roles of docs/design.md; a person may hold several."""
from flask_babel import lazy_gettext as _l

EMPLOYEE = 'employee'
MANAGER = 'manager'
COMMITTEE = 'committee'
CUSTOMER_CENTER = 'customer_center'
AUDITOR = 'auditor'
ADMIN = 'admin'

ROLES = (EMPLOYEE, MANAGER, COMMITTEE, CUSTOMER_CENTER, AUDITOR, ADMIN)

LABELS = {
    EMPLOYEE: _l('Employee'),
    MANAGER: _l('Personal-information manager'),
    COMMITTEE: _l('Protection Committee'),
    CUSTOMER_CENTER: _l('Customer Center'),
    AUDITOR: _l('Audit Department'),
    ADMIN: _l('System administrator'),
}

# Roles that read every department's records.
READ_ALL = (COMMITTEE, AUDITOR)

# Roles that take effect only when a committee member other than the person who asked
# approves them (four eyes): each opens content.
FOUR_EYES = (MANAGER, COMMITTEE, CUSTOMER_CENTER, AUDITOR)

# Roles never held together with ADMIN: the administrator manages accounts and sees no
# content (separation of duties).
NOT_WITH_ADMIN = (COMMITTEE, CUSTOMER_CENTER, AUDITOR)


def separation_conflicts(roles):
    """The roles of ``roles`` that may not be held with ``admin`` when it is among them."""
    roles = set(roles or ())
    return sorted(roles.intersection(NOT_WITH_ADMIN)) if ADMIN in roles else []


# The states of a role grant and how a grant was given, as shown on the account page.
GRANT_STATES = {
    'pending': _l('Waiting for approval'),
    'approved': _l('Approved'),
    'refused': _l('Refused'),
    'withdrawn': _l('Withdrawn'),
}
GRANT_VIAS = {
    'request': _l('asked for by an administrator'),
    'seed': _l('given by the demo seed'),
    'command': _l('given by the create-user command'),
}

"""The roles of DESIGN.md; a person may hold several."""
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

"""Ledger test data: ``entry_data`` (a complete active entry), ``make_entry`` (with a
current risk assessment unless ``assessed=False``) and ``risk_rows``."""
import itertools

from stintranet.ledger import services
from stintranet.ledger.risk import services as risk_services
from tests import factories

_counter = itertools.count(1)


def entry_data(department, responsible, **overrides):
    """The service input of a complete, active entry; override any field."""
    data = {
        'department_id': department.id,
        'title': 'Customer orders %d' % next(_counter),
        'category': 'customer',
        'items': ['address', 'email', 'name'],
        'free_items': [],
        'special_care_override': '',
        'special_care_reason': '',
        'purposes': 'Delivering orders and invoicing.',
        'acquisition_route': 'direct_written',
        'acquisition_method': 'Web shop checkout.',
        'notice_method': 'consent',
        'notice_details': '',
        'person_band': 3,
        'person_estimate': 2500,
        'medium': 'electronic',
        'storage_location': 'Order database on server db01, Tokyo data centre.',
        'storage_country': 'JP',
        'foreign_note': '',
        'access_persons': 'Order desk (4 people).',
        'use_period_months': 36,
        'use_period_note': 'the last order',
        'retention_period_months': 60,
        'retention_period_note': 'the last order',
        'disposal_methods': 'secure_deletion',
        'disposal_note': '',
        'security_measures': 'access_control,encryption',
        'security_details': 'Disk encryption and role-based access.',
        'outsourced': False,
        'outsourcing_note': '',
        'third_party_provision': False,
        'third_party_note': '',
        'responsible_id': responsible.id,
        'status': 'active',
    }
    data.update(overrides)
    return data


def risk_rows(**overrides):
    """One complete risk per stage (the service's input); ``overrides`` apply to each."""
    rows = [
        {'stage': 'acquisition', 'threat': 'leak', 'scenario': 'Form read over a shoulder',
         'likelihood': 1, 'impact': 2, 'measures': 'TLS; privacy filters.'},
        {'stage': 'use', 'threat': 'misuse', 'scenario': 'Browsing by staff',
         'likelihood': 2, 'impact': 2, 'measures': 'Role-based access; logs reviewed.'},
        {'stage': 'storage', 'threat': 'unauthorised_access', 'scenario': 'Server breach',
         'likelihood': 1, 'impact': 3, 'measures': 'Disk encryption; MFA.'},
        {'stage': 'transfer', 'threat': 'not_applicable',
         'scenario': 'Nothing leaves the system.', 'likelihood': None, 'impact': None,
         'measures': ''},
        {'stage': 'disposal', 'threat': 'leak', 'scenario': 'Data left on disks',
         'likelihood': 1, 'impact': 2, 'measures': 'Overwrite with deletion software.'},
    ]
    for row in rows:
        row.setdefault('residual_override', '')
        row.setdefault('override_reason', '')
        row.update(overrides)
    return rows


def make_entry(department='SALES', responsible=None, actor=None, assessed=True, **overrides):
    """Create an entry through the service (revision, review and audit rows included),
    with a risk assessment made today by the system unless ``assessed`` is False."""
    dept = factories.make_department(department)
    if responsible is None:
        responsible = factories.make_user(roles=('employee', 'manager'), department=dept.code)
    entry = services.create_entry(entry_data(dept, responsible, **overrides),
                                  actor=actor or responsible)
    if assessed:
        risk_services.save(entry, risk_rows(), '', expected_version=None, actor=None)
    return entry


def form_data(**overrides):
    """POST data of the entry form for a complete active entry."""
    data = {
        'title': 'Customer orders',
        'category': 'customer',
        'items': ['name', 'address', 'email'],
        'free_items': '',
        'special_care_override': '',
        'special_care_reason': '',
        'purposes': 'Delivering orders and invoicing.',
        'acquisition_route': 'direct_written',
        'acquisition_method': 'Web shop checkout.',
        'notice_method': 'consent',
        'notice_details': '',
        'person_band': '3',
        'person_estimate': '2500',
        'medium': 'electronic',
        'storage_location': 'Order database on server db01.',
        'storage_country': 'JP',
        'foreign_note': '',
        'access_persons': 'Order desk (4 people).',
        'use_period_months': '36',
        'use_period_note': 'the last order',
        'retention_period_months': '60',
        'retention_period_note': 'the last order',
        'disposal_methods': ['secure_deletion'],
        'disposal_note': '',
        'security_measures': ['access_control', 'encryption'],
        'security_details': 'Disk encryption.',
        'outsourcing_note': '',
        'third_party_note': '',
        'status': 'active',
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}

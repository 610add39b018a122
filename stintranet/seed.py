"""The demo organisation of docs/design.md; capabilities add their data with ``register``."""
from collections import namedtuple

from .auth import roles as R
from .auth.models import Department, RoleGrant, User
from .auth.services import create_user
from .db import database

DEMO_DOMAIN = 'st-group.example'

DEPARTMENTS = [
    ('SALES', 'Sales Department'),
    ('HR', 'Human Resources Department'),
    ('IT', 'Information Technology Department'),
    ('CC', 'Customer Center'),
    ('AUDIT', 'Audit Department'),
    ('LEGAL', 'Legal Department'),
]

DemoUser = namedtuple('DemoUser', 'local name department roles manages')

USERS = [
    DemoUser('admin', 'Kenji Admin', 'IT', [R.ADMIN], []),
    DemoUser('chair', 'Haruko Sato (Chair)', 'LEGAL', [R.EMPLOYEE, R.COMMITTEE], []),
    DemoUser('committee', 'Takeshi Suzuki', 'LEGAL', [R.EMPLOYEE, R.COMMITTEE], []),
    DemoUser('auditor', 'Yumi Takahashi', 'AUDIT', [R.EMPLOYEE, R.AUDITOR], []),
    DemoUser('cc', 'Daisuke Tanaka', 'CC', [R.EMPLOYEE, R.CUSTOMER_CENTER], []),
    DemoUser('manager.sales', 'Akiko Watanabe', 'SALES', [R.EMPLOYEE, R.MANAGER], ['SALES']),
    DemoUser('manager.hr', 'Hiroshi Ito', 'HR', [R.EMPLOYEE, R.MANAGER], ['HR']),
    DemoUser('manager.it', 'Naoko Yamamoto', 'IT', [R.EMPLOYEE, R.MANAGER], ['IT']),
    DemoUser('alice', 'Alice Nakamura', 'SALES', [R.EMPLOYEE], []),
    DemoUser('bob', 'Bob Kobayashi', 'SALES', [R.EMPLOYEE], []),
    DemoUser('carol', 'Carol Kato', 'HR', [R.EMPLOYEE], []),
]

# The demo accounts that chose an interface language; the others follow DEFAULT_LOCALE.
# bob@ is the foreign member of staff who reads English.
CHOSEN_LANGUAGES = {'bob': 'en'}

_extras = []


def register(order):
    """Decorator: ``func(context)`` adds a capability's demo data after the accounts."""
    def decorator(func):
        if func not in [f for _, f in _extras]:
            _extras.append((order, func))
            _extras.sort(key=lambda item: item[0])
        return func
    return decorator


def demo_email(local):
    return '%s@%s' % (local, DEMO_DOMAIN)


def is_empty():
    return not User.select().exists()


def seed_demo(password):
    """Create the demo organisation; the same password for every demo account."""
    with database.atomic():
        departments = {}
        for code, name in DEPARTMENTS:
            departments[code] = Department.create(code=code, name=name)
        users = {}
        for spec in USERS:
            users[spec.local] = create_user(
                demo_email(spec.local), spec.name, departments[spec.department], spec.roles,
                [departments[c] for c in spec.manages], password=password,
                must_change_password=False, via=RoleGrant.SEED)
            if spec.local in CHOSEN_LANGUAGES:
                users[spec.local].locale = CHOSEN_LANGUAGES[spec.local]
                users[spec.local].save(only=[User.locale])
        context = {'departments': departments, 'users': users}
        for _, func in _extras:
            func(context)
    return context

"""Register test data through the services (audit rows included), with keyword defaults."""
import datetime
import io
import itertools

from stintranet.registers import services
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry

_counter = itertools.count(1)

PDF = (b'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
       b'2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')


def pdf_upload(name='signed.pdf', data=PDF):
    """A file for a test-client POST."""
    return (io.BytesIO(data), name)


def days(n):
    return datetime.timedelta(days=n)


def manager_of(code):
    return factories.make_user(roles=('employee', 'manager'), department=code, manages=(code,))


def make_contractor(actor=None, upload=None, **overrides):
    today = today_local()
    data = {
        'name': 'Contractor %d K.K.' % next(_counter), 'services': 'Delivery of orders.',
        'contact': 'Ms. Sato, sato@contractor.example', 'countries': ['JP'],
        'foreign_measures': '', 'agreement_signed_on': today - days(100),
        'agreement_expires_on': today + days(265), 'next_check_due': today + days(100),
        'entry_ids': [],
    }
    data.update(overrides)
    actor = actor or factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    return services.create_contractor(data, actor=actor, upload=upload)


def make_provision(entry=None, actor=None, **overrides):
    today = today_local()
    entry = entry or make_entry('SALES')
    data = {
        'entry': entry.id, 'basis': 'consent', 'recipient_name': 'Recipient %d Co., Ltd.'
        % next(_counter), 'recipient_address': '1-1 Chiyoda, Tokyo',
        'recipient_representative': 'Taro Yamada', 'recipient_country': 'JP',
        'provided_on': today - days(10), 'provided_until': None, 'record_case': 'each',
        'recorded_on': today - days(10), 'persons_description': 'Customers of May',
        'items': 'Name, address', 'person_count': 10,
        'consent_evidence': 'Web form checkbox', 'note': '', 'keep_until': None,
    }
    data.update(overrides)
    actor = actor or manager_of(entry.department.code)
    return services.create_provision(data, actor=actor)


def make_asset(department='SALES', actor=None, **overrides):
    dept = factories.make_department(department)
    actor = actor or manager_of(dept.code)
    data = {
        'tag': 'USB-%s-%03d' % (dept.code, next(_counter)), 'kind': 'usb',
        'description': '', 'department': dept.id, 'location': 'Drawer 1',
        'custodian': actor.id, 'portable': True, 'encrypted': False,
        'locked_storage': False, 'note': '', 'entry_ids': [],
    }
    data.update(overrides)
    return services.create_asset(data, actor=actor)


def make_purpose_change(entry=None, actor=None, **overrides):
    today = today_local()
    entry = entry or make_entry('SALES')
    data = {
        'entry': entry.id, 'new_purpose': 'Delivering orders and recommending products.',
        'notified_on': today - days(3), 'effective_on': today + days(27), 'channel': 'email',
        'channel_detail': '', 'refusals_count': 0, 'refusals_note': '',
    }
    data.update(overrides)
    actor = actor or manager_of(entry.department.code)
    return services.create_purpose_change(data, actor=actor)

"""Demo registers: contractors (one agreement expiring soon, one check overdue), provision
records (one about to be deleted), devices and media (an unencrypted USB stick whose
carry-out awaits the committee's exception, a carry-out out, one returned, one awaiting
the manager, a disposal with its certificate) and a notice of a change of purpose."""
import datetime

from .. import seed
from ..ledger.models import LedgerEntry
from ..timezone import today_local
from . import services
from .models import add_years

# A one-page PDF standing in for the scanned certificates and agreements.
DEMO_PDF = (b'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
            b'2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
            b'3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n'
            b'trailer<</Root 1 0 R>>\n%%EOF\n')


def _entry(departments, code, title):
    return LedgerEntry.get_or_none((LedgerEntry.department == departments[code].id)
                                   & (LedgerEntry.title == title))


def _ids(*entries):
    return [e.id for e in entries if e is not None]


@seed.register(500)
def seed_registers(context):
    """Fill every register with a few realistic records."""
    today = today_local()
    days = datetime.timedelta
    departments, users = context['departments'], context['users']
    chair, it, sales, hr = (users['chair'], users['manager.it'], users['manager.sales'],
                            users['manager.hr'])
    orders = _entry(departments, 'SALES', 'Customer order management')
    crm = _entry(departments, 'SALES', 'Sales CRM and pipeline (cloud, Singapore)')
    credit = _entry(departments, 'SALES', 'Credit checks of corporate customers')
    payroll = _entry(departments, 'HR', 'Payroll and social insurance')
    health = _entry(departments, 'HR', 'Annual health checks')
    helpdesk = _entry(departments, 'IT', 'IT help desk tickets')

    delivery = services.create_contractor({
        'name': 'Kanto Express Logistics Co., Ltd.',
        'services': 'Delivery of customer orders; receives name, address and telephone number '
                    'for each shipment.',
        'contact': 'Ms. Yoko Fujita, Customer Data Desk\nfujita@kanto-express.example\n'
                   '03-0000-1234',
        'countries': ['JP'], 'foreign_measures': '',
        'agreement_signed_on': add_years(today, -2) + days(20),
        'agreement_expires_on': today + days(20),
        'next_check_due': today + days(90), 'entry_ids': _ids(orders),
    }, actor=chair, upload=(DEMO_PDF, 'application/pdf', 'kanto-express-nda-signed.pdf'))
    services.add_check(delivery, {
        'checked_on': today - days(275), 'method': 'on_site', 'result': 'satisfactory',
        'note': 'Depot visit: shipping labels shredded daily, access to the waybill system '
                'limited to dispatchers.', 'next_due': today + days(90)}, actor=chair)

    cloud = services.create_contractor({
        'name': 'Lion City Cloud Pte. Ltd.',
        'services': 'Hosting and support of the sales CRM (SaaS).',
        'contact': 'Account manager: Mr. Wei Ming Tan, support@lioncity-cloud.example',
        'countries': ['SG'],
        'foreign_measures': 'Singapore: Personal Data Protection Act 2012 (PDPC). Data '
                            'processing agreement with APPI-equivalent clauses; ISO/IEC 27001 '
                            'certified; encryption at rest and in transit.',
        'agreement_signed_on': today - days(400), 'agreement_expires_on': add_years(today, 2),
        'next_check_due': today - days(60), 'entry_ids': _ids(crm),
    }, actor=chair, upload=(DEMO_PDF, 'application/pdf', 'lion-city-dpa.pdf'))
    services.add_check(cloud, {
        'checked_on': today - days(425), 'method': 'documents', 'result': 'improvements',
        'note': 'SOC 2 report reviewed; asked for the sub-processor list to be kept current.',
        'next_due': today - days(60)}, actor=chair)

    payroll_co = services.create_contractor({
        'name': 'Sakura Payroll Services K.K.',
        'services': 'Monthly payroll calculation and year-end tax adjustment.',
        'contact': 'Mr. Kenta Mori, mori@sakura-payroll.example',
        'countries': ['JP'], 'foreign_measures': '',
        'agreement_signed_on': today - days(700), 'agreement_expires_on': None,
        'next_check_due': today + days(200), 'entry_ids': _ids(payroll),
    }, actor=chair)
    services.add_check(payroll_co, {
        'checked_on': today - days(165), 'method': 'questionnaire', 'result': 'satisfactory',
        'note': '', 'next_due': today + days(200)}, actor=chair)

    shredder = services.create_contractor({
        'name': 'Tokyo Secure Shred K.K.',
        'services': 'Certified destruction of paper records and storage media.',
        'contact': 'Dispatch desk, 03-0000-5678',
        'countries': ['JP'], 'foreign_measures': '',
        'agreement_signed_on': today - days(200), 'agreement_expires_on': add_years(today, 1),
        'next_check_due': today + days(150), 'entry_ids': [],
    }, actor=chair, upload=(DEMO_PDF, 'application/pdf', 'tokyo-secure-shred-contract.pdf'))

    if credit is not None:
        services.create_provision({
            'entry': credit.id, 'basis': 'consent',
            'recipient_name': 'Japan Business Credit Bureau, Inc.',
            'recipient_address': '1-2-3 Marunouchi, Chiyoda-ku, Tokyo',
            'recipient_representative': 'Taro Yamada, President',
            'recipient_country': 'JP', 'provided_on': today - days(120),
            'provided_until': today - days(5), 'record_case': 'bulk',
            'recorded_on': today - days(120),
            'persons_description': 'Representatives of corporate customers applying for '
                                   'credit terms',
            'items': 'Name, company, position', 'person_count': 42,
            'consent_evidence': 'Signed credit application form, clause 7; kept in cabinet '
                                'S-3.', 'note': '', 'keep_until': None}, actor=sales)
    if orders is not None:
        # Provided with the delivery to the customer: kept one year, deleted within days.
        services.create_provision({
            'entry': orders.id, 'basis': 'consent',
            'recipient_name': 'Hokuriku Crafts Co., Ltd. (manufacturer)',
            'recipient_address': '4-5-6 Korinbo, Kanazawa, Ishikawa',
            'recipient_representative': 'Hanako Suzuki, Representative Director',
            'recipient_country': 'JP', 'provided_on': add_years(today, -1) + days(10),
            'provided_until': None, 'record_case': 'contract',
            'recorded_on': add_years(today, -1) + days(10),
            'persons_description': 'Customers who ordered made-to-order furniture in the '
                                   'spring campaign',
            'items': 'Name, delivery address, telephone number', 'person_count': 18,
            'consent_evidence': 'Order form: “the maker ships directly to you”.', 'note': '',
            'keep_until': None}, actor=sales)
    if payroll is not None:
        services.create_provision({
            'entry': payroll.id, 'basis': 'law', 'recipient_name': 'Japan Pension Service',
            'recipient_address': '', 'recipient_representative': '',
            'recipient_country': 'JP', 'provided_on': today - days(40), 'provided_until': None,
            'record_case': 'each', 'recorded_on': today - days(40),
            'persons_description': '', 'items': '', 'person_count': None,
            'consent_evidence': '',
            'note': 'Notification of standard monthly remuneration (Employees\' Pension '
                    'Insurance Act Art. 27); no record required.', 'keep_until': None},
            actor=hr)
    if health is not None:
        services.create_provision({
            'entry': health.id, 'basis': 'joint_use',
            'recipient_name': 'S.T. Group Health Insurance Society',
            'recipient_address': '', 'recipient_representative': '',
            'recipient_country': 'JP', 'provided_on': today - days(300),
            'provided_until': today - days(30), 'record_case': 'bulk',
            'recorded_on': today - days(300), 'persons_description': '', 'items': '',
            'person_count': None, 'consent_evidence': '',
            'note': 'Joint use published on the intranet and in the employment rules '
                    '(items, users, purpose and the person responsible).',
            'keep_until': None}, actor=hr)

    usb = services.create_asset({
        'tag': 'USB-SALES-007', 'kind': 'usb', 'description': 'Generic 32 GB USB stick',
        'department': departments['SALES'].id, 'location': 'Order desk drawer, 5th floor',
        'custodian': users['bob'].id, 'portable': True, 'encrypted': False,
        'locked_storage': False, 'note': 'Used for trade-show lead files.',
        'entry_ids': _ids(_entry(departments, 'SALES', 'Trade-show visitor business cards')),
    }, actor=sales)
    laptop = services.create_asset({
        'tag': 'PC-SALES-021', 'kind': 'pc', 'description': 'Laptop, serial 5CD1234XYZ',
        'department': departments['SALES'].id, 'location': 'Sales floor, locker 12',
        'custodian': users['alice'].id, 'portable': True, 'encrypted': True,
        'locked_storage': True, 'note': '', 'entry_ids': _ids(orders, crm),
    }, actor=sales)
    # Each carry-out is asked for by the person taking the asset out; the department's
    # manager decides (the committee for the unencrypted stick's exception).
    carry = services.request_carry_out(laptop, {
        'requested_by': users['alice'].id, 'out_on': today - days(30),
        'expected_return_on': today - days(28), 'destination': 'Customer office, Osaka',
        'purpose': 'Order review meeting with a key account.'}, actor=users['alice'])
    services.decide_carry_out(laptop, carry.id, approve=True, actor=sales,
                              today=today - days(30))
    services.record_return(laptop, carry.id, {'returned_on': today - days(28),
                                              'note': 'Checked, nothing missing.'}, actor=sales)
    carry = services.request_carry_out(laptop, {
        'requested_by': users['alice'].id, 'out_on': today,
        'expected_return_on': today + days(2), 'destination': 'Trade show, Makuhari Messe',
        'purpose': 'Demonstrations at the booth; no customer files on the desktop.'},
        actor=users['alice'])
    services.decide_carry_out(laptop, carry.id, approve=True, actor=sales)
    archive_disk = services.create_asset({
        'tag': 'HDD-SALES-003', 'kind': 'external_disk',
        'description': 'Encrypted 1 TB disk for order archives', 'department':
        departments['SALES'].id, 'location': 'Cabinet S-2, 5th floor',
        'custodian': users['alice'].id, 'portable': True, 'encrypted': True,
        'locked_storage': True, 'note': '', 'entry_ids': _ids(orders),
    }, actor=sales)
    services.request_carry_out(archive_disk, {
        'requested_by': users['alice'].id, 'out_on': today + days(1),
        'expected_return_on': today + days(1), 'destination': 'Osaka branch office',
        'purpose': 'Handing the order archive of 2023 to the branch for its audit.'},
        actor=users['alice'])
    services.create_asset({
        'tag': 'USB-SALES-010', 'kind': 'usb', 'description': 'Encrypted 16 GB USB stick',
        'department': departments['SALES'].id, 'location': 'Order desk drawer, 5th floor',
        'custodian': sales.id, 'portable': True, 'encrypted': True, 'locked_storage': True,
        'note': 'Hardware-encrypted, PIN pad.', 'entry_ids': [],
    }, actor=sales)
    services.request_carry_out(usb, {
        'requested_by': users['bob'].id, 'out_on': today + days(3),
        'expected_return_on': today + days(4), 'destination': 'Trade show, Tokyo Big Sight',
        'purpose': 'Loading the visitor scans from the booth scanner.',
        'exception_reason': 'The booth scanner writes only to this stick; the file is '
                            'copied to the CRM and wiped the same evening.'},
        actor=users['bob'])
    services.create_asset({
        'tag': 'SRV-IT-001', 'kind': 'server', 'description': 'Database server db01',
        'department': departments['IT'].id, 'location': 'Tokyo data centre, rack B4',
        'custodian': it.id, 'portable': False, 'encrypted': True, 'locked_storage': True,
        'note': '', 'entry_ids': _ids(helpdesk),
    }, actor=it)
    services.create_asset({
        'tag': 'TAPE-IT-2024-03', 'kind': 'backup_tape', 'description': 'LTO-8 weekly backup',
        'department': departments['IT'].id, 'location': 'Fire safe, server room',
        'custodian': it.id, 'portable': True, 'encrypted': True, 'locked_storage': True,
        'note': '', 'entry_ids': _ids(helpdesk),
    }, actor=it)
    disk = services.create_asset({
        'tag': 'HDD-IT-0042', 'kind': 'external_disk', 'description': '2 TB disk, old backups',
        'department': departments['IT'].id, 'location': 'Server room cabinet 3',
        'custodian': it.id, 'portable': True, 'encrypted': False, 'locked_storage': True,
        'note': 'Held help-desk exports from 2019.', 'entry_ids': _ids(helpdesk),
    }, actor=it)
    services.dispose_asset(disk, {
        'disposed_on': today - days(14), 'method': 'disposal_contractor',
        'contractor': shredder.id, 'performed_by': it.id, 'witness': users['committee'].id,
        'note': 'Shredded on site; certificate no. TSS-2024-118.'}, actor=it,
        upload=(DEMO_PDF, 'application/pdf', 'certificate-of-destruction.pdf'))
    services.create_asset({
        'tag': 'PAPER-HR-01', 'kind': 'paper', 'description': 'Personnel files 2015-2020',
        'department': departments['HR'].id, 'location': 'Locked archive room, 3rd floor',
        'custodian': hr.id, 'portable': False, 'encrypted': False, 'locked_storage': True,
        'note': '', 'entry_ids': _ids(payroll),
    }, actor=hr)

    if orders is not None:
        # Notified six weeks ago, in effect for a fortnight: the entry holds the new
        # purposes, with a revision.
        services.create_purpose_change({
            'entry': orders.id,
            'new_purpose': orders.purposes + ' Recommending related products by e-mail, '
                                             'based on the purchase history.',
            'notified_on': today - days(45), 'effective_on': today - days(15),
            'channel': 'email',
            'channel_detail': 'Newsletter of the month and the privacy policy page',
            'refusals_count': 12,
            'refusals_note': 'The twelve customers were excluded from recommendation mailings '
                             'in the shop system.'}, actor=sales)
    personnel = _entry(departments, 'HR', 'Personnel records')
    if personnel is not None:
        # Notified ten days ago, in effect in three weeks (the daily job applies it).
        services.create_purpose_change({
            'entry': personnel.id,
            'new_purpose': personnel.purposes + ' Planning training and career development '
                                                'from skills records.',
            'notified_on': today - days(10), 'effective_on': today + days(20),
            'channel': 'notice_board',
            'channel_detail': 'Intranet notice HR-2024-07', 'refusals_count': 0,
            'refusals_note': ''}, actor=hr)
    context['registers'] = {'usb': usb, 'laptop': laptop, 'delivery': delivery}

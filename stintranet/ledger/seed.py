"""Demo ledger: about thirty entries of the demo departments.

Some reviews are overdue or due soon, the sales CRM is hosted in Singapore,
HR and the Customer Center hold special-care-required data, a few drafts are
incomplete and one entry is retired, so that every page has something to show.
"""
from .. import seed
from ..timezone import today_local
from . import services
from .models import LedgerReview, add_months

DEFAULTS = {
    'category': 'customer', 'items': [], 'free_items': [], 'special_care_override': '',
    'special_care_reason': '', 'acquisition_route': 'direct_written', 'acquisition_method': '',
    'notice_method': 'published', 'notice_details': '', 'person_band': None,
    'person_estimate': None, 'medium': 'electronic', 'storage_location': '',
    'storage_country': 'JP', 'foreign_note': '', 'access_persons': '',
    'use_period_months': None, 'use_period_note': '', 'retention_period_months': None,
    'retention_period_note': '', 'disposal_methods': 'secure_deletion', 'disposal_note': '',
    'security_measures': 'access_control,password', 'security_details': '',
    'outsourced': False, 'outsourcing_note': '', 'third_party_provision': False,
    'third_party_note': '', 'status': 'active',
}

# (department, responsible, months since the last review, fields)
ENTRIES = [
    ('SALES', 'manager.sales', 3, dict(
        title='Customer order management',
        minors='yes', guardian_consent='electronic',
        guardian_consent_note='Customers under 18 tick that a parent or guardian agrees on '
        'the checkout page; orders over 50,000 yen by minors are confirmed by telephone.',
        items=['name', 'address', 'telephone', 'email', 'customer_number', 'purchase_history'],
        purposes='Processing orders, delivering products, invoicing and after-sales support.',
        acquisition_method='Order forms and the web shop checkout.',
        notice_method='consent', notice_details='Checkbox on the checkout page; paper order '
        'forms carry the purpose statement.',
        person_band=4, person_estimate=48000,
        storage_location='Sales management system (SMS), database server in the Tokyo data '
        'centre; reached over the company VPN only.',
        access_persons='Sales Department order desk (4), sales representatives (read only), '
        'two IT database administrators.',
        use_period_months=60, use_period_note='the last order',
        retention_period_months=84, retention_period_note='the last order (tax records)',
        security_measures='access_control,access_log,encryption,password',
        security_details='Disk encryption; role-based access; logs reviewed monthly.',
        outsourced=True, outsourcing_note='Delivery contractor receives name, address and '
        'telephone number for each shipment.')),
    ('SALES', 'manager.sales', 5, dict(
        title='Sales CRM and pipeline (cloud, Singapore)',
        category='business_partner',
        items=['name', 'employer', 'telephone', 'email', 'online_identifier'],
        purposes='Managing contacts at customer companies, sales opportunities and '
        'follow-up activities.',
        acquisition_method='Business meetings, inquiries through the corporate website.',
        notice_method='published', person_band=3, person_estimate=6200,
        storage_location='SaaS CRM tenant \u201cst-group-sales\u201d; the provider hosts it '
        'in its Singapore region.',
        storage_country='SG',
        foreign_note='Singapore: Personal Data Protection Act 2012 (PDPA), supervised by the '
        'PDPC; comparable to APPI in purpose limitation, security and breach notification. '
        'Measures: data processing agreement with APPI-equivalent clauses, ISO/IEC 27001 '
        'certified provider, encryption at rest and in transit, yearly review of the '
        'provider\'s SOC 2 report; the privacy policy names the country and the regime.',
        access_persons='Sales Department staff with CRM licences (23), CRM administrator '
        '(IT, 1).',
        use_period_months=36, use_period_note='the last contact',
        retention_period_months=36, retention_period_note='the last contact',
        security_measures='access_control,access_log,encryption,password',
        security_details='SSO with two-factor authentication; export disabled for '
        'non-administrators.',
        outsourced=True, outsourcing_note='CRM provider (cloud hosting and support).')),
    ('SALES', 'alice', 14, dict(
        title='Trade-show visitor business cards',
        category='business_partner', items=['name', 'employer', 'telephone', 'email'],
        purposes='Sending product information requested at trade shows.',
        acquisition_route='direct_other',
        acquisition_method='Business cards handed over at the booth.',
        notice_method='notified', notice_details='Sign at the booth states the purpose.',
        person_band=2, person_estimate=850, medium='both',
        storage_location='Scanned into the CRM; paper cards in the locked cabinet S-2 for '
        'three months, then shredded.',
        access_persons='Sales representatives who attended the show.',
        use_period_months=24, retention_period_months=24,
        disposal_methods='secure_deletion,shredding',
        security_measures='access_control,locked_cabinet')),
    ('SALES', 'bob', 2, dict(
        title='Customer satisfaction survey',
        minors='yes', guardian_consent='written',
        guardian_consent_note='Paper questionnaires for respondents under 18 carry a '
        'parent or guardian consent box; unsigned ones are not entered.',
        items=['name', 'email', 'age', 'gender', 'customer_number'],
        purposes='Improving products and services; results are reported in aggregate.',
        acquisition_method='Online survey form sent to customers who agreed to be '
        'contacted.', notice_method='consent', person_band=3, person_estimate=3100,
        storage_location='Survey tool export in the SALES share \\\\fs01\\sales\\survey '
        '(restricted folder).',
        access_persons='Marketing team (3).',
        use_period_months=12, retention_period_months=24,
        security_measures='access_control,password')),
    ('SALES', 'manager.sales', 15, dict(
        title='Direct-mail campaign list',
        items=['name', 'address', 'date_of_birth'],
        purposes='Sending seasonal catalogues by post.',
        acquisition_route='indirect',
        acquisition_method='Rented from a list broker; the broker\'s opt-out notification '
        'to the PPC was checked.', notice_method='notified',
        notice_details='Purpose stated in every mailing with an opt-out address.',
        person_band=4, person_estimate=120000,
        storage_location='Mailing house system only; we keep the order and the suppression '
        'list.', access_persons='Campaign manager (1).',
        use_period_months=6, retention_period_months=12,
        disposal_methods='return', outsourced=True,
        outsourcing_note='Mailing house prints and posts the catalogues.')),
    ('SALES', 'manager.sales', 8, dict(
        title='Credit checks of corporate customers',
        category='business_partner', items=['name', 'address', 'employer', 'bank_account'],
        purposes='Deciding credit limits for corporate accounts.',
        acquisition_route='indirect', acquisition_method='Reports bought from a credit '
        'bureau.', notice_method='published', person_band=2, person_estimate=400,
        storage_location='Credit files in the SMS credit module.',
        access_persons='Credit controller (2), Sales Department manager.',
        use_period_months=36, retention_period_months=60,
        security_measures='access_control,access_log,password')),
    ('SALES', 'manager.sales', 30, dict(
        title='2019 summer campaign entrants',
        items=['name', 'address', 'email'],
        purposes='Drawing and notifying the winners of the 2019 summer campaign.',
        acquisition_method='Campaign web form.', notice_method='consent',
        person_band=3, person_estimate=2400,
        storage_location='Campaign database (decommissioned).',
        access_persons='Nobody (data deleted).', use_period_months=6,
        retention_period_months=12), 'retired'),
    ('HR', 'manager.hr', 4, dict(
        title='Personnel records',
        minors='no',
        category='employee',
        items=['name', 'address', 'telephone', 'email', 'date_of_birth', 'gender',
               'employee_number', 'family', 'education', 'photo'],
        purposes='Employment management: assignments, attendance, benefits and '
        'statutory duties.', acquisition_method='Documents submitted at hiring and '
        'changes reported by employees.', notice_method='notified',
        notice_details='Employee privacy notice in the work rules.',
        person_band=2, person_estimate=640, medium='both',
        storage_location='HR system (on premises); paper personnel files in the HR '
        'strong room, cabinet H-1.',
        access_persons='HR Department staff (5); department managers see their own '
        'staff\'s assignment data.',
        use_period_months=36, use_period_note='the end of employment',
        retention_period_months=60, retention_period_note='the end of employment (Labour '
        'Standards Act Art. 109)',
        disposal_methods='dissolution,secure_deletion',
        security_measures='access_control,access_log,locked_cabinet,password')),
    ('HR', 'manager.hr', 6, dict(
        title='Payroll and social insurance',
        category='employee',
        items=['name', 'employee_number', 'bank_account', 'salary', 'family', 'address'],
        purposes='Paying salaries, withholding tax, social insurance procedures.',
        acquisition_method='Forms submitted by employees.', notice_method='notified',
        person_band=2, person_estimate=640,
        storage_location='Payroll package on the HR server.',
        access_persons='Payroll team (2).', use_period_months=84,
        use_period_note='the end of employment', retention_period_months=84,
        retention_period_note='the end of employment',
        security_measures='access_control,access_log,encryption,password',
        outsourced=True, outsourcing_note='Payroll bureau runs the monthly payroll.')),
    ('HR', 'manager.hr', 13, dict(
        title='Annual health checks',
        category='employee',
        items=['name', 'employee_number', 'date_of_birth', 'health', 'medical_history'],
        purposes='Health checks under the Industrial Safety and Health Act and follow-up '
        'by the occupational physician.',
        acquisition_route='indirect', acquisition_method='Results sent by the contracted '
        'clinic.', notice_method='consent',
        notice_details='Written consent for the clinic to pass results to HR.',
        person_band=2, person_estimate=620, medium='both',
        storage_location='Sealed files in the health room cabinet M-1; the clinic\'s '
        'portal for electronic results.',
        access_persons='Occupational physician, health nurse (1), HR health officer (1).',
        use_period_months=60, retention_period_months=60,
        disposal_methods='dissolution,secure_deletion',
        security_measures='access_control,encryption,locked_cabinet,password',
        outsourced=True, outsourcing_note='Contracted clinic performs the checks.')),
    ('HR', 'manager.hr', 14, dict(
        title='Recruitment of new graduates and mid-career applicants',
        minors='yes', guardian_consent='written',
        guardian_consent_note='High-school applicants (17-18) apply through their school; '
        'the school collects the parent\'s consent with the application.',
        category='applicant',
        items=['name', 'address', 'telephone', 'email', 'date_of_birth', 'education', 'photo'],
        purposes='Selecting applicants and contacting them during recruitment.',
        acquisition_method='Recruitment website and job-board applications.',
        notice_method='consent', person_band=3, person_estimate=2300,
        storage_location='Applicant tracking system (SaaS, hosted in Japan).',
        access_persons='Recruiting team (3), interviewers for their candidates.',
        use_period_months=12, use_period_note='the end of the selection',
        retention_period_months=12,
        security_measures='access_control,password',
        outsourced=True, outsourcing_note='Applicant tracking system provider.')),
    ('HR', 'manager.hr', 7, dict(
        title='Stress check results',
        category='employee', items=['name', 'employee_number', 'health'],
        purposes='Stress checks and interviews with the physician (ISH Act Art. 66-10).',
        acquisition_method='Online questionnaire run by the implementer.',
        notice_method='consent', person_band=2, person_estimate=600,
        storage_location='Implementer\'s system; HR receives results only with consent.',
        access_persons='Occupational physician and the implementation staff.',
        use_period_months=60, retention_period_months=60,
        security_measures='access_control,encryption')),
    ('HR', 'manager.hr', 2, dict(
        title='Employment of persons with disabilities',
        category='employee', items=['name', 'employee_number', 'disability'],
        purposes='Workplace accommodations and the statutory employment report.',
        acquisition_method='Disability certificates shown by employees who choose to.',
        notice_method='consent', person_band=1, person_estimate=14, medium='paper',
        storage_location='Sealed envelopes in the HR strong room, cabinet H-3.',
        access_persons='HR manager and one HR officer.',
        use_period_months=36, retention_period_months=36,
        disposal_methods='shredding', security_measures='locked_cabinet')),
    ('HR', 'manager.hr', 9, dict(
        title='Personnel evaluations',
        category='employee', items=['name', 'employee_number', 'evaluation', 'salary'],
        purposes='Evaluations, promotions and pay decisions.',
        acquisition_route='generated', acquisition_method='Written by managers in the '
        'evaluation module.', notice_method='notified', person_band=2, person_estimate=640,
        storage_location='Evaluation module of the HR system.',
        access_persons='HR (3), each evaluator for their own staff.',
        use_period_months=60, retention_period_months=60)),
    ('HR', 'manager.hr', 11, dict(
        title='My Number for tax and social security',
        category='employee', items=['name', 'my_number', 'family'],
        purposes='Withholding tax slips and social insurance filings only (My Number '
        'Act Art. 9).', acquisition_method='Employees submit the number with ID '
        'verification.', notice_method='notified', person_band=3, person_estimate=1700,
        medium='both',
        storage_location='Separate My Number module with its own log-in; paper copies in '
        'safe H-S.', access_persons='Two designated My Number clerks.',
        use_period_months=84, use_period_note='the end of employment',
        retention_period_months=84,
        disposal_methods='secure_deletion,shredding',
        security_measures='access_control,access_log,encryption,locked_cabinet,password')),
    ('IT', 'manager.it', 1, dict(
        title='Account directory and access logs',
        category='employee',
        items=['name', 'email', 'employee_number', 'online_identifier'],
        purposes='Authentication, authorisation and investigating security events.',
        acquisition_route='generated', acquisition_method='Created when accounts are '
        'issued; logs written by the systems.', notice_method='notified',
        person_band=2, person_estimate=700,
        storage_location='Directory servers and the log platform in the Tokyo data centre.',
        access_persons='IT administrators (4), security analysts (2).',
        use_period_months=12, retention_period_months=13,
        security_measures='access_control,access_log,encryption')),
    ('IT', 'manager.it', 16, dict(
        title='Entry and exit records (badge system)',
        category='employee', items=['name', 'employee_number', 'photo', 'biometric'],
        purposes='Building security and investigating incidents.',
        acquisition_method='Registration at hiring; face templates with consent.',
        notice_method='consent', person_band=2, person_estimate=720,
        storage_location='Badge controller server in the security room.',
        access_persons='Facilities security staff (2), IT (1).',
        use_period_months=12, retention_period_months=12)),
    ('IT', 'manager.it', 10, dict(
        title='IT help desk tickets',
        category='employee', items=['name', 'email', 'telephone', 'employee_number'],
        purposes='Answering and tracking IT support requests.',
        acquisition_method='Ticket form and e-mails to the help desk.',
        notice_method='notified', person_band=2, person_estimate=700,
        storage_location='Help desk tool (on premises).',
        access_persons='Help desk staff (3).', use_period_months=24,
        retention_period_months=24)),
    ('IT', 'manager.it', 12, dict(
        title='CCTV recordings',
        category='other', items=['photo'], free_items=['Video recordings'],
        purposes='Preventing and investigating crime in the offices.',
        acquisition_route='direct_other', acquisition_method='Cameras at entrances.',
        notice_method='notified', notice_details='Signs at every camera.',
        person_band=3, person_estimate=3000,
        storage_location='Recorder in the security room; overwritten after 30 days.',
        access_persons='Facilities security staff (2).', use_period_months=1,
        retention_period_months=1, security_measures='access_control,locked_cabinet')),
    ('IT', 'manager.it', 0, dict(
        title='Web analytics of the corporate site',
        category='customer', items=['online_identifier', 'location'],
        purposes='Measuring use of the corporate website.',
        acquisition_method='Analytics tag on the website.', notice_method='published',
        storage_location='Analytics provider\'s cloud.', storage_country='US',
        access_persons='Web team (2).', status='draft')),
    ('CC', 'cc', 4, dict(
        title='Customer inquiries and call records',
        items=['name', 'telephone', 'email', 'address', 'customer_number'],
        free_items=['Call recordings'],
        purposes='Answering inquiries and improving service quality.',
        acquisition_route='direct_other', acquisition_method='Telephone, e-mail and the '
        'inquiry form.', notice_method='notified',
        notice_details='Recorded message at the start of each call.',
        person_band=4, person_estimate=35000,
        storage_location='Contact-centre system and call recorder (Tokyo data centre).',
        access_persons='Customer Center agents (12), supervisors (2).',
        use_period_months=36, retention_period_months=36,
        security_measures='access_control,access_log,password')),
    ('CC', 'cc', 3, dict(
        title='Requests for Disclosure case files',
        items=['name', 'address', 'telephone', 'id_document_number'],
        free_items=['Copies of identity documents'],
        purposes='Handling requests for disclosure, correction and suspension of use '
        '(APPI Art. 32-39).', acquisition_method='Requests by registered mail.',
        notice_method='published', person_band=1, person_estimate=40, medium='both',
        storage_location='Case files in cabinet C-1; scans in the requests system.',
        access_persons='Customer Center request desk (2).',
        use_period_months=6, use_period_note='completion of the request',
        retention_period_months=6,
        disposal_methods='secure_deletion,shredding',
        security_measures='access_control,encryption,locked_cabinet')),
    ('CC', 'cc', 13, dict(
        title='Complaint handling',
        items=['name', 'telephone', 'address', 'purchase_history'],
        free_items=['Complaint details'],
        purposes='Resolving complaints and preventing recurrence.',
        acquisition_route='direct_other', acquisition_method='Calls, letters and '
        'escalations from Sales.', notice_method='notified', person_band=2,
        person_estimate=900, storage_location='Complaint module of the contact-centre '
        'system.', access_persons='Complaint team (3), quality manager.',
        use_period_months=36, retention_period_months=60)),
    ('CC', 'cc', 6, dict(
        title='Product accident reports',
        items=['name', 'telephone', 'address', 'health'],
        free_items=['Description of the injury'],
        purposes='Investigating product accidents and reporting serious ones to the '
        'Consumer Affairs Agency.', acquisition_route='direct_other',
        acquisition_method='Customer calls and retailer reports.', notice_method='consent',
        person_band=1, person_estimate=25, medium='both',
        storage_location='Accident files in cabinet C-2 and the quality database.',
        access_persons='Quality assurance (2), Customer Center supervisor.',
        use_period_months=60, retention_period_months=120,
        security_measures='access_control,locked_cabinet,password')),
    ('CC', 'cc', 0, dict(
        title='Chatbot transcripts',
        minors='yes',
        items=['online_identifier'], free_items=['Chat messages'],
        purposes='Answering questions on the website.',
        acquisition_method='Website chat.', notice_method='',
        special_care_override='yes', status='draft')),
    ('LEGAL', 'chair', 5, dict(
        title='Shareholder register',
        category='shareholder', items=['name', 'address', 'bank_account'],
        free_items=['Number of shares held'],
        purposes='Shareholder rights, general meetings and dividends (Companies Act).',
        acquisition_route='indirect', acquisition_method='Notices from the securities '
        'depository.', notice_method='published', person_band=3, person_estimate=5400,
        storage_location='Kept by the transfer agent; we hold the meeting attendance list.',
        access_persons='Legal Department general-affairs team (2).',
        use_period_months=120, use_period_note='the end of the shareholding',
        retention_period_months=120,
        outsourced=True, outsourcing_note='Transfer agent (trust bank) keeps the register.')),
    ('LEGAL', 'committee', 7, dict(
        title='Contract management',
        category='business_partner', items=['name', 'employer', 'address'],
        purposes='Concluding and managing contracts with suppliers and customers.',
        acquisition_method='Contracts and signature pages.', notice_method='published',
        person_band=3, person_estimate=1100, medium='both',
        storage_location='Contract database and the Legal archive room.',
        access_persons='Legal Department (5).', use_period_months=120,
        retention_period_months=120, security_measures='access_control,locked_cabinet')),
    ('LEGAL', 'chair', 3, dict(
        title='Whistleblowing reports',
        category='employee', items=['name', 'email'], free_items=['Report contents'],
        special_care_override='yes',
        special_care_reason='Reports may reveal criminal proceedings, health or creed of '
        'the people involved; handled as special-care-required.',
        purposes='Investigating reports under the Whistleblower Protection Act.',
        acquisition_method='Hotline e-mail and the external hotline provider.',
        notice_method='notified', person_band=1, person_estimate=30,
        storage_location='Encrypted case folder on the Legal share.',
        access_persons='Compliance officer and the committee chair.',
        use_period_months=60, retention_period_months=60,
        security_measures='access_control,access_log,encryption')),
    ('LEGAL', 'committee', 25, dict(
        title='Litigation files',
        category='other', items=['name', 'address'], free_items=['Case facts'],
        purposes='Conducting litigation and disputes.',
        acquisition_route='indirect', acquisition_method='Counterparties, courts and '
        'counsel.', notice_method='exempt',
        notice_details='APPI Art. 21(4)(ii): notice would harm the company\'s rights.',
        person_band=1, person_estimate=60, medium='both',
        storage_location='Legal archive room, cabinet L-4.',
        access_persons='Legal counsel (2).', use_period_months=120,
        retention_period_months=120, security_measures='locked_cabinet')),
    ('AUDIT', 'auditor', 8, dict(
        title='Internal audit working papers',
        category='employee', items=['name', 'employee_number'],
        free_items=['Interview notes'],
        purposes='Planning and performing internal audits and personal-information '
        'inspections.', acquisition_route='generated',
        acquisition_method='Interviews and samples taken during audits.',
        notice_method='notified', person_band=1, person_estimate=80,
        storage_location='Audit share (restricted) and the audit room cabinet A-1.',
        access_persons='Audit Department (3).', use_period_months=60,
        retention_period_months=84, medium='both',
        security_measures='access_control,locked_cabinet,password')),
    ('AUDIT', 'auditor', 11, dict(
        title='Inspection evidence samples',
        category='other', items=['name', 'customer_number', 'employee_number'],
        purposes='Evidence that controls were tested during inspections.',
        acquisition_route='generated', acquisition_method='Copies of ledger samples and '
        'screenshots taken during inspections.', notice_method='notified',
        person_band=1, person_estimate=50,
        storage_location='Audit share, one folder per inspection.',
        access_persons='Audit Department (3).', use_period_months=36,
        retention_period_months=60)),
]


REVIEWS = [
    ('Customer order management', 'manager.sales',
     'Checked the fields of the order form and the access list of the SMS.'),
    ('Personnel records', 'manager.hr', 'No change; access list confirmed with HR staff.'),
    ('Account directory and access logs', 'manager.it',
     'Log retention checked on the log platform (13 months).'),
]


@seed.register(100)
def seed_ledger(context):
    """About thirty ledger entries across the demo departments."""
    today = today_local()
    departments, users = context['departments'], context['users']
    entries = []
    for spec in ENTRIES:
        code, responsible, age, fields = spec[:4]
        status = spec[4] if len(spec) > 4 else None
        data = dict(DEFAULTS, **fields)
        data['department_id'] = departments[code].id
        data['responsible_id'] = users[responsible].id
        data['items'] = sorted(data['items'])
        data['free_items'] = sorted(data['free_items'])
        last = add_months(today, -age) if age else today
        data['last_reviewed_on'] = last
        data['next_review_due'] = add_months(last, 12)
        manager = users.get('manager.%s' % code.lower())
        entry = services.create_entry(data, actor=manager)
        if status == 'retired':
            entry = services.retire_entry(entry, expected_version=entry.version, actor=manager,
                                          reason='The campaign ended; the data was deleted '
                                          'in 2020 (deletion certificate on file).')
        entries.append(entry)
    # This year's reviews: managers confirmed three entries; the chair approved one.
    by_title = {e.title: e for e in entries}
    for title, local, note in REVIEWS:
        entry = by_title[title]
        services.review_entry(entry, expected_version=entry.version, actor=users[local],
                              note=note)
    first = LedgerReview.get((LedgerReview.entry == by_title[REVIEWS[0][0]].id)
                             & (LedgerReview.kind == 'confirmed'))
    services.approve_review(first, actor=users['chair'])
    context['ledger_entries'] = entries
    return entries


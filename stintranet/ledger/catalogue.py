"""The ledger's controlled vocabularies: items of personal data and the choice lists.

The items catalogue lives in code, not in a table: which items are
special-care-required (APPI Art. 2(3) and its Cabinet Order) is a legal
decision that changes through review of this file, and an entry refers to an
item by its stable code.
"""
from collections import namedtuple

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

Item = namedtuple('Item', 'code label ja special_care note')

# The controlled list of items of personal data. ``special_care`` marks the
# special-care-required personal information (要配慮個人情報) of APPI;
# ``note`` says why an item needs particular handling even when it is not.
ITEMS = (
    Item('name', _l('Name'), '氏名', False, ''),
    Item('address', _l('Address'), '住所', False, ''),
    Item('telephone', _l('Telephone number'), '電話番号', False, ''),
    Item('email', _l('E-mail address'), 'メールアドレス', False, ''),
    Item('date_of_birth', _l('Date of birth'), '生年月日', False, ''),
    Item('age', _l('Age'), '年齢', False, ''),
    Item('gender', _l('Gender'), '性別', False, ''),
    Item('nationality', _l('Nationality'), '国籍', False, ''),
    Item('photo', _l('Facial photograph'), '顔写真', False, ''),
    Item('employer', _l('Employer, department and position'), '勤務先・所属・役職', False, ''),
    Item('employee_number', _l('Employee number'), '社員番号', False, ''),
    Item('customer_number', _l('Customer or member number'), '顧客番号・会員番号', False, ''),
    Item('family', _l('Family and dependants'), '家族・扶養情報', False, ''),
    Item('education', _l('Education and employment history'), '学歴・職歴', False, ''),
    Item('salary', _l('Salary and income'), '給与・所得', False, ''),
    Item('evaluation', _l('Personnel evaluation'), '人事評価', False, ''),
    Item('bank_account', _l('Bank account'), '銀行口座', False,
         _l('Financial information: leaks risk property damage.')),
    Item('credit_card', _l('Credit card number'), 'クレジットカード番号', False,
         _l('Financial information: leaks risk property damage.')),
    Item('purchase_history', _l('Purchase and contract history'), '購買・契約履歴', False, ''),
    Item('online_identifier', _l('Login ID, IP address or cookie ID'),
         'ログインID・IPアドレス・Cookie', False, ''),
    Item('location', _l('Location data'), '位置情報', False, ''),
    Item('id_document_number', _l('Passport or driving licence number'),
         '旅券番号・運転免許証番号', False, _l('An individual identification code.')),
    Item('biometric', _l('Biometric data (fingerprint, face features)'), '生体情報', False,
         _l('An individual identification code.')),
    Item('my_number', _l('My Number (Individual Number)'), 'マイナンバー（個人番号）', False,
         _l('Specific personal information under the My Number Act.')),
    Item('health', _l('Health information (health-check results, diagnoses)'),
         '健康情報（健康診断結果・診療情報）', True, ''),
    Item('medical_history', _l('Medical history'), '病歴', True, ''),
    Item('disability', _l('Physical, intellectual or mental disability'), '障害', True, ''),
    Item('genetic', _l('Genetic test results'), '遺伝子検査結果', True, ''),
    Item('race', _l('Race or ethnic origin'), '人種', True, ''),
    Item('creed', _l('Creed (religious or political belief)'), '信条', True, ''),
    Item('social_status', _l('Social status'), '社会的身分', True, ''),
    Item('criminal_record', _l('Criminal record'), '犯罪の経歴', True, ''),
    Item('criminal_proceedings', _l('Arrest, search, prosecution or other criminal proceedings'),
         '刑事事件に関する手続', True, ''),
    Item('juvenile_proceedings', _l('Juvenile protection proceedings'),
         '少年の保護事件に関する手続', True, ''),
    Item('crime_victim', _l('Having suffered harm from a crime'), '犯罪により害を被った事実',
         True, ''),
)

ITEMS_BY_CODE = {item.code: item for item in ITEMS}
SPECIAL_CARE_CODES = frozenset(item.code for item in ITEMS if item.special_care)


def item_label(code):
    item = ITEMS_BY_CODE.get(code)
    return item.label if item else code


CATEGORIES = (
    ('customer', _l('Customers')),
    ('employee', _l('Employees')),
    ('applicant', _l('Job applicants')),
    ('shareholder', _l('Shareholders')),
    ('business_partner', _l('Business partners')),
    ('other', _l('Other')),
)

# Number of persons: stored as 1..4 so that sorting follows size.
BANDS = (
    (1, _l('Fewer than 100')),
    (2, _l('100 to 999')),
    (3, _l('1,000 to 9,999')),
    (4, _l('10,000 or more')),
)
BAND_RANGES = {1: (0, 99), 2: (100, 999), 3: (1000, 9999), 4: (10000, None)}
BAND_CODES = {1: '<100', 2: '100-999', 3: '1000-9999', 4: '10000+'}


def band_for(count):
    """The band a head count falls in."""
    for band, (low, high) in BAND_RANGES.items():
        if count >= low and (high is None or count <= high):
            return band
    return None


MEDIA = (
    ('paper', _l('Paper')),
    ('electronic', _l('Electronic')),
    ('both', _l('Paper and electronic')),
)

# How the data is acquired (JIS Q 15001 A.3.4.2.4 and A.3.4.2.5).
ACQUISITION_ROUTES = (
    ('direct_written', _l('Directly from the person, in writing (forms, web forms)')),
    ('direct_other', _l('Directly from the person, not in writing (telephone, in person)')),
    ('indirect', _l('From a third party')),
    ('entrusted', _l('Entrusted to us by a client for processing')),
    ('public', _l('From publicly available sources')),
    ('generated', _l('Generated within the company (evaluations, logs)')),
)

# How the purpose of use was notified or published, or consent obtained.
NOTICE_METHODS = (
    ('consent', _l('Explicit consent obtained')),
    ('notified', _l('Purpose notified to the person')),
    ('published', _l('Purpose published (privacy policy)')),
    ('exempt', _l('Not required (statutory exception; explain)')),
)

DISPOSAL_METHODS = (
    ('shredding', _l('Shredding')),
    ('dissolution', _l('Dissolution by a contractor (with certificate)')),
    ('secure_deletion', _l('Deletion software (overwrite)')),
    ('physical_destruction', _l('Physical destruction of media')),
    ('return', _l('Returned to the client or provider')),
    ('other', _l('Other (explain)')),
)

SECURITY_MEASURES = (
    ('encryption', _l('Encryption')),
    ('password', _l('Password protection')),
    ('locked_cabinet', _l('Locked cabinet')),
    ('access_control', _l('Access control')),
    ('access_log', _l('Access logging')),
    ('anti_malware', _l('Anti-malware and patching')),
)

STATUSES = (
    ('draft', _l('Draft')),
    ('active', _l('Active')),
    ('retired', _l('Retired')),
)

SPECIAL_CARE_OVERRIDES = (
    ('', _l('Follow the items')),
    ('yes', _l('Special-care-required')),
    ('no', _l('Not special-care-required')),
)

# May the data set include minors (policy §6)? Minors are under 18 (Civil Code Art. 4,
# since April 2022).
MINORS = (
    ('unknown', _l('Not known yet')),
    ('no', _l('No minors')),
    ('yes', _l('May include minors')),
)

# How the legal representative's (法定代理人) consent is obtained for minors' data.
GUARDIAN_CONSENT_METHODS = (
    ('written', _l('Consent form signed by a parent or guardian')),
    ('electronic', _l('Electronic consent by a parent or guardian (confirmation step)')),
    ('in_person', _l('A parent or guardian consents in person')),
    ('via_organisation', _l('Collected through a school or organisation')),
    ('not_required', _l('Not required (explain: e.g. only notified, or by law)')),
    ('other', _l('Other (explain)')),
)

HOME_COUNTRY = 'JP'
# Babel's territories hold regions, groupings and reserved codes besides
# ISO 3166-1 countries; these are not places a server or cabinet can be.
_NOT_COUNTRIES = {'AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB',
                  'ZZ'}


def countries(locale=None):
    """(code, name) of every country, Japan first, then by name, in ``locale`` (by default
    the reader's language)."""
    names = Locale.parse(str(locale or get_locale() or 'en')).territories
    rows = sorted((name, code) for code, name in names.items()
                  if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)
    home = [(HOME_COUNTRY, names[HOME_COUNTRY])]
    return home + [(code, name) for name, code in rows if code != HOME_COUNTRY]


def country_name(code, locale=None):
    """A country's name in ``locale``, by default the reader's language (シンガポール)."""
    return Locale.parse(str(locale or get_locale() or 'en')).territories.get(code, code)


def label_of(choices, value):
    """The label of ``value`` in a (value, label) list, or the value itself."""
    for key, label in choices:
        if key == value:
            return label
    return value

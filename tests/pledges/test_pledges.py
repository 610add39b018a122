"""Confidentiality pledges: signing by typed name, re-signing after a new version, figures."""
import hashlib

from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.pledges import models, services
from stintranet.pledges.models import PledgeSignature, PledgeVersion
from tests import factories

TEXT = 'I will protect personal information.\n\nI will report leaks at once.'


def publish(text=TEXT, based_on=None):
    based_on = PledgeVersion.select().count() if based_on is None else based_on
    return services.publish_version('Confidentiality pledge', text, '', None, based_on)


def sign_form(version, name):
    return {'typed_name': name, 'version': str(version.number),
            'text_sha256': version.text_sha256}


def test_sign_with_own_name_records_time_version_and_hash(client, login_as):
    """Does typing one's own name (any case, extra spaces) sign the current version with the text's hash?"""
    user = login_as('employee', name='Alice Nakamura')
    version = publish()
    page = client.get('/pledges/').text
    assert 'I will report leaks at once.' in page and 'Please read version 1' in page
    response = client.post('/pledges/sign', data=sign_form(version, '  alice   NAKAMURA '))
    assert response.status_code == 303
    signature = PledgeSignature.get()
    assert signature.user_id == user.id and signature.version_id == version.id
    assert signature.text_sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
    assert signature.signed_at is not None
    event = AuditEvent.select().where(AuditEvent.action == 'sign').get()
    assert event.actor_id == user.id and event.details_dict['version'] == 1
    assert 'You signed version 1' in client.get('/pledges/').text


def test_full_width_space_is_accepted():
    """Does a name typed with a Japanese full-width space still match?"""
    from stintranet.training.content import name_key
    assert name_key('佐藤\u3000花子') == name_key('佐藤 花子') == name_key('佐藤花子')
    assert name_key('ＡＬＩＣＥ') == name_key('alice')


def test_another_name_is_refused_and_kept(client, login_as):
    """Is a pledge signed with someone else's name refused with 422, the typed name kept and nothing saved?"""
    login_as('employee', name='Alice Nakamura')
    version = publish()
    response = client.post('/pledges/sign', data=sign_form(version, 'Bob Kobayashi'))
    assert response.status_code == 422
    assert 'Type your own name exactly as on your account: Alice Nakamura' in response.text
    assert 'value="Bob Kobayashi"' in response.text
    assert PledgeSignature.select().count() == 0
    empty = client.post('/pledges/sign', data=sign_form(version, ''))
    assert empty.status_code == 422 and 'Type your name to sign' in empty.text


def test_signing_twice_is_409(client, login_as):
    """Is a second signature of the same version refused with 409?"""
    login_as('employee', name='Alice Nakamura')
    version = publish()
    client.post('/pledges/sign', data=sign_form(version, 'Alice Nakamura'))
    again = client.post('/pledges/sign', data=sign_form(version, 'Alice Nakamura'))
    assert again.status_code == 409
    assert 'You signed version 1 already' in again.text
    assert PledgeSignature.select().count() == 1


def test_new_version_asks_everyone_to_sign_again(client, login_as):
    """After a new version, is everyone unsigned again, the old signature kept, and a stale form refused?"""
    login_as('employee', name='Alice Nakamura')
    first = publish()
    client.post('/pledges/sign', data=sign_form(first, 'Alice Nakamura'))
    second = publish(TEXT + '\n\nI will lock my screen.')
    page = client.get('/pledges/').text
    assert 'Please read version 2' in page and 'A new version asks everyone to sign again' in page
    stale = client.post('/pledges/sign', data=sign_form(first, 'Alice Nakamura'))
    assert stale.status_code == 409
    assert 'A new version of the pledge (version 2) was published' in stale.text
    assert client.post('/pledges/sign',
                       data=sign_form(second, 'Alice Nakamura')).status_code == 303
    hashes = [s.text_sha256 for s in PledgeSignature.select().order_by(PledgeSignature.id)]
    assert hashes == [first.text_sha256, second.text_sha256] and hashes[0] != hashes[1]


def test_tampered_hash_is_409(client, login_as):
    """Is a signature whose posted text hash differs from the current text refused?"""
    login_as('employee', name='Alice Nakamura')
    version = publish()
    data = sign_form(version, 'Alice Nakamura')
    data['text_sha256'] = '0' * 64
    assert client.post('/pledges/sign', data=data).status_code == 409
    assert PledgeSignature.select().count() == 0


def test_committee_publishes_a_version(client, login_as):
    """Can the committee publish a new version, audited, and is a stale one refused?"""
    chair = login_as('committee', department='LEGAL')
    publish()
    form = client.get('/pledges/versions/new').text
    assert 'name="based_on" type="hidden" value="1"' in form
    response = client.post('/pledges/versions/new', data={
        'title': 'Confidentiality pledge', 'text': TEXT + '\n\nNew clause.', 'note': 'x',
        'based_on': '1'})
    assert response.status_code == 303
    version = PledgeVersion.current()
    assert version.number == 2 and version.published_by_id == chair.id
    assert AuditEvent.select().where(AuditEvent.action == 'publish').count() == 2
    stale = client.post('/pledges/versions/new', data={
        'title': 'Confidentiality pledge', 'text': 'Other', 'based_on': '1'})
    assert stale.status_code == 409
    assert 'Version 2 was published while you were writing' in stale.text
    assert PledgeVersion.select().count() == 2
    invalid = client.post('/pledges/versions/new', data={'title': '', 'text': '',
                                                         'based_on': '2'})
    assert invalid.status_code == 422


def test_only_the_committee_publishes(client, login_as):
    """Is a manager refused when publishing a pledge version?"""
    login_as('employee', 'manager')
    response = client.post('/pledges/versions/new', data={'title': 't', 'text': 'x',
                                                          'based_on': '0'})
    assert response.status_code == 403
    assert PledgeVersion.select().count() == 0


def test_compliance_per_department_and_scoping(client, login_as):
    """Are signatures counted per department, and does a manager see only theirs?"""
    version = publish()
    sales = [factories.make_user(department='SALES') for _ in range(3)]
    hr = [factories.make_user(department='HR') for _ in range(2)]
    factories.make_user(roles=('admin',), department='IT')
    for user in sales[:2] + hr[:1]:
        services.sign(user, 1, version.text_sha256, user.name)
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    rows = {r.code: r for r in models.compliance(committee, version)}
    assert (rows['SALES'].people, rows['SALES'].signed, rows['SALES'].percent) == (3, 2, 66)
    assert (rows['HR'].people, rows['HR'].signed, rows['HR'].percent) == (2, 1, 50)
    assert rows['IT'].people == 0 and rows['IT'].percent is None

    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    page = client.get('/pledges/compliance').text
    assert '<th scope="row">SALES ' in page and '<th scope="row">HR ' not in page
    assert sales[2].name in page and hr[1].name not in page
    assert 'role="img"' in page
    csv = client.get('/pledges/compliance.csv').text
    assert sales[0].email in csv and hr[0].email not in csv
    assert version.text_sha256 in csv
    event = AuditEvent.select().where(AuditEvent.action == 'export').get()
    assert event.details_dict['report'] == 'pledge-signatures'


def test_compliance_queries_are_constant(client, login_as):
    """Does the pledge compliance page use as many queries (at most 8) for 30 people as
    for 3?"""
    login_as('committee', department='LEGAL')
    version = publish()
    for _ in range(3):
        factories.make_user()

    def count():
        with count_queries() as counter:
            assert client.get('/pledges/compliance').status_code == 200
        return counter.count

    small = count()
    for _ in range(27):
        user = factories.make_user(department='HR')
        services.sign(user, 1, version.text_sha256, user.name)
    assert count() == small <= 8


def test_no_version_yet(client, login_as):
    """Does the pledge page say so when nothing is published, and refuse a signature?"""
    login_as('employee', name='Alice')
    assert 'No pledge has been published yet' in client.get('/pledges/').text
    response = client.post('/pledges/sign', data={'typed_name': 'Alice', 'version': '1',
                                                  'text_sha256': 'x'})
    assert response.status_code == 409
    assert PledgeSignature.select().count() == 0

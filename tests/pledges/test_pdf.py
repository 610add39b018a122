"""A signed confidentiality pledge as a PDF (issue 19): the text signed, the typed name
and the SHA-256 of the text read back, A4 and fonts; only one's own signatures."""
import json

from stintranet.auditlog.models import AuditEvent
from stintranet.pledges import services
from stintranet.pledges.models import PledgeSignature
from tests import factories, pdfcheck
from tests.pledges.test_pledges import publish

TEXT = ('私は、業務上知り得た個人情報を、業務の目的以外に利用しません。\n\n'
        '漏えい等のおそれを知ったときは、直ちに会社に報告します。')


def signed(user, text=TEXT):
    version = publish(text)
    services.sign(user, version.number, version.text_sha256, user.name)
    return PledgeSignature.get(PledgeSignature.user == user.id), version


def sign_in(client, user):
    response = client.post('/login', data={'email': user.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302


def test_signed_pledge_in_japanese(client):
    """Does the signed pledge read back with its text, the name typed, the version and the
    whole SHA-256 of the text, on A4 with the fonts embedded?"""
    user = factories.make_user(name='山田 花子')
    user.locale = 'ja'
    user.save()
    signature, version = signed(user)
    sign_in(client, user)
    response = client.get('/pledges/signatures/%d.pdf' % signature.id)
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    for expected in ('秘密保持誓約書', signature.reference, '業務上知り得た個人情報を、業務の目的以外に利用しません。',
                     '直ちに会社に報告します。', '山田花子', version.text_sha256,
                     '署名時に記録した値と一致します'):
        assert expected in text, expected
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    name = pdfcheck.file_names(response)[1]
    assert name.startswith('%s_秘密保持誓約書_' % signature.reference)
    event = pdfcheck.last_export()
    assert event.object_type == 'pledge_signature'
    assert json.loads(event.details)['report'] == 'signed_pledge'


def test_pledge_page_links_the_signed_pledge(client):
    """Does the pledge page list each signature with its printable page and PDF?"""
    user = factories.make_user()
    signature, _version = signed(user, 'I will protect personal information.')
    sign_in(client, user)
    page = client.get('/pledges/').text
    assert '/pledges/signatures/%d.pdf' % signature.id in page
    printable = client.get('/pledges/signatures/%d' % signature.id).text
    assert signature.text_sha256 in printable and 'Signed pledge (PDF)' in printable


def test_only_ones_own_signature(client):
    """Is another person's signed pledge a 404 on the record, with no export logged?"""
    owner = factories.make_user()
    signature, _version = signed(owner)
    sign_in(client, factories.make_user(roles=('employee', 'committee'), department='LEGAL'))
    assert client.get('/pledges/signatures/%d.pdf' % signature.id).status_code == 404
    assert client.get('/pledges/signatures/%d' % signature.id).status_code == 404
    assert client.get('/pledges/signatures/999.pdf').status_code == 404
    assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()
    assert not AuditEvent.select().where(AuditEvent.action == 'export').exists()

"""The certificate of completion as a PDF (issue 19): the person, the course and the
number read back, A4 and fonts, the file name, the audit row; only one's own, completed."""
import json

from stintranet.auditlog.models import AuditEvent
from stintranet.training import services
from tests import factories, pdfcheck
from tests.training.factories import DAY, current, make_course


def completed(user, title='個人情報保護の基礎'):
    course = make_course(title=title, recurrence_months=12)
    services.acknowledge(current(course, user), user, DAY)
    return current(course, user)


def sign_in(client, user):
    response = client.post('/login', data={'email': user.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302


def test_certificate_in_japanese(client):
    """Does the certificate read back in Japanese with the name, the course, its number
    and the day of completion, on A4 with the fonts embedded, named by its number?"""
    user = factories.make_user(name='山田 花子')
    user.locale = 'ja'
    user.save()
    assignment = completed(user)
    sign_in(client, user)
    response = client.get('/training/assignments/%d/certificate.pdf' % assignment.id)
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    for expected in ('修了証', '山田花子', '個人情報保護の基礎', assignment.certificate_number,
                     '12か月'):
        assert expected in text, expected
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    assert len(reader.pages) == 1
    day = assignment.completed_on.isoformat()
    assert pdfcheck.file_names(response) == (
        '%s_Certificate-of-completion_%s.pdf' % (assignment.certificate_number, day),
        '%s_修了証_%s.pdf' % (assignment.certificate_number, day))
    event = pdfcheck.last_export()
    assert (event.object_type, event.object_id) == ('training_assignment', str(assignment.id))
    assert json.loads(event.details)['report'] == 'training_certificate'


def test_certificate_in_english(client):
    """Does an English account get the certificate in English?"""
    user = factories.make_user(name='Hanako Yamada')
    assignment = completed(user, title='Personal information basics')
    sign_in(client, user)
    text = pdfcheck.text(pdfcheck.read(
        client.get('/training/assignments/%d/certificate.pdf' % assignment.id)))
    assert 'Certificate of completion' in text and 'Hanako Yamada' in text
    assert 'Personal information basics' in text
    page = client.get('/training/assignments/%d/certificate' % assignment.id).text
    assert '/training/assignments/%d/certificate.pdf' % assignment.id in page


def test_only_ones_own_completed_certificate(client):
    """Is another person's certificate a 404 on the record, and one not completed yet a
    404, with no export logged?"""
    owner = factories.make_user()
    theirs = completed(owner)
    other = factories.make_user()
    course = make_course()
    open_one = current(course, other)
    sign_in(client, other)
    assert client.get('/training/assignments/%d/certificate.pdf'
                      % theirs.id).status_code == 404
    assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()
    assert client.get('/training/assignments/%d/certificate.pdf'
                      % open_one.id).status_code == 404
    assert not AuditEvent.select().where(AuditEvent.action == 'export').exists()

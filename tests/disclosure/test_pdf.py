"""The letters to the requester and the destruction record as PDFs (issue 19): the
requester's language, the text read back, A4, embedded fonts, the file name, the audit
row, the copy kept sealed with the request's key and destroyed with its documents, and
who may make them."""
import datetime
import hashlib
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.disclosure import catalogue as C
from stintranet.disclosure import services
from stintranet.disclosure.models import DisclosureLetterCopy, DisclosureRequest
from tests import pdfcheck
from tests.disclosure.factories import make_request, reload

D = datetime.date
JAPANESE = dict(language='ja', name='山田 花子',
                requester_address='〒100-0005\n東京都千代田区丸の内1-2-3')


@pytest.fixture
def staff(login_as):
    return login_as('customer_center', department='CC')


def letter(client, req):
    return client.get('/requests/%d/letter.pdf' % req.id)


def test_refusal_letter_in_the_requesters_japanese(client, staff):
    """Is a refusal letter to a Japanese requester written in Japanese, whatever the
    staff member's language, with the reference, the name, the reason and A4 pages with
    their fonts embedded?"""
    req = make_request('refused_notified', **JAPANESE)
    response = letter(client, req)
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    for expected in (req.reference, '山田花子様', '東京都千代田区丸の内1-2-3',
                     'ご請求に応じられない旨のお知らせ', '請求者の本人確認ができなかった',
                     'Theaddressdiffersfromtheonewehold.', '拝啓', '敬具', '1/1'):
        assert expected in text, expected
    assert 'Notice that we cannot' not in text
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    assert any('Serif-CJK-JP' in name for name in pdfcheck.fonts(reader))  # Mincho
    day = req.responded_on.isoformat()
    assert pdfcheck.file_names(response) == (
        '%s_Refusal-notice_%s.pdf' % (req.reference, day),
        '%s_不応諾通知書_%s.pdf' % (req.reference, day))
    assert response.headers['Content-Disposition'] == (
        "attachment; filename=%s_Refusal-notice_%s.pdf; filename*=UTF-8''%s_%s_%s.pdf" % (
            req.reference, day, req.reference,
            '%E4%B8%8D%E5%BF%9C%E8%AB%BE%E9%80%9A%E7%9F%A5%E6%9B%B8', day))


def test_response_letter_in_english_for_an_english_requester(client, staff):
    """Does a requester recorded as writing in English get the response letter in English,
    with the method of the answer and the date in the footer?"""
    req = make_request('responded')
    assert req.language == 'en'
    reader = pdfcheck.read(letter(client, req))
    text = pdfcheck.text(reader)
    for expected in (req.reference, 'Response to your request concerning your personal data',
                     'Dear Hanako Yamada,', 'We answer by electronic record.',
                     '%s · %s' % (req.reference, req.responded_on.isoformat())):
        assert expected in text, expected
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader)


def test_japanese_staff_print_an_english_letter_in_english(client, staff):
    """Does an account using the Japanese interface still make an English requester's
    letter in English, and name the file in English?"""
    staff.locale = 'ja'
    staff.save()
    req = make_request('refused_notified')
    response = letter(client, req)
    assert 'Notice that we cannot comply with your request' in pdfcheck.text(
        pdfcheck.read(response))
    assert pdfcheck.file_names(response)[1].startswith(req.reference + '_Refusal-notice_')
    assert 'ご請求に応じられない' not in client.get('/requests/%d/letter' % req.id).text
    assert '請求者の言語' in client.get('/requests/%d' % req.id).text


def test_each_letter_made_is_logged_and_kept_sealed(client, staff):
    """Is each PDF an 'export' row (pages, size, language, no personal data) and a copy
    sealed with the request's own key, listed on the request page and downloadable as it
    was made?"""
    req = make_request('refused_notified', **JAPANESE)
    first = letter(client, req)
    event = pdfcheck.last_export()
    details = json.loads(event.details)
    assert (event.object_type, event.object_id) == ('disclosure_request', str(req.id))
    assert details['report'] == 'disclosure_letter' and details['format'] == 'pdf'
    assert details['pages'] == 1 and details['bytes'] == len(first.data)
    assert details['locale'] == 'ja' and details['letter'] == C.REFUSAL
    assert '山田' not in event.details and '東京' not in event.details
    copy = DisclosureLetterCopy.get()
    assert copy.size == len(first.data) and copy.pages == 1 and copy.locale == 'ja'
    assert copy.sha256 == hashlib.sha256(first.data).hexdigest()
    assert b'%PDF' not in bytes(copy.content)  # sealed, not stored in the clear
    assert copy.open_content(reload(req).data_key) == first.data
    page = client.get('/requests/%d' % req.id).text
    assert copy.file_name in page and copy.sha256[:12] in page
    kept = client.get('/requests/%d/letter-copies/%d.pdf' % (req.id, copy.id))
    assert kept.data == first.data
    assert pdfcheck.file_names(kept)[0] == '%s_%s.pdf' % (
        req.reference, req.responded_on.isoformat())
    read = AuditEvent.select().where(AuditEvent.action == 'read').order_by(
        AuditEvent.seq.desc()).first()
    assert read.object_type == 'disclosure_letter_copy' and 'content' in read.details
    letter(client, req)
    assert DisclosureLetterCopy.select().count() == 2


def test_letter_copies_go_with_the_documents(client, staff):
    """Are the kept copies destroyed with the request's documents after six months, the
    destruction record counting them, and their download then gone?"""
    req = make_request('completed', completed_on=D(2025, 1, 20), received_on=D(2025, 1, 6))
    letter(client, req)
    copy = DisclosureLetterCopy.get()
    record = services.destroy(req.id, D(2025, 7, 21))
    assert record.letter_copies == 1
    assert not DisclosureLetterCopy.select().exists()
    assert client.get('/requests/%d/letter-copies/%d.pdf'
                      % (req.id, copy.id)).status_code == 404
    assert 'The copies were destroyed with the documents.' in client.get(
        '/requests/%d' % req.id).text
    assert letter(client, reload(req)).status_code == 409  # no identity left to write to


def test_destruction_record_as_a_pdf(client, staff):
    """Does the destruction record download as a PDF naming the request, what was
    destroyed and the copies of letters, and nothing of the requester?"""
    req = make_request('completed', completed_on=D(2025, 1, 20), received_on=D(2025, 1, 6))
    assert client.get('/requests/%d/destruction.pdf' % req.id).status_code == 404
    letter(client, req)
    services.destroy(req.id, D(2025, 7, 21))
    page = client.get('/requests/%d/destruction' % req.id)
    assert page.status_code == 200 and 'Destruction record (PDF)' in page.text
    response = client.get('/requests/%d/destruction.pdf' % req.id)
    reader = pdfcheck.read(response)
    text = pdfcheck.text(reader)
    for expected in (req.reference, 'Destruction record', 'Letter copies destroyed 1',
                     'Files destroyed 2 files', '2025-07-21'):
        assert expected in text, expected
    assert 'Hanako' not in text and 'Marunouchi' not in text
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader)
    assert pdfcheck.file_names(response)[0] == '%s_Destruction-record_2025-07-21.pdf' % (
        req.reference)
    assert json.loads(pdfcheck.last_export().details)['report'] == 'disclosure_destruction'


@pytest.mark.parametrize('roles, department, status', [
    (('employee',), 'SALES', 403),
    (('manager',), 'SALES', 403),
    (('auditor',), 'AUDIT', 403),
    (('admin',), 'IT', 403),
    (('committee',), 'LEGAL', 200),
])
def test_who_may_make_a_letter(client, login_as, roles, department, status):
    """Is the letter's PDF refused (on the record) to all but the Customer Center and the
    committee, as its page is, with no copy kept and no export logged?"""
    req = make_request('refused_notified')
    login_as(*roles, department=department)
    response = letter(client, req)
    assert response.status_code == status
    assert client.get('/requests/%d/letter' % req.id).status_code == status
    if status == 403:
        assert not DisclosureLetterCopy.select().exists()
        assert not AuditEvent.select().where(AuditEvent.action == 'export').exists()
        assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()
        assert client.get('/requests/%d/destruction.pdf' % req.id).status_code == 403


def test_missing_request_and_copy_are_404(client, staff):
    """Is a letter of a request that does not exist, or a copy of another request, a
    404?"""
    assert client.get('/requests/999/letter.pdf').status_code == 404
    one = make_request('refused_notified')
    other = make_request('refused_notified')
    letter(client, one)
    copy = DisclosureLetterCopy.get()
    assert client.get('/requests/%d/letter-copies/%d.pdf'
                      % (other.id, copy.id)).status_code == 404
    assert client.get('/requests/%d/letter-copies/999.pdf' % one.id).status_code == 404


def test_no_letter_before_a_decision(client, staff):
    """Is the PDF of a letter refused (409, the page with the reason) before a decision?"""
    req = make_request('verifying')
    response = letter(client, req)
    assert response.status_code == 409 and 'Decide first' in response.text
    assert not DisclosureLetterCopy.select().exists()


def test_the_requesters_language_on_the_form(client, staff):
    """Does the intake form offer the requester's language, Japanese by default; is it
    kept, corrected, and a value outside the list refused with 422 and nothing changed?"""
    form = client.get('/requests/new').text
    assert 'for="language"' in form and '<option selected value="ja">日本語</option>' in form
    req = make_request('received')
    page = client.get('/requests/%d/edit' % req.id).text
    assert '<option selected value="en">English</option>' in page
    data = {'version': str(req.version), 'received_on': req.received_on.isoformat(),
            'mail_number': req.mail_number, 'types': [C.DISCLOSURE],
            'requested_method': req.requested_method, 'language': 'ja',
            'requester_name': 'Hanako Yamada',
            'requester_address': '1-2-3 Marunouchi, Chiyoda-ku, Tokyo',
            'proxy_kind': C.IN_PERSON}
    bad = client.post('/requests/%d/edit' % req.id, data=dict(data, language='fr'))
    assert bad.status_code == 422 and reload(req).language == 'en'
    assert client.post('/requests/%d/edit' % req.id, data=data).status_code == 303
    assert DisclosureRequest.get_by_id(req.id).language == 'ja'
    with pytest.raises(services.InvalidInput):
        make_request('received', language='de')

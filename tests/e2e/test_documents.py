"""Browser test (issue 19): the Customer Center downloads a refusal letter as a PDF, in the
requester's Japanese, named by its reference and date, and finds the copy kept listed on
the request."""
import io

from playwright.sync_api import expect
from pypdf import PdfReader

from stintranet import db as dbmod
from stintranet.disclosure import catalogue as C
from stintranet.disclosure.models import DisclosureRequest


def test_customer_center_downloads_the_refusal_letter(page, live_server, login):
    """Does the Customer Center, working in English, get the Japanese requester's refusal
    letter as a PDF attachment named DR-…_不応諾通知書_<date>.pdf, in Japanese, and see its
    copy listed on the request page?"""
    with live_server.app.app_context(), dbmod.database.connection_context():
        refused = DisclosureRequest.get(DisclosureRequest.decision == C.REFUSAL)
        request_id, reference = refused.id, refused.reference
        day = refused.responded_on.isoformat()
    login(page, 'cc')
    page.goto(live_server('/requests/%d' % request_id))
    expect(page.locator('#requests-language')).to_have_text('日本語')
    expect(page.get_by_text('No PDF of the letter has been made yet.')).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role('link', name='Letter (PDF)').click()
    download = info.value
    assert download.suggested_filename == '%s_不応諾通知書_%s.pdf' % (reference, day)
    reader = PdfReader(io.BytesIO(open(download.path(), 'rb').read()))
    text = ''.join(''.join(p.extract_text().split()) for p in reader.pages)
    for expected in (reference, '近藤大輝様', 'ご請求に応じられない旨のお知らせ',
                     '請求者の本人確認ができなかった', '現在のご住所が記載された本人確認書類を添えて'):
        assert expected in text, expected

    page.reload()
    copies = page.get_by_role('region', name='Letters sent: copies kept')
    expect(copies.get_by_role('link', name='%s_不応諾通知書_%s.pdf (PDF)' % (reference, day))
           ).to_be_visible()
    expect(copies.get_by_role('cell', name='Refusal notice')).to_be_visible()

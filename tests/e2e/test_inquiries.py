"""The Customer Center records a complaint, answers it, links it to a Request for Disclosure
and closes it; the request's page shows the complaint; the committee reads the trends."""
import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_complaint_from_intake_to_closing(page, live_server, login):
    """Can the Customer Center take a complaint from intake through answer, link and close?"""
    today = datetime.datetime.now(ZoneInfo('Asia/Tokyo')).date()
    login(page, 'cc')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Inquiries').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Inquiries and complaints')
    expect(page.locator('#inquiries-rows')).to_contain_text('他人宛ての請求書が同封されていた')
    page.get_by_role('link', name='Record an inquiry or complaint').click()

    page.get_by_label('Inquiry or complaint').select_option(label='Complaint')
    page.get_by_label('Received by').select_option(label='Telephone')
    page.get_by_label('Received at (time)').fill('00:01')
    page.get_by_label('Category').select_option(label='About the purpose of use')
    page.get_by_label('Subject').fill('会員情報の利用目的に関する苦情')
    page.get_by_label('Name of the person').fill('森 由紀子')
    page.get_by_label('Contact details').fill('070-0000-3344')
    page.get_by_label('What the person said').fill('会員登録の情報で勧誘の電話が来た。')
    page.get_by_role('button', name='Save').click()

    due = (today + datetime.timedelta(days=7)).isoformat()
    expect(page.get_by_role('status')).to_contain_text('the answer is due by %s' % due)
    expect(page.locator('main')).to_contain_text('森 由紀子')
    answer = page.locator('#inquiries-answer')
    page.get_by_label('The answer given').fill('電話で謝罪し、勧誘リストから削除した旨を説明した。')
    page.get_by_role('button', name='Record the answer').click()
    expect(answer).to_contain_text('The answer was recorded.')
    expect(answer).to_contain_text('Answered')

    links = page.locator('#inquiries-links')
    links.get_by_label('It became').select_option(label='Request for Disclosure')
    links.get_by_label('Reference').fill('DR-00001')
    links.get_by_role('button', name='Link').click()
    expect(links).to_contain_text('Linked to DR-00001.')

    page.get_by_role('button', name='Close the inquiry').click()
    expect(answer).to_contain_text('The inquiry was closed.')

    links.get_by_role('link', name='DR-00001').click()
    expect(page.locator('#inquiries-linked')).to_contain_text('会員情報の利用目的に関する苦情')


def test_committee_reads_the_trends(page, live_server, login):
    """Does the chair see the last 12 months of inquiries, read-only?"""
    login(page, 'chair')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Inquiries').click()
    expect(page.get_by_role('link', name='Record an inquiry or complaint')).to_have_count(0)
    page.get_by_role('link', name='Counts and trends').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('the last 12 months')
    expect(page.locator('#inquiries-trends tbody tr')).to_have_count(12)
    expect(page.locator('main')).to_contain_text('Complaints answered late')

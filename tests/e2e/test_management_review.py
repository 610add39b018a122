"""The chair prepares a management review in a browser: the inputs appear, a decision
raises a corrective action, the review is marked held; the auditor reads it."""
import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_chair_prepares_decides_and_holds_a_review(page, live_server, login):
    """Can the chair prepare a review, see its inputs, record a decision raising a corrective
    action and mark the review held?"""
    today = datetime.datetime.now(ZoneInfo('Asia/Tokyo')).date()
    login(page, 'chair')
    page.get_by_role('navigation', name='Main').get_by_role('link',
                                                            name='Management review').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Management reviews')
    expect(page.locator('#management-rows')).to_contain_text('マネジメントレビュー')
    page.get_by_role('link', name='Prepare a management review').click()
    page.get_by_label('Title').fill('臨時マネジメントレビュー')
    page.get_by_label('Top management (代表者)').fill('代表取締役社長 佐藤 一郎')
    page.get_by_label('Changes in laws, guidelines and the environment').fill(
        '個人情報保護法の改正案が公表された。')
    page.get_by_role('button', name='Save').click()

    expect(page.get_by_role('status')).to_contain_text('its inputs were gathered from the app')
    expect(page.get_by_role('heading', level=1)).to_contain_text('臨時マネジメントレビュー')
    incidents = page.locator('#management-area-incidents')
    expect(incidents).to_contain_text('Reported in the period')
    expect(incidents).to_contain_text('INC-')
    expect(page.locator('#management-area-ledger')).to_contain_text('No current risk assessment')
    expect(page.locator('#management-area-previous')).to_contain_text('MR-00001')
    expect(page.locator('#management-area-law')).to_contain_text('改正案が公表された')

    page.wait_for_load_state('load')  # htmx (a deferred script) is ready
    incidents.get_by_label('Decision', exact=True).fill('誤送信の再発防止策を全社に展開する。')
    incidents.get_by_label('Action to take').fill('メール送信前の宛先確認を全部門で義務化')
    incidents.get_by_label('Owner of the action').select_option(label='Naoko Yamamoto (IT)')
    incidents.get_by_label('Action due by').fill(
        (today + datetime.timedelta(days=45)).isoformat())
    incidents.get_by_role('button', name='Record the decision').click()
    expect(incidents).to_contain_text('raised')
    expect(incidents.get_by_role('link', name='メール送信前の宛先確認を全部門で義務化')) \
        .to_be_visible()
    expect(incidents).to_contain_text('誤送信の再発防止策を全社に展開する。')

    page.get_by_role('button', name='Mark as held').click()
    expect(page.get_by_role('status')).to_contain_text(
        'The review was marked as held on %s' % today.isoformat())
    expect(page.get_by_role('button', name='Close the review')).to_be_visible()

    incidents.get_by_role('link', name='メール送信前の宛先確認を全部門で義務化').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('メール送信前の宛先確認')
    expect(page.locator('main')).to_contain_text('Incidents and their reportability')


def test_auditor_reads_and_prints_a_review(page, live_server, login):
    """Does the auditor read a review and its print view, without any button to change it?"""
    login(page, 'auditor')
    page.get_by_role('navigation', name='Main').get_by_role('link',
                                                            name='Management review').click()
    page.get_by_role('link', name='MR-00001').click()
    expect(page.locator('#management-area-incidents')).to_contain_text('誤送信')
    expect(page.get_by_role('button', name='Record the decision')).to_have_count(0)
    page.get_by_role('link', name='Print view').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Management review')
    expect(page.locator('main')).to_contain_text('代表取締役社長 佐藤 一郎')

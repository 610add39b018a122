"""A personal-information manager updates the risk assessment of a ledger entry in place,
sees it saved with its history, and confirms it with the yearly review."""
from playwright.sync_api import expect


def test_manager_updates_the_risk_assessment_of_an_entry(page, live_server, login):
    """Can manager.sales add a risk to an entry's assessment in place (htmx), see the
    residual risk from the matrix, the history, and have a half-filled risk refused?"""
    login(page, 'manager.sales')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Ledger').click()
    page.get_by_role('link', name='LE-00001').first.click()
    section = page.locator('#ledger-risk')
    expect(section.get_by_role('heading', name='Risk assessment')).to_be_visible()
    expect(section).to_contain_text('Confirmed in the review of')
    page.wait_for_load_state('load')  # htmx (a deferred script) is ready
    section.get_by_role('link', name='Update the risk assessment').click()

    new_use = section.get_by_role('group', name='Use — new risk')
    new_use.get_by_label('Risk', exact=True).select_option(label='Leak')
    new_use.get_by_label('What could happen').fill('営業担当者の画面を来客に見られる')
    new_use.get_by_label('Likelihood').select_option(label='2 — possible')
    section.get_by_role('button', name='Save the risk assessment').click()
    expect(section).to_contain_text('Rate the impact.')
    # Kept as typed, now the stage's second risk.
    new_use = section.get_by_role('group', name='Use — risk 2')
    expect(new_use.get_by_label('What could happen')).to_have_value(
        '営業担当者の画面を来客に見られる')
    new_use.get_by_label('Impact').select_option(label='3 — severe')
    new_use.get_by_label('Measures').fill('来客エリアから見えない席に配置し、離席時は画面をロックする。')
    section.get_by_role('button', name='Save the risk assessment').click()
    expect(section).to_contain_text('The risk assessment was saved.')
    row = section.get_by_role('row', name='営業担当者の画面を来客に見られる')
    expect(row).to_contain_text('High')
    expect(section).to_contain_text('Assessed by Akiko Watanabe on')

    section.get_by_role('link', name='Show the history of the assessment').click()
    expect(section.locator('#ledger-risk-history')).to_contain_text('Version 3')
    expect(section.locator('#ledger-risk-history')).to_contain_text('stages changed: Use')

    page.get_by_role('button', name='Reviewed, still accurate').click()
    expect(page.get_by_role('status')).to_contain_text('Review recorded')

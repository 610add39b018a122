"""Browser tests: a quiz taken and passed, the pledge signed, a manager's compliance view."""
import re

from playwright.sync_api import expect

RIGHT = [
    'Report it at once in stintranet, even if it seems minor',
    'Within 3 to 5 days of becoming aware',
    "A person's medical history",
    "The Customer Center, after verifying the requester's identity",
]
WRONG = ['Wait to see whether the recipient replies', 'Within 30 days']


def test_employee_takes_the_quiz_and_passes(page, live_server, login):
    """Can alice fail the quiz, retry it and pass, then print her certificate?"""
    login(page, 'alice')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Training').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Training')
    page.get_by_role('link', name='Personal information protection basics').first.click()
    expect(page.get_by_role('heading', name='Quiz')).to_be_visible()
    for label in WRONG + RIGHT[2:]:
        page.get_by_label(label).check()
    page.get_by_role('button', name='Submit answers').click()
    expect(page.locator('#training-result-text')).to_contain_text('Not passed.')
    page.get_by_role('link', name='Read the material again and retry').click()
    for label in RIGHT:
        page.get_by_label(label).check()
    page.get_by_role('button', name='Submit answers').click()
    expect(page.locator('#training-result-text')).to_contain_text('Passed.')
    expect(page.locator('#training-result-text')).to_contain_text('100 %')
    page.get_by_role('link', name='Print the certificate').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Certificate of completion')
    expect(page.locator('#training-certificate-name')).to_have_text('Alice Nakamura')


def test_employee_signs_the_pledge(page, live_server, login):
    """Can bob sign the pledge by typing his name, after a wrong name is refused?"""
    login(page, 'bob')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Pledge').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Confidentiality pledge')
    page.get_by_label('Your full name').fill('Alice Nakamura')
    page.get_by_role('button', name='Sign the pledge').click()
    expect(page.get_by_text('Type your own name exactly as on your account')).to_be_visible()
    page.get_by_label('Your full name').fill('bob  KOBAYASHI')
    page.get_by_role('button', name='Sign the pledge').click()
    expect(page.get_by_text('your signature of the confidentiality pledge was recorded')
           ).to_be_visible()
    expect(page.locator('#pledge-status')).to_contain_text('You signed version 1')
    expect(page.get_by_role('button', name='Sign the pledge')).to_have_count(0)


def test_manager_sees_their_departments_compliance(page, live_server, login):
    """Does the sales manager see the SALES figures and chart, and no other department?"""
    login(page, 'manager.sales')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Training').click()
    page.get_by_role('link', name='Compliance by department').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Training compliance')
    table = page.get_by_role('table', name='Training compliance on')
    expect(table.get_by_role('rowheader', name='SALES')).to_be_visible()
    expect(table.get_by_role('rowheader', name='HR')).to_have_count(0)
    expect(page.get_by_role('img', name='Training completion rate by department')).to_be_visible()
    page.get_by_label('Course', exact=True).select_option(
        label='PI-BASICS — Personal information protection basics')
    expect(page).to_have_url(re.compile(r'/training/compliance\?course=\d+$'))
    expect(page.locator('#training-compliance-table tbody tr')).to_have_count(1)
    expect(table.get_by_role('rowheader', name='SALES')).to_be_visible()
    page.get_by_role('link', name='Overdue training').click()
    expect(page.get_by_role('cell', name='Alice Nakamura')).to_be_visible()
    expect(page.get_by_role('cell', name='Carol Kato')).to_have_count(0)

"""Browser tests: an employee reports a suspected leak; the committee triages it."""
import re

from playwright.sync_api import expect


def test_employee_reports_a_suspected_leak_and_sees_the_reference(page, live_server, login):
    """Can alice report from the header link and read her reference number at once?"""
    login(page, 'alice')
    page.get_by_role('banner').get_by_role('link', name='Report a suspected leak').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Report a suspected leak')
    page.get_by_label('What happened?').fill('I left a printed customer list on the train.')
    page.get_by_label('Loss (e.g. a lost laptop').check()
    page.get_by_label('Roughly how many people are concerned?').fill('40')
    page.get_by_label('No, keep my name confidential').check()
    page.get_by_role('button', name='Send the report').click()
    expect(page.get_by_text('Your reference number is')).to_be_visible()
    reference = page.locator('.reference-number').inner_text()
    assert re.fullmatch(r'INC-\d{4}-\d{4}', reference)
    expect(page.get_by_role('heading', level=1)).to_contain_text(reference)
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Incidents').click()
    expect(page.get_by_role('link', name=reference)).to_be_visible()


def test_empty_report_is_refused_with_a_message(page, live_server, login):
    """Does an empty narrative get a message next to the field, and no reference?"""
    login(page, 'bob')
    page.goto(live_server('/incidents/new'))
    page.get_by_role('button', name='Send the report').click()
    expect(page.get_by_text('Describe what happened, even briefly.')).to_be_visible()
    expect(page.get_by_role('heading', level=1)).to_have_text('Report a suspected leak')


def test_committee_triages_a_report_into_a_reportable_case(page, live_server, login):
    """Can the chair triage a new report into a reportable case and see its deadlines?"""
    login(page, 'alice')
    page.goto(live_server('/incidents/new'))
    page.get_by_label('What happened?').fill('Mail with health data went to the wrong office.')
    page.get_by_label('Leak (data disclosed').check()
    page.get_by_role('button', name='Send the report').click()
    reference = page.locator('.reference-number').inner_text()
    page.get_by_role('button', name='Sign out').click()

    login(page, 'chair')
    page.goto(live_server('/incidents/?status=reported'))
    page.get_by_role('link', name=reference).click()
    expect(page.get_by_role('heading', name='Reportable to the Personal Information '
                                          'Protection Commission?')).to_be_visible()
    page.get_by_role('button', name='Start triage').click()
    expect(page.get_by_role('heading', name='Status: Triage')).to_be_visible()
    page.get_by_role('link', name='Triage and facts').click()
    page.get_by_label('Handler').select_option(label='Hiroshi Ito (HR)')
    page.get_by_label('Severity').select_option('high')
    page.get_by_label('Short title').fill('Health data sent to the wrong office')
    page.get_by_label('Number of persons affected').fill('25')
    page.get_by_label('Special-care-required personal information').check()
    page.get_by_role('button', name='Save the triage').click()

    expect(page.locator('#incident-assessment')).to_contain_text(
        'Reportable to the PPC: special-care-required personal information is involved')
    clocks = page.locator('#incident-clocks')
    expect(clocks).to_contain_text('Preliminary report to the PPC (target)')
    expect(clocks).to_contain_text('Preliminary report to the PPC (latest)')
    expect(clocks).to_contain_text('Final report to the PPC')
    expect(clocks).to_contain_text('left')
    page.get_by_role('button', name='Start the investigation').click()
    expect(page.get_by_role('heading', name='Status: Investigating')).to_be_visible()
    expect(page.locator('#incident-timeline')).to_contain_text('moved the case from "Triage" '
                                                               'to "Investigating"')


def test_committee_sees_the_overdue_demo_case(page, live_server, login):
    """Is the overdue demo case unmistakable in the list filtered by overdue clocks?"""
    login(page, 'committee')
    page.goto(live_server('/incidents/'))
    page.get_by_label('Only with an overdue clock').check()
    expect(page.locator('#incidents-rows .clock-overdue').first).to_contain_text('OVERDUE')

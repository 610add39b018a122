"""The ledger in a browser, used by its labels and roles as a person would."""
import re

from playwright.sync_api import expect


def fill_new_entry(page, title):
    page.get_by_label('Section in charge').select_option(label='SALES — Sales Department')
    page.get_by_label('Business process').fill(title)
    page.get_by_label('Category of personal information').select_option(label='Customers')
    page.get_by_label('Status', exact=True).select_option(label='Active')
    page.get_by_role('checkbox', name=re.compile(r'^Name\b')).check()
    page.get_by_role('checkbox', name=re.compile(r'^E-mail address')).check()
    page.get_by_label('Number of persons', exact=True).select_option(label='1,000 to 9,999')
    page.get_by_label('Estimated number of persons').fill('1800')
    page.get_by_label('Purposes of use').fill('Sending the newsletter subscribers asked for.')
    page.get_by_label('How acquired').select_option(
        label='Directly from the person, in writing (forms, web forms)')
    page.get_by_label('Acquisition details').fill('Sign-up form on the website.')
    page.get_by_label('Notice of purpose or consent').select_option(
        label='Explicit consent obtained')
    page.get_by_label('Storage medium').select_option(label='Electronic')
    page.get_by_label('Storage location and method').fill('Mailing tool, Tokyo region.')
    page.get_by_label('Persons with access rights').fill('Marketing team (3).')
    page.get_by_label('Use period (months)').fill('24')
    page.get_by_label('Retention period (months)').fill('36')
    page.get_by_label('Deletion software (overwrite)').check()
    page.get_by_label('Encryption', exact=True).check()
    page.get_by_label('Access control').check()


def test_manager_searches_creates_edits_and_sees_the_revision(page, live_server, login):
    """Can a manager search, create an entry, edit it and see the change recorded, while
    another department's manager cannot open it?"""
    login(page, 'manager.sales')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Ledger').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text(
        'Personal information management ledger')
    page.wait_for_load_state('load')  # htmx (a deferred script) is ready
    rows = page.locator('#ledger-rows')
    expect(rows).to_contain_text('Customer order management')
    page.evaluate('window.ledgerMarker = "same page"')
    page.get_by_label('Search').fill('singapore')
    expect(rows).to_contain_text('Sales CRM and pipeline (cloud, Singapore)')
    expect(rows).not_to_contain_text('Customer order management')
    expect(page).to_have_url(re.compile(r'q=singapore'))
    assert page.evaluate('window.ledgerMarker') == 'same page'  # no page reload

    page.get_by_role('link', name='New entry').click()
    fill_new_entry(page, 'Newsletter subscribers')
    page.get_by_role('button', name='Save').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Newsletter subscribers')
    entry_url = page.url

    page.get_by_role('link', name='Edit', exact=True).click()
    page.get_by_label('Business process').fill('Newsletter subscribers (opt-in)')
    page.get_by_label('Storage location and method').fill('Mailing tool, Osaka region.')
    page.get_by_role('button', name='Save').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text(
        'Newsletter subscribers (opt-in)')
    changes = page.get_by_role('region', name='Changes')
    expect(changes).to_contain_text('Version 2')
    expect(changes).to_contain_text('Akiko Watanabe')
    version2 = changes.get_by_role('listitem').first
    expect(version2).to_contain_text('Mailing tool, Tokyo region.')
    expect(version2).to_contain_text('Mailing tool, Osaka region.')

    page.get_by_role('button', name='Sign out').click()
    login(page, 'manager.hr')
    response = page.goto(entry_url)
    assert response.status == 404
    expect(page.get_by_role('heading', level=1)).to_have_text('Page not found')
    expect(page.locator('body')).not_to_contain_text('Newsletter subscribers')


def test_bad_form_input_is_shown_at_the_field(page, live_server, login):
    """Does a retention shorter than the use period show at the field, input kept?"""
    login(page, 'manager.sales')
    page.goto(live_server('/ledger/new'))
    fill_new_entry(page, 'Short retention')
    page.get_by_label('Retention period (months)').fill('12')
    page.get_by_role('button', name='Save').click()
    expect(page.get_by_text('The retention period (12 months) is shorter than the use period '
                            '(24 months).')).to_be_visible()
    expect(page.get_by_label('Business process')).to_have_value('Short retention')


def test_import_with_a_bad_row_shows_that_rows_error(page, live_server, login, tmp_path):
    """Does uploading a file with one bad row show that row's error and save nothing?"""
    login(page, 'manager.sales')
    page.goto(live_server('/ledger/'))
    page.get_by_role('link', name='Import from CSV or XLSX').click()
    header = ('department,title,category,items,purposes,person_band,medium,storage_location,'
              'access_persons,use_period_months,retention_period_months,disposal_methods,'
              'security_measures,responsible,status')
    good = ('SALES,Webinar attendees,customer,name; email,Follow-up of webinars,100-999,'
            'electronic,Webinar tool,Marketing,12,24,secure_deletion,password,'
            'manager.sales@st-group.example,draft')
    bad = ('SALES,Psychic readings,customer,name; telepathy,Readings,<100,electronic,'
           'Cabinet,Staff,12,24,shredding,locked_cabinet,manager.sales@st-group.example,draft')
    path = tmp_path / 'ledger.csv'
    path.write_text('\n'.join([header, good, bad]) + '\n', encoding='utf-8')
    page.get_by_label('Ledger file (CSV or XLSX)').set_input_files(str(path))
    page.get_by_role('button', name='Check the file').click()
    errors = page.get_by_role('table', name='Rows with errors')
    expect(errors).to_contain_text('Row 3')
    expect(errors).to_contain_text('Unknown item: telepathy')
    expect(errors).not_to_contain_text('Webinar attendees')
    expect(page.get_by_text('Nothing was saved.')).to_be_visible()
    page.goto(live_server('/ledger/?q=webinar'))
    expect(page.locator('#ledger-rows')).to_contain_text('0 entries')

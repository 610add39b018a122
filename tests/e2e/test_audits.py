"""An auditor runs an inspection whose finding becomes a corrective action; the manager
completes it with evidence and the auditor checks its effectiveness, closing the finding."""
import re

from playwright.sync_api import expect

from stintranet.timezone import today_local


def sign_out(page):
    page.get_by_role('button', name='Sign out').click()
    expect(page.get_by_role('heading', name='Sign in')).to_be_visible()


def test_inspection_to_verified_corrective_action(page, live_server, login):
    """Does an inspection of IT end in a corrective action done by IT's manager and
    verified effective by the auditor?"""
    with live_server.app.app_context():
        today = today_local().isoformat()

    # The auditor plans an inspection; their own department is refused.
    login(page, 'auditor')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Audits').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Inspections')
    page.get_by_role('link', name='Plan an inspection').click()
    page.get_by_label('Title').fill('Inspection of the IT Department')
    page.get_by_label('Planned date').fill(today)
    page.get_by_label('AUDIT — Audit Department').check()
    page.get_by_role('button', name='Plan the inspection').click()
    expect(page.get_by_text('Nobody may inspect their own department').first).to_be_visible()
    expect(page.get_by_label('Title')).to_have_value('Inspection of the IT Department')
    page.get_by_label('AUDIT — Audit Department').uncheck()
    page.get_by_label('IT — Information Technology Department').check()
    page.get_by_role('button', name='Plan the inspection').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Inspection of the IT Department')

    # Start it and answer the checklist: item 10 (media encrypted) is a major nonconformity.
    expect(page.get_by_label('Date performed')).to_have_value(today)
    page.get_by_role('button', name='Start the inspection').click()
    expect(page.locator('#audits-status')).to_have_text('In progress')
    page.get_by_role('link', name='Checklist of IT').click()
    results = page.get_by_label('Result')
    expect(results).to_have_count(22)
    for select in results.all():
        select.select_option(label='Conforms')
    item = page.get_by_role('group', name=re.compile(r'^10\. Portable devices'))
    item.get_by_label('Result').select_option(label='Major nonconformity')
    item.get_by_label('Note').fill('The backup USB drive of the server room is not encrypted.')
    page.get_by_role('button', name='Save the answers').click()
    expect(page.get_by_text('22 answers saved.')).to_be_visible()

    # Write it up as a finding, prefilled from the answer.
    page.get_by_role('link', name='Record item 10 as a finding').click()
    expect(page.get_by_label('Major nonconformity')).to_be_checked()
    expect(page.get_by_label('What was seen and the requirement')).to_have_value(
        re.compile('backup USB drive'))
    page.get_by_label('Finding', exact=True).fill('Backup USB drive not encrypted')
    page.get_by_role('button', name='Record the finding').click()
    page.get_by_role('link', name='Backup USB drive not encrypted').click()

    # The finding raises a corrective action owned by IT's manager.
    page.get_by_role('link', name='Raise a corrective action').click()
    page.get_by_label('What will be done').fill('Replace the backup drive with an encrypted one')
    page.get_by_label('Owner').select_option(label='Naoko Yamamoto (IT)')
    page.get_by_label('Due date').fill(today)
    page.get_by_role('button', name='Add the action').click()
    expect(page.get_by_role('link', name='Replace the backup drive with an encrypted one')
           ).to_be_visible()

    # Issue the report.
    page.get_by_role('link', name=re.compile('^AUD-')).first.click()
    page.get_by_label('Conclusion').fill('IT handles personal data well except for one '
                                         'unencrypted backup drive.')
    page.get_by_role('button', name='Issue the report').click()
    expect(page.locator('#audits-status')).to_have_text('Reported (closed)')
    page.get_by_role('link', name='Printable report').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Inspection report')
    expect(page.get_by_text('Backup USB drive not encrypted')).to_be_visible()
    page.go_back()
    sign_out(page)

    # The manager completes the action with evidence.
    login(page, 'manager.it')
    page.get_by_role('link', name='Replace the backup drive with an encrypted one').first.click()
    page.get_by_label('Evidence of what was done').fill(
        'New encrypted drive in service since today; old one destroyed, certificate D-0142.')
    page.get_by_role('button', name='Mark done').click()
    expect(page.get_by_text('The action was updated.')).to_be_visible()
    sign_out(page)

    # The auditor checks its effectiveness; the finding closes.
    login(page, 'auditor')
    page.get_by_role('link', name='Replace the backup drive with an encrypted one').first.click()
    page.get_by_label('Effectiveness check').fill('Checked the drive in the server room: '
                                                  'BitLocker on, register updated.')
    page.get_by_label('Effective: close the action').check()
    page.get_by_role('button', name='Record the check').click()
    expect(page.get_by_text('Verified effective')).to_be_visible()
    page.get_by_role('link', name=re.compile('Backup USB drive not encrypted')).click()
    expect(page.get_by_text(re.compile(r'^Closed \d{4}-'))).to_be_visible()

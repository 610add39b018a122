"""Browser tests: the Customer Center records a proxy request, checks it and refuses it; the
daily job destroys a completed request's documents six months after completion."""
import datetime
import re

from playwright.sync_api import expect

from stintranet import db as dbmod
from stintranet import legaldates
from stintranet.disclosure.models import DisclosureRequest
from stintranet.disclosure.seed import sample_pdf, sample_png


def pdf(name):
    return {'name': name, 'mimeType': 'application/pdf', 'buffer': sample_pdf(name)}


def png(name):
    return {'name': name, 'mimeType': 'image/png', 'buffer': sample_png()}


def test_proxy_request_from_intake_through_verification_to_refusal(page, live_server, login):
    """Can Customer Center staff record a legal representative's request, be stopped while a
    proxy document is missing, work the checklist and refuse it with a printable letter?"""
    login(page, 'cc')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Requests').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Requests for Disclosure')
    page.get_by_role('link', name='Record a request').click()

    page.get_by_label('Registered-mail number').fill('4321-8765-2109')
    page.get_by_label('Disclosure', exact=True).check()
    page.get_by_label('Response method asked for').select_option(label='Paper document')
    expect(page.get_by_label("Requester's language")).to_have_value('ja')
    page.get_by_label("Requester's language").select_option(label='English')
    page.get_by_label("Requester's name").fill('Emi Takeda')
    page.get_by_label("Requester's address").fill('3-1 Nishiki, Naka-ku, Nagoya 460-0003')
    page.get_by_label("Requester's telephone").fill('052-111-2222')
    page.get_by_label('Made by').select_option(
        label='A legal representative (of a minor or an adult ward)')
    page.get_by_label("Proxy's name").fill('Jun Takeda')
    page.get_by_label("Proxy's relationship to the requester").fill('Father of a minor')
    page.get_by_label('Application form', exact=True).set_input_files(pdf('form.pdf'))
    page.get_by_role('button', name='Record the request').click()

    # No proxy document: refused, with what was typed kept.
    expect(page.get_by_text('A request by proxy must come with the proxy documents')
           ).to_be_visible()
    expect(page.get_by_label("Requester's name")).to_have_value('Emi Takeda')
    expect(page.get_by_label("Proxy's name")).to_have_value('Jun Takeda')

    page.get_by_label('Application form', exact=True).set_input_files(pdf('form.pdf'))
    page.get_by_label("Requester's identity document").set_input_files(png('licence.png'))
    page.get_by_label('Family register or health insurance card').set_input_files(
        pdf('koseki.pdf'))
    page.get_by_role('button', name='Record the request').click()

    expect(page.get_by_role('heading', level=1)).to_have_text(re.compile(r'Request DR-\d{5}'))
    expect(page.get_by_text(re.compile(r'Request DR-\d{5} was recorded'))).to_be_visible()
    expect(page.locator('#requests-countdown')).to_have_text('14 days left')
    expect(page.locator('#requests-missing')).to_contain_text(
        "Legal representative's own identity document")

    page.get_by_role('button', name='Start the identity check').click()
    expect(page.locator('#requests-state')).to_contain_text('Verifying identity')
    page.get_by_label('Identity document type').select_option(label="Driver's licence")
    page.get_by_label('The application form is complete and correct').check()
    page.get_by_label('The family register or health insurance card shows the legal '
                      'representation').check()
    page.get_by_role('button', name='Save the checklist').click()
    expect(page.get_by_label('The application form is complete and correct')).to_be_checked()

    # The representative's own ID never came: confirming is refused with what is open.
    page.get_by_role('button', name='Confirm the identity').click()
    expect(page.get_by_role('alert')).to_contain_text('The identity cannot be confirmed yet')
    expect(page.get_by_role('alert')).to_contain_text(
        "Legal representative's own identity document")

    page.get_by_label('Reason notified').select_option(
        label="The proxy's authority could not be confirmed")
    page.get_by_label('Explanation to the requester').fill(
        'The legal representative did not send an identity document of his own.')
    page.get_by_role('button', name='Refuse the request').click()
    expect(page.locator('#requests-state')).to_contain_text('Refused')
    expect(page.locator('#requests-countdown')).to_have_text('14 days left')

    page.get_by_role('link', name='Printable letter').click()
    expect(page.get_by_role('heading', level=1)).to_have_text(
        'Notice that we cannot comply with your request')
    expect(page.locator('#requests-letter-reason')).to_have_text(
        "The proxy's authority could not be confirmed")
    expect(page.locator('#requests-letter-explanation')).to_contain_text(
        'did not send an identity document of his own')
    expect(page.get_by_text('Emi Takeda').first).to_be_visible()
    page.get_by_role('link', name=re.compile('Back to request')).click()

    page.get_by_label('Sent as').select_option(label='Paper document')
    page.get_by_role('button', name='Record the response').click()
    expect(page.locator('#requests-countdown')).to_contain_text('Answered')
    page.get_by_role('button', name='Mark the request completed').click()
    expect(page.locator('#requests-state')).to_contain_text('Completed')
    expect(page.get_by_text('Documents kept until')).to_be_visible()


def test_documents_are_gone_after_the_job_runs_six_months_later(page, live_server, login):
    """After the daily job runs with --today six months and a day after completion, are the
    documents gone, the identity redacted and a destruction record shown?"""
    with live_server.app.app_context(), dbmod.database.connection_context():
        recent = (DisclosureRequest.select()
                  .where(DisclosureRequest.status == 'completed')
                  .order_by(DisclosureRequest.completed_on.desc()).first())
        request_id, completed_on = recent.id, recent.completed_on
    login(page, 'cc')
    page.goto(live_server('/requests/%d' % request_id))
    expect(page.get_by_text('Naomi Ogawa')).to_be_visible()
    download = page.get_by_role('link', name='Download Application form')
    expect(download).to_be_visible()
    document_url = download.get_attribute('href')

    day_before = legaldates.disclosure_documents_kept_until(completed_on, 6).deadline
    runner = live_server.app.test_cli_runner()
    result = runner.invoke(args=['jobs', 'run', '--today', day_before.isoformat()])
    assert 'disclosure-documents-destroy: 1 requests destroyed' in result.output  # the old one
    page.reload()
    expect(download).to_be_visible()

    result = runner.invoke(args=['jobs', 'run', '--today',
                                 (day_before + datetime.timedelta(days=1)).isoformat()])
    assert 'disclosure-documents-destroy: 1 requests destroyed (2 documents)' in result.output
    page.reload()
    expect(page.get_by_role('heading', name='Destruction record')).to_be_visible()
    expect(page.locator('#requests-destroyed-count')).to_contain_text('2 files')
    expect(page.get_by_text('Destroyed by the daily job; nothing can be downloaded.')
           ).to_be_visible()
    expect(page.get_by_role('link', name='Download Application form')).to_have_count(0)
    expect(page.get_by_text('Naomi Ogawa')).to_have_count(0)
    expect(page.get_by_text('[destroyed]').first).to_be_visible()
    response = page.request.get(live_server(document_url))
    assert response.status == 404


def test_committee_reads_but_cannot_act(page, live_server, login):
    """Does a committee member see the requests and their countdown but no action button?"""
    login(page, 'chair')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Requests').click()
    expect(page.get_by_text(re.compile(r'\d+ days? overdue')).first).to_be_visible()
    page.get_by_role('link', name=re.compile(r'DR-\d{5}')).first.click()
    expect(page.get_by_role('heading', name='Identity verification')).to_be_visible()
    expect(page.get_by_role('button', name='Refuse the request')).to_have_count(0)
    expect(page.get_by_role('link', name='Record a request')).to_have_count(0)


def test_admin_has_no_access(page, live_server, login):
    """Is the administrator kept out of the requests (separation of duties)?"""
    login(page, 'admin')
    expect(page.get_by_role('navigation', name='Main').get_by_role(
        'link', name='Requests')).to_have_count(0)
    response = page.request.get(live_server('/requests/'))
    assert response.status == 403

"""An auditor filters the audit findings and downloads the filtered view as CSV and Excel."""
import csv
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from stintranet.timezone import today_local


def test_auditor_downloads_filtered_findings(page, live_server, login):
    """Does the auditor's download of the minor findings hold the seeded minor finding
    only, under a dated file name, in both formats?"""
    with live_server.app.app_context():
        today = today_local().isoformat()
    login(page, 'auditor')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Audits').click()
    page.get_by_role('link', name='Findings and corrective actions').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Audit findings')
    page.get_by_label('State').select_option(label='All')
    page.get_by_label('Severity').select_option(label='Minor nonconformity')
    csv_link = page.get_by_role('link', name='CSV', exact=True)
    expect(csv_link).to_have_attribute('href', re.compile(r'severity=minor'))
    expect(page.locator('#audits-finding-rows tbody tr')).to_have_count(1)

    with page.expect_download() as caught:
        csv_link.click()
    download = caught.value
    assert download.suggested_filename == 'audit-findings-%s.csv' % today
    text = open(download.path(), encoding='utf-8-sig').read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ['Ref.', 'Department', 'Severity', 'Finding']
    assert [row[3] for row in rows[1:]] == ['Order forms left on unattended desks']

    with page.expect_download() as caught:
        page.get_by_role('link', name='Excel (XLSX)').click()
    download = caught.value
    assert download.suggested_filename == 'audit-findings-%s.xlsx' % today
    with open(download.path(), 'rb') as stream:  # the saved file has no extension
        sheet = load_workbook(io.BytesIO(stream.read())).active
    titles = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ['Order forms left on unattended desks']

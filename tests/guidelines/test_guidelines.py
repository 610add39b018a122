"""Guidelines: versions readable by everyone, the change between two shown safely."""
from stintranet.auditlog.models import AuditEvent
from stintranet.guidelines import diff, services
from stintranet.guidelines.models import Guideline, GuidelineVersion

V1 = '# Storage\n\n* Keep paper in cabinets.\n* USB memory with approval.\n\n# Incidents\n\nReport in one day.'
V2 = ('# Storage\n\n* Keep paper in locked cabinets.\n* Encrypted USB memory only.\n'
      '* Record carry-outs.\n\n# Incidents\n\nReport at once.')


def make_guideline():
    guideline = services.create_guideline('GL-PI', 'Protection guidelines', V1, 'First.', None)
    services.publish_version(guideline, 'Protection guidelines', V2, 'Stricter USB rule.',
                             None, 1)
    return guideline


def test_employee_reads_current_and_earlier_versions(client, login_as):
    """Can an employee read the current version and the earlier one?"""
    guideline = make_guideline()
    login_as('employee')
    listing = client.get('/guidelines/').text
    assert 'Protection guidelines' in listing and '<td>2</td>' in listing
    current = client.get('/guidelines/%d' % guideline.id).text
    assert 'Encrypted USB memory only.' in current and '<h2>Storage</h2>' in current
    assert 'Stricter USB rule.' in current
    earlier = client.get('/guidelines/%d/versions/1' % guideline.id).text
    assert 'USB memory with approval.' in earlier
    assert 'This is an earlier version. The current one is version 2.' in earlier
    assert client.get('/guidelines/%d/versions/9' % guideline.id).status_code == 404


def test_change_between_versions(client, login_as):
    """Does the comparison mark removed and added words and lines?"""
    guideline = make_guideline()
    login_as('employee')
    page = client.get('/guidelines/%d/diff?old=1&new=2' % guideline.id).text
    assert '1 line added, 0 lines removed, 3 lines changed' in page
    assert '<ins>* Record carry-outs.</ins>' in page
    assert '<div>* USB memory <del>with approval.</del></div>' in page
    assert '<ins>locked </ins>' in page


def test_diff_escapes_markup():
    """Is HTML in a guideline's text shown as text in the comparison, never as markup?"""
    hunks = diff.diff_lines('Hello', '<script>alert(1)</script> Hello')
    assert hunks and hunks[0][0].kind == 'changed'


def test_diff_page_escapes_markup(client, login_as):
    """Does the comparison page escape a script in the text?"""
    guideline = services.create_guideline('GL-X', 'X', 'Safe text.', '', None)
    services.publish_version(guideline, 'X', 'Safe text.\n<script>alert(1)</script>', 'x',
                             None, 1)
    login_as('employee')
    page = client.get('/guidelines/%d/diff?old=1&new=2' % guideline.id).text
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in page
    assert '<script>alert' not in page
    shown = client.get('/guidelines/%d' % guideline.id).text
    assert '<script>alert' not in shown


def test_bad_comparisons_are_422(client, login_as):
    """Are an unknown version, the same version twice or a non-number refused with 422?"""
    guideline = make_guideline()
    login_as('employee')
    for query in ('old=1&new=7', 'old=2&new=2', 'old=x&new=2', ''):
        response = client.get('/guidelines/%d/diff?%s' % (guideline.id, query))
        assert response.status_code == 422, query
    assert client.get('/guidelines/999/diff?old=1&new=2').status_code == 404


def test_committee_publishes_versions(client, login_as):
    """Can the committee create a guideline and publish a new version, both audited?"""
    login_as('committee', department='LEGAL')
    response = client.post('/guidelines/new', data={
        'code': 'gl-pi', 'title': 'Guidelines', 'body': V1, 'change_note': 'First.'})
    assert response.status_code == 303
    guideline = Guideline.get(Guideline.code == 'GL-PI')
    form = client.get('/guidelines/%d/publish' % guideline.id).text
    assert 'name="based_on" type="hidden" value="1"' in form
    published = client.post('/guidelines/%d/publish' % guideline.id, data={
        'title': 'Guidelines', 'body': V2, 'change_note': 'USB.', 'based_on': '1'})
    assert published.status_code == 303
    assert [v.number for v in GuidelineVersion.select().order_by(GuidelineVersion.number)] \
        == [1, 2]
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert actions.count('publish') == 2 and 'create' in actions


def test_stale_and_unchanged_publications(client, login_as):
    """Is a version based on an old one 409, and an unchanged one 422, nothing saved?"""
    guideline = make_guideline()
    login_as('committee', department='LEGAL')
    stale = client.post('/guidelines/%d/publish' % guideline.id, data={
        'title': 'Protection guidelines', 'body': 'Mine', 'change_note': 'x',
        'based_on': '1'})
    assert stale.status_code == 409
    assert 'Version 2 was published while you were editing' in stale.text
    assert 'Mine' in stale.text
    same = client.post('/guidelines/%d/publish' % guideline.id, data={
        'title': 'Protection guidelines', 'body': V2, 'change_note': 'x', 'based_on': '2'})
    assert same.status_code == 422 and 'Nothing changed' in same.text
    missing_note = client.post('/guidelines/%d/publish' % guideline.id, data={
        'title': 'Protection guidelines', 'body': V2 + '\nmore', 'based_on': '2'})
    assert missing_note.status_code == 422
    assert GuidelineVersion.select().count() == 2
    duplicate = client.post('/guidelines/new', data={
        'code': 'GL-PI', 'title': 'Again', 'body': 'x'})
    assert duplicate.status_code == 422 and 'Another guideline already has this code' in \
        duplicate.text


def test_only_the_committee_publishes(client, login_as):
    """Is a manager refused the guideline forms, and an admin the guideline pages?"""
    guideline = make_guideline()
    login_as('employee', 'manager')
    assert client.post('/guidelines/%d/publish' % guideline.id, data={
        'title': 'x', 'body': 'y', 'change_note': 'z', 'based_on': '2'}).status_code == 403
    assert GuidelineVersion.select().count() == 2


def test_admin_cannot_read_guidelines(client, login_as):
    """Is an admin-only account kept away from the guideline pages (separation of duties)?"""
    guideline = make_guideline()
    login_as('admin', department='IT')
    assert client.get('/guidelines/%d' % guideline.id).status_code == 403

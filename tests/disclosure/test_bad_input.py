"""Malformed input to every request endpoint: a form error (422), 409, or another 4xx; never
a 5xx, and the request unchanged."""
import pytest
from werkzeug.datastructures import MultiDict

from stintranet.disclosure import forms as F
from tests.disclosure.factories import make_request, reload
from tests.forms_crawl import hidden_names

LONG = 'x' * 10000
UNICODE = '山田 花子 \u202e\u0301 \U0001F600 ﷽'
HUGE = '9' * 30

# endpoint: (state to start from, visible field names without prefix, prefix, form class);
# the form's hidden fields (the version) are added from the class, so a new one is sent
# malformed too.
ENDPOINTS = {
    'new': ('received', ['received_on', 'mail_number', 'types', 'requested_method',
                         'requester_name', 'requester_address', 'requester_phone',
                         'requester_email', 'proxy_kind', 'proxy_name', 'proxy_relationship',
                         'doc_application_form'], '', F.IntakeForm),
    'edit': ('verifying', ['received_on', 'mail_number', 'types', 'requested_method',
                           'requester_name', 'requester_address', 'proxy_kind'], '',
             F.DetailsForm),
    'start-verification': ('received', [], 'start-', F.StepForm),
    'confirm-identity': ('verifying', ['verified_on'], 'confirm-', F.ConfirmIdentityForm),
    'accept': ('in_progress', ['decided_on'], 'accept-', F.AcceptForm),
    'refuse': ('verifying', ['refusal_reason', 'explanation', 'decided_on'], 'refuse-',
               F.RefuseForm),
    'response': ('accepted', ['response_method', 'paper_reason', 'responded_on'],
                 'response-', F.ResponseForm),
    'complete': ('responded', ['completed_on'], 'complete-', F.CompleteForm),
    'checklist': ('verifying', ['id_document_type', 'form_complete', 'address_matches'],
                  'check-', F.ChecklistForm),
    'documents': ('verifying', ['kind', 'file'], 'upload-', F.UploadForm),
    'ledger/link': ('in_progress', ['entry'], '', None),
    'ledger/unlink': ('in_progress', ['entry'], '', None),
}
KINDS = ['empty', 'overlong', 'unicode', 'lists', 'huge', 'negative']


def build(kind, fields, prefix):
    names = [prefix + f for f in fields]
    if kind == 'empty':
        return {}
    if kind == 'lists':
        return MultiDict([(n, v) for n in names for v in ('first', 'second')])
    value = {'overlong': LONG, 'unicode': UNICODE, 'huge': HUGE, 'negative': '-1'}[kind]
    return {n: value for n in names}


@pytest.mark.parametrize('kind', KINDS)
@pytest.mark.parametrize('endpoint', list(ENDPOINTS))
def test_malformed_input_is_a_4xx(client, login_as, endpoint, kind):
    """Does malformed input to this endpoint get a 4xx (or a harmless redirect), never a 500,
    and leave the request as it was?"""
    state, fields, prefix, form_class = ENDPOINTS[endpoint]
    fields = fields + (hidden_names(form_class) if form_class else [])
    req = make_request(state)
    login_as('customer_center', department='CC')
    url = '/requests/new' if endpoint == 'new' else '/requests/%d/%s' % (req.id, endpoint)
    response = client.post(url, data=build(kind, fields, prefix))
    assert 400 <= response.status_code < 500 or (
        endpoint in ('checklist', 'ledger/unlink') and response.status_code == 303), (
        endpoint, kind, response.status_code)
    after = reload(req)
    assert (after.status, after.version) == (req.status, req.version)


@pytest.mark.parametrize('query', ['?q=' + LONG, '?q=' + UNICODE, '?status=' + HUGE,
                                   '?page=' + HUGE, '?page=-1', '?overdue=' + UNICODE,
                                   '?q=%25_%5C'])
def test_malformed_list_queries(client, login_as, query):
    """Does the list answer odd queries with a page or a 404, never a 500?"""
    make_request('received')
    login_as('committee', department='LEGAL')
    assert client.get('/requests/' + query).status_code in (200, 404)
    assert client.get('/requests/1/ledger' + query).status_code in (200, 404)

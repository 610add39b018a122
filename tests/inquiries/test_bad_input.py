"""Malformed input to every inquiry form endpoint: a 4xx (mostly 422), never a 5xx, and
nothing stored."""
import pytest
from werkzeug.datastructures import MultiDict

from stintranet.inquiries import forms as F
from stintranet.inquiries.models import Inquiry, InquiryLink
from tests.forms_crawl import hidden_names
from tests.inquiries.factories import make_inquiry
from tests.test_bad_input import HUGE, LONG, UNICODE

# The visible fields of each endpoint; the hidden ones (the version) come from its form
# class, so a new hidden field is sent malformed too.
FIELDS = {
    'new': ['kind', 'channel', 'received_on', 'received_time', 'category', 'subject',
            'contact_name', 'contact_details', 'statement', 'due_on'],
    'edit': ['kind', 'channel', 'received_on', 'received_time', 'category', 'subject',
             'contact_name', 'contact_details', 'statement', 'due_on'],
    'answer': ['answer', 'answered_on'],
    'close': [],
    'reopen': [],
    'link': ['kind', 'reference', 'note'],
    'list': ['q', 'status', 'kind', 'category'],
}
FORMS = {'new': F.InquiryForm, 'edit': F.InquiryEditForm, 'answer': F.AnswerForm,
         'close': F.StateForm, 'reopen': F.StateForm, 'link': F.LinkForm}
KINDS = ['empty', 'overlong', 'unicode', 'lists', 'huge-numbers', 'negative', 'wrong-types']


def build(kind, fields):
    if kind == 'empty':
        return {}
    if kind == 'lists':
        return MultiDict([(f, v) for f in fields for v in ('first', 'second')])
    value = {'overlong': LONG, 'unicode': UNICODE, 'huge-numbers': HUGE, 'negative': '-1',
             'wrong-types': '3.5'}[kind]
    return {f: value for f in fields}


@pytest.mark.parametrize('kind', KINDS)
@pytest.mark.parametrize('endpoint', list(FIELDS))
def test_malformed_input_is_a_4xx(client, signed_in, endpoint, kind):
    """Does malformed data to any inquiry form get a 4xx, never a 5xx, nothing changed?"""
    inquiry = make_inquiry(signed_in)
    base = '/inquiries/%d' % inquiry.id
    paths = {'new': '/inquiries/new', 'edit': base + '/edit', 'answer': base + '/answer',
             'close': base + '/close', 'reopen': base + '/reopen', 'link': base + '/links',
             'list': '/inquiries/'}
    fields = FIELDS[endpoint] + (hidden_names(FORMS[endpoint]) if endpoint in FORMS else [])
    payload = build(kind, fields)
    if endpoint == 'list':
        response = client.get(paths[endpoint], query_string=payload)
        assert response.status_code in (200, 422), response.text[-500:]
    else:
        response = client.post(paths[endpoint], data=payload)
        assert 400 <= response.status_code < 500, response.text[-500:]
    assert Inquiry.select().count() == 1
    current = Inquiry.get_by_id(inquiry.id)
    assert (current.version, current.status) == (1, 'open')
    assert not InquiryLink.select().exists()


def test_overlong_subject_keeps_the_typing(client, signed_in):
    """Is an overlong subject a 422 at the field, with the words typed kept?"""
    response = client.post('/inquiries/new', data={
        'kind': 'inquiry', 'channel': 'phone', 'received_on': '2025-01-10',
        'category': 'policy', 'subject': LONG, 'statement': UNICODE})
    assert response.status_code == 422
    assert 'subject-error' in response.text and '山田 花子' in response.text

"""The demo requests: every state, one refused, one whose documents the first job destroys."""
from stintranet import seed
from stintranet.disclosure import catalogue as C
from stintranet.disclosure.jobs import destroy_expired_documents
from stintranet.disclosure.models import DisclosureRequest, RequestDocument
from stintranet.timezone import today_local


def test_demo_requests(app):
    """Does the demo hold requests in several states, one refused, and one completed more than
    six months ago whose documents the first daily job destroys (and the second leaves)?"""
    seed.seed_demo('Demo-password-for-tests-2026')
    states = [r.status for r in DisclosureRequest.select(DisclosureRequest.status)]
    assert set(states) == {C.RECEIVED, C.VERIFYING, C.IN_PROGRESS, C.RESPONDED, C.REFUSED,
                           C.COMPLETED}
    assert states.count(C.REFUSED) == 1
    proxies = {r.proxy_kind for r in DisclosureRequest.select(DisclosureRequest.proxy_kind)}
    assert proxies == {C.IN_PERSON, C.LEGAL_REPRESENTATIVE, C.APPOINTED_AGENT}
    today = today_local()
    due = DisclosureRequest.due_for_destruction(today)
    assert len(due) == 1
    assert RequestDocument.select().where(RequestDocument.request == due[0]).count() == 2
    assert destroy_expired_documents(today) == '1 requests destroyed (2 documents)'
    assert destroy_expired_documents(today) == '0 requests destroyed (0 documents)'
    assert DisclosureRequest.get_by_id(due[0]).requester_name == C.REDACTED
    linked = DisclosureRequest.select().where(DisclosureRequest.proxy_kind == C.APPOINTED_AGENT)
    assert linked.get().ledger_links.count() == 2

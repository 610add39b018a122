"""Each role's home page reads the user and its work list in a fixed number of queries,
the same at small and larger data sizes (the panels load from their own URLs)."""
from playhouse.test_utils import assert_query_count

from stintranet import seed
from tests.dashboard.data import PASSWORD, grow, sign_in

# The user (one query, with roles, managed departments and unread count), then one query
# per kind of work-list item the role calls for: every staff member's courses, pledge and
# corrective actions; the committee's PPC clocks, reports awaiting triage, reviews
# awaiting approval, actions to check and role grants awaiting approval; a manager's
# reviews due, entries without a current risk assessment, carry-outs and server-area
# entries without an exit; the committee's management reviews; the Customer Center's
# requests and inquiries; an auditor's inspections and actions to check; the committee's
# and the auditors' audit-chain break; the administrator's undelivered e-mails.
BUDGET = {'chair': 12, 'manager.sales': 8, 'auditor': 7, 'cc': 6, 'alice': 4, 'admin': 2}


def read_home_pages(client):
    """Every demo role's home page, each read within its budget: {local: item rows}."""
    rows = {}
    for local, budget in BUDGET.items():
        sign_in(client, local)
        client.get('/')  # warm the per-process caches (translations, templates)
        with assert_query_count(budget):
            response = client.get('/')
        client.post('/logout')
        assert response.status_code == 200, local
        rows[local] = response.text.count('<tr class="worklist-')
    return rows


def test_home_page_queries_are_constant(client):
    """Does each role's home page use its budget of queries at small and larger data?"""
    seed.seed_demo(PASSWORD)
    small = read_home_pages(client)
    grow()
    larger = read_home_pages(client)
    # The larger data set gives every role more to do, in the same number of queries.
    for local in BUDGET:
        assert larger[local] > small[local], (local, small[local], larger[local])

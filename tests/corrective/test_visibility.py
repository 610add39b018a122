"""Which corrective actions a person's list shows."""
from stintranet.corrective.models import CorrectiveAction
from tests import factories
from tests.incidents.factories import make_action, make_incident


def test_committee_and_auditors_list_every_action_others_their_own(app):
    """Do the committee and auditors list everyone's actions, with owner and department, and anyone else only their own?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    manager = factories.make_user(roles=('employee', 'manager'), department='SALES')
    alice = factories.make_user(department='SALES')
    bob = factories.make_user(department='HR')
    incident = make_incident()
    mine = make_action(incident, alice)
    theirs = make_action(incident, bob)
    own_of_manager = make_action(incident, manager)
    everything = {mine.id, theirs.id, own_of_manager.id}
    for reader in (committee, auditor):
        actions = list(CorrectiveAction.visible_to(reader))
        assert {a.id for a in actions} == everything
        assert {a.owner.department.code for a in actions} == {'SALES', 'HR'}
    assert [a.id for a in CorrectiveAction.visible_to(alice)] == [mine.id]
    assert [a.id for a in CorrectiveAction.visible_to(manager)] == [own_of_manager.id]
    assert list(CorrectiveAction.visible_to(factories.make_user())) == []

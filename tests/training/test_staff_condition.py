"""Who is staff: ``staff_condition()`` (compliance joins) agrees with ``staff_ids()``."""
from stintranet.admin import services as admin_services
from stintranet.auth.models import User
from stintranet.pledges import models as pledge_models
from stintranet.timezone import today_local
from stintranet.training import models
from stintranet.training.people import staff_condition, staff_ids
from tests import factories


def test_staff_condition_selects_the_staff_ids(app):
    """Active holders of a content role, and nobody else: admin-only, inactive and
    role-less accounts are not staff."""
    staff = [factories.make_user(roles=roles, department='SALES') for roles in (
        ('employee',), ('manager',), ('committee',), ('customer_center',), ('auditor',),
        ('admin', 'employee'))]
    admin_only = factories.make_user(roles=('admin',), department='SALES')
    roleless = factories.make_user(roles=(), department='SALES')
    inactive = factories.make_user(roles=('employee',), department='SALES')
    admin_services.set_active(inactive, False, None)
    by_condition = {u.id for u in User.select(User.id).where(staff_condition())}
    by_ids = {u.id for u in User.select(User.id).where(User.id.in_(staff_ids()))}
    assert by_condition == by_ids
    assert {u.id for u in staff} <= by_condition
    assert not {admin_only.id, roleless.id, inactive.id} & by_condition


def test_compliance_counts_staff_only(app):
    """Do the training and pledge figures per department count the staff only?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    factories.make_user(roles=('employee',), department='IT')
    factories.make_user(roles=('admin',), department='IT')
    gone = factories.make_user(roles=('employee',), department='IT')
    admin_services.set_active(gone, False, None)
    training = {r.code: r for r in models.compliance(committee, today_local())}
    assert training['IT'].assigned == 0  # no course yet, but the row is there
    pledges = {r.code: r for r in pledge_models.compliance(committee, None)}
    assert (pledges['IT'].people, pledges['IT'].signed) == (1, 0)
    assert pledges['LEGAL'].people == 1

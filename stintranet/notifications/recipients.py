"""Who hears of what: the holders of a role, the managers of departments."""
from ..auth import roles as R
from ..auth.models import ManagedDepartment, User, UserRole


def _active_holders(role):
    return (User.active == True) & User.id.in_(  # noqa: E712
        UserRole.select(UserRole.user).where(UserRole.role == role))


def holders(role):
    """Active holders of ``role`` (one query)."""
    return list(User.select().where(_active_holders(role)).order_by(User.id))


def managers_by_department(department_ids):
    """{department id: [active managers]} for the given departments, in one query."""
    ids = sorted({d for d in department_ids if d})
    if not ids:
        return {}
    result = {}
    query = (User.select(User, ManagedDepartment.department.alias('managed_id'))
             .join(ManagedDepartment, on=(ManagedDepartment.user == User.id))
             .where(ManagedDepartment.department.in_(ids) & _active_holders(R.MANAGER))
             .order_by(User.id).objects())
    for user in query:
        result.setdefault(user.managed_id, []).append(user)
    return result

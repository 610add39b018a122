"""Who is staff (takes training, signs the pledge) and which departments a reader sees.

Shared by training and pledges. Staff are active accounts holding any role but
the administrator's: an admin-only account never sees content pages
(separation of duties), so it is never assigned training nor asked to sign.
"""
from peewee import JOIN, SQL, fn

from ..auth import roles as R
from ..auth.models import Department, User, UserRole

CONTENT_ROLES = (R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR)
# Who reads compliance figures: the committee and auditors (all departments) and
# managers (theirs).
COMPLIANCE_ROLES = (R.COMMITTEE, R.AUDITOR, R.MANAGER)


def staff_ids():
    """Subquery of the ids of active staff."""
    return (User.select(User.id)
            .where((User.active == True)  # noqa: E712
                   & User.id.in_(UserRole.select(UserRole.user)
                                 .where(UserRole.role.in_(CONTENT_ROLES)))))


def staff_condition():
    """Whether the ``User`` row at hand is active staff: ``staff_ids()`` as a condition
    on that row (its active flag and an ``EXISTS`` on its roles).

    For joins from departments: there SQLite turns ``IN (staff_ids())`` into one seek
    per department and staff id; this is one probe of the roles per user
    (bench/README.md, "EXPLAIN findings").
    """
    return (User.active == True) & fn.EXISTS(  # noqa: E712
        UserRole.select(SQL('1')).where((UserRole.user == User.id)
                                        & UserRole.role.in_(CONTENT_ROLES)))


def is_staff(user):
    return bool(user.active) and user.has_role(*CONTENT_ROLES)


def role_holders(role):
    return UserRole.select(UserRole.user).where(UserRole.role == role)


def visible_departments(user):
    """The active departments whose compliance ``user`` may read (query)."""
    return Department.visible_to(user).where(Department.active == True)  # noqa: E712


def staff_in(department_ids):
    """Active staff of the departments, with their department (one query)."""
    return (User.select(User, Department)
            .join(Department, JOIN.INNER, on=(User.department == Department.id))
            .where(User.id.in_(staff_ids()) & User.department.in_(department_ids)))

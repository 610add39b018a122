"""Account and department forms."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from ..auth import roles as R
from ..auth.models import Department, User
from ..forms import CheckboxesField, options


class UserForm(FlaskForm):
    email = EmailField(_l('E-mail'), validators=[DataRequired(), Length(max=254),
                                                  Email(check_deliverability=False)])
    name = StringField(_l('Name'), validators=[DataRequired(), Length(max=120)])
    department = SelectField(_l('Department'), coerce=int, validators=[DataRequired()])
    roles = CheckboxesField(_l('Roles'), choices=[(r, R.LABELS[r]) for r in R.ROLES],
                            description=_l('Personal-information manager, Protection '
                                           'Committee, Customer Center and Audit Department '
                                           'take effect when a committee member approves '
                                           'them.'))
    managed = CheckboxesField(_l('Departments managed (for managers)'), coerce=int)

    def __init__(self, *args, user=None, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        include = [user.department_id] if user else []
        self.department.choices = options(Department.choices(include=include))
        # A four-eyes role asked for and not approved yet is ticked, and says so.
        pending = pending or {}
        self.roles.set_choices([
            (r, _l('%(role)s (awaiting approval)', role=R.LABELS[r]) if r in pending
             else R.LABELS[r]) for r in R.ROLES])
        waiting = pending[R.MANAGER].wanted_departments if R.MANAGER in pending else ()
        self.managed.set_choices(Department.choices(
            include=(list(user.managed_department_ids) if user else []) + list(waiting)))

    def validate_email(self, field):
        email = User.normalise_email(field.data)
        existing = User.by_email(email)
        if existing is not None and (self.user is None or existing.id != self.user.id):
            raise ValidationError(_l('Another account already uses this e-mail.'))

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(_l('Choose at least one role.'))
        conflicts = R.separation_conflicts(field.data)
        if conflicts:
            raise ValidationError(_l(
                'A system administrator cannot also hold %(roles)s: the administrator '
                'manages accounts and sees no content. Untick one of them.',
                roles=', '.join(str(R.LABELS[r]) for r in conflicts)))

    def validate_managed(self, field):
        if field.data and R.MANAGER not in (self.roles.data or []):
            raise ValidationError(_l('Only a personal-information manager manages departments.'))
        if R.MANAGER in (self.roles.data or []) and not field.data:
            raise ValidationError(_l('Choose the departments this manager manages.'))

    def validate_department(self, field):
        # Not a listed choice (already an error): the id may be any size, do not look it up.
        if not field.errors and not Department.get_or_none(Department.id == field.data):
            raise ValidationError(_l('Choose a department.'))


class DepartmentForm(FlaskForm):
    code = StringField(_l('Code'), validators=[DataRequired(), Length(max=16)],
                       description=_l('Capital letters, digits and underscores, e.g. SALES.'))
    name = StringField(_l('Name'), validators=[DataRequired(), Length(max=120)])
    active = BooleanField(_l('Active'), default=True)

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.department_obj = department

    def validate_code(self, field):
        code = (field.data or '').strip().upper()
        if not re.fullmatch(r'[A-Z][A-Z0-9_]{0,15}', code):
            raise ValidationError(_l('Use capital letters, digits and underscores, '
                                     'starting with a letter.'))
        existing = Department.get_or_none(Department.code == code)
        if existing is not None and (self.department_obj is None
                                     or existing.id != self.department_obj.id):
            raise ValidationError(_l('Another department already has this code.'))

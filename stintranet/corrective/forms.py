"""Corrective-action forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..auth import roles as R
from ..auth.models import Department, User, UserRole
from ..forms import VersionedForm, options
from ..timezone import today_local


def owner_choices(include=None):
    """Active accounts that hold a content role (admin-only accounts own nothing)."""
    content_roles = [r for r in R.ROLES if r != R.ADMIN]
    query = (User.select(User.id, User.name, Department.code)
             .join(Department, on=(User.department == Department.id))
             .where((User.active == True)  # noqa: E712
                    & User.id.in_(UserRole.select(UserRole.user)
                                  .where(UserRole.role.in_(content_roles))))
             .order_by(User.name))
    choices = [(u.id, '%s (%s)' % (u.name, u.department.code)) for u in query]
    if include is not None and include.id not in {c[0] for c in choices}:
        choices.append((include.id, include.name))
    return choices


class OwnerDueMixin:
    def validate_owner(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l('Choose the owner from the list.'))

    def validate_due_on(self, field):
        if field.data and field.data < today_local() and self.check_past_due:
            raise ValidationError(_l('The due date cannot be in the past.'))


class ActionForm(OwnerDueMixin, FlaskForm):
    title = StringField(_l('What will be done'), validators=[DataRequired(), Length(max=200)],
                        description=_l('One measure per action, e.g. "Encrypt the sales '
                                       'team\'s USB drives". No personal data.'))
    owner = SelectField(_l('Owner'), coerce=int, validators=[InputRequired()])
    due_on = DateField(_l('Due date'), validators=[InputRequired(
        message=_l('Give the due date as YYYY-MM-DD.'))])
    check_past_due = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = options(owner_choices())


class ReplanForm(OwnerDueMixin, VersionedForm):
    owner = SelectField(_l('Owner'), coerce=int, validators=[InputRequired()])
    due_on = DateField(_l('Due date'), validators=[InputRequired(
        message=_l('Give the due date as YYYY-MM-DD.'))])
    check_past_due = True

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = options(owner_choices(include=action.owner if action else None))


class StartForm(VersionedForm):
    """Start working on the action (the version only)."""


class CompleteForm(VersionedForm):
    evidence = TextAreaField(_l('Evidence of what was done'),
                             validators=[DataRequired(), Length(max=4000)],
                             description=_l('What was done, when, and where the proof is '
                                            '(e.g. a ticket number).'))


class VerifyForm(VersionedForm):
    check = TextAreaField(_l('Effectiveness check'), validators=[DataRequired(), Length(max=4000)],
                          description=_l('How you checked that the measure works.'))
    effective = RadioField(_l('Result'), choices=options([
        ('yes', _l('Effective: close the action')),
        ('no', _l('Not effective: send it back to the owner'))]),
        validators=[InputRequired(message=_l('Choose a result.'))])

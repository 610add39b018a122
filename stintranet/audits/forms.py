"""Inspection, checklist and finding forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..auth import roles as R
from ..auth.models import Department, User, UserRole, attach_roles
from ..forms import CheckboxesField, HiddenNumber, VersionedForm, options, required_date
from ..timezone import today_local
from . import checklist as C
from .models import SEVERITIES, SEVERITY_LABELS, own_department_ids


def auditors(include=()):
    """Active accounts holding the auditor role (plus ``include`` ids), with department."""
    query = (User.select(User, Department)
             .join(Department, on=(User.department == Department.id))
             .where(User.id.in_(UserRole.select(UserRole.user)
                                .where(UserRole.role == R.AUDITOR))
                    & (User.active == True))  # noqa: E712
             .order_by(User.name))
    return list(query)


def independence_problems(people, department_ids, departments):
    """Messages naming each auditor whose own (or managed) department is in the scope.

    ``people`` are (user, role label) pairs whose roles are loaded.
    """
    names = {d.id: d.code for d in departments}
    problems = []
    for user, role in people:
        clash = sorted(names.get(d, str(d)) for d in own_department_ids(user)
                       if d in department_ids)
        if clash:
            problems.append(_l(
                'Nobody may inspect their own department: %(name)s (%(role)s) belongs to '
                '%(codes)s. Take %(codes)s out of the scope or choose another auditor.',
                name=user.name, role=role, codes=', '.join(clash)))
    return problems


class PerformedOnMixin:
    def validate_performed_on(self, field):
        if field.data and field.data > today_local():
            raise ValidationError(_l('The inspection cannot have been performed in the future.'))


class InspectionForm(VersionedForm):
    title = StringField(_l('Title'), validators=[DataRequired(), Length(max=200)],
                        description=_l('e.g. "Annual inspection of the Sales Department".'))
    planned_on = required_date(_l('Planned date'),
                               message=_l('Give the planned date as YYYY-MM-DD.'))
    departments = CheckboxesField(_l('Departments inspected (scope)'), coerce=int)
    lead = SelectField(_l('Lead auditor'), coerce=int, validators=[InputRequired(
        message=_l('Choose the lead auditor.'))])
    team = CheckboxesField(_l('Team members'), coerce=int)
    objective = TextAreaField(_l('Objective and criteria'), validators=[Length(max=4000)],
                              description=_l('What the inspection checks and against '
                                             'what (policy, JIS Q 15001, the last findings).'))

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, new=inspection is None, **kwargs)
        include = set(inspection.department_ids()) if inspection else set()
        self.departments.choices = options(
            (d.id, '%s — %s' % (d.code, d.name))
            for d in Department.select().order_by(Department.code)
            if d.active or d.id in include)
        self.auditor_list = attach_roles(auditors())
        choices = [(u.id, '%s (%s)' % (u.name, u.department.code)) for u in self.auditor_list]
        self.lead.choices = options([(0, _l('Choose…'))] + choices)
        self.team.choices = options(choices)

    def auditor(self, user_id):
        return next((u for u in self.auditor_list if u.id == user_id), None)

    def validate_departments(self, field):
        if not field.data:
            raise ValidationError(_l('Choose at least one department to inspect.'))

    def validate_lead(self, field):
        if self.auditor(field.data) is None:
            raise ValidationError(_l('Choose the lead auditor from the list of auditors.'))

    def validate_team(self, field):
        if field.data and self.lead.data in field.data:
            raise ValidationError(_l('The lead auditor is already on the inspection; '
                                     'untick them among the team members.'))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.departments.errors or self.lead.errors or self.team.errors:
            return False
        people = [(self.auditor(self.lead.data), _l('lead auditor'))]
        people += [(self.auditor(i), _l('team member')) for i in self.team.data or []]
        chosen = [d for d in Department.select().where(
            Department.id.in_(self.departments.data))]
        problems = independence_problems([p for p in people if p[0] is not None],
                                         set(self.departments.data), chosen)
        if problems:
            self.departments.errors = list(self.departments.errors) + problems
            return False
        return ok

    def lead_user(self):
        return self.auditor(self.lead.data)

    def team_users(self):
        return [self.auditor(i) for i in self.team.data or []]


class StartForm(PerformedOnMixin, VersionedForm):
    performed_on = required_date(_l('Date performed'),
                                 message=_l('Give the date of the inspection as YYYY-MM-DD.'),
                                 description=_l('The day the fieldwork began.'))


class ReportForm(PerformedOnMixin, VersionedForm):
    performed_on = required_date(_l('Date performed'),
                                 message=_l('Give the date of the inspection as YYYY-MM-DD.'))
    summary = TextAreaField(_l('Conclusion'), validators=[
        DataRequired(message=_l('Write the conclusion of the inspection.')), Length(max=8000)],
        description=_l('The overall opinion and the main points for the departments and '
                       'the committee. No personal data.'))


class CancelForm(VersionedForm):
    reason = StringField(_l('Reason for cancelling'), validators=[
        DataRequired(message=_l('Say why the inspection is cancelled.')), Length(max=500)])


class FindingForm(VersionedForm):
    """A finding; ``new=True`` for one not recorded yet."""
    department = SelectField(_l('Department concerned'), coerce=int, validators=[
        InputRequired(message=_l('Choose the department concerned.'))])
    item = SelectField(_l('Checklist item'), validators=[Optional()])
    severity = RadioField(_l('Severity'), choices=options((s, SEVERITY_LABELS[s])
                                                          for s in SEVERITIES),
                          validators=[InputRequired(message=_l('Choose the severity.'))])
    title = StringField(_l('Finding'), validators=[DataRequired(), Length(max=200)],
                        description=_l('One sentence, e.g. "Two USB drives holding customer '
                                       'lists were not encrypted". No personal data.'))
    description = TextAreaField(_l('What was seen and the requirement'), validators=[
        DataRequired(), Length(max=8000)],
        description=_l('The evidence (where, what, how many) and the rule it departs from.'))

    def __init__(self, *args, scope=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = options([(0, _l('Choose…'))] + [
            (d.id, '%s — %s' % (d.code, d.name)) for d in scope])
        self.item.choices = options([('', _l('Not tied to one item'))] + [
            (item.key, '%d. %s' % (n, shorten(item.question)))
            for n, item in enumerate(C.ITEMS, start=1)])

    def validate_department(self, field):
        if field.data not in {c.value for c in field.choices[1:]}:
            raise ValidationError(_l('Choose one of the departments in the scope.'))


def shorten(text, width=90):
    return text if len(text) <= width else text[:width - 1].rstrip() + '…'


RESULT_CHOICES = [('', _l('Not answered yet'))] + [(r, C.RESULT_LABELS[r]) for r in C.RESULTS]


def checklist_form(answers, fresh=False):
    """A form with a result, a note and a version per answer of one department.

    ``fresh`` ignores the request's data (the saved answers after a save).

    Field names carry the item key (``result-ledger_complete``) so the form
    maps back to the answers whatever their order.
    """
    class ChecklistForm(FlaskForm):
        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            for answer in answers:
                result = self['result-' + answer.item_key]
                note = self['note-' + answer.item_key]
                if result.data in C.NEEDS_FINDING and not (note.data or '').strip():
                    note.errors = list(note.errors) + [str(_l(
                        'Say what you saw: a note is needed for a nonconformity or an '
                        'observation.'))]
                    ok = False
            return ok

        def submitted(self):
            """{item key: (result or None, note, version or None)}."""
            found = {}
            for answer in answers:
                raw = self['version-' + answer.item_key].data
                found[answer.item_key] = (
                    self['result-' + answer.item_key].data or None,
                    (self['note-' + answer.item_key].data or '').strip(),
                    int(raw) if raw and str(raw).isdigit() else None)
            return found

    for answer in answers:
        setattr(ChecklistForm, 'result-' + answer.item_key, SelectField(
            _l('Result'), choices=options(RESULT_CHOICES), default=answer.result or '',
            validators=[Optional()]))
        setattr(ChecklistForm, 'note-' + answer.item_key, TextAreaField(
            _l('Note'), default=answer.note, validators=[Length(max=4000)]))
        setattr(ChecklistForm, 'version-' + answer.item_key, HiddenNumber(
            default=answer.version, minimum=1))
    return ChecklistForm(formdata=None) if fresh else ChecklistForm()

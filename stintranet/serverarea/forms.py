"""Forms of the server area. The door's forms are made of choices (buttons on the page)
and a few optional words, so they can be filled in on a tablet without a keyboard."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..auth import roles as R
from ..auth.models import Department, User, UserRole
from ..forms import ChoiceField, VersionedForm, choice_values, optional_date, required_date
from ..notifications.recipients import holders, managers_by_department
from . import catalogue as C

VISITOR = 'visitor'


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label, max_length, required=False, **kwargs):
    validators = [DataRequired(message=_l('This field is required.'))] if required else []
    return StringField(label, validators=validators + [Length(max=max_length)],
                       filters=[strip], **kwargs)


def department_choices(user, include=None):
    """The departments whose areas ``user`` may manage: every active one for the committee,
    the managed ones for a manager (one query)."""
    query = Department.select().order_by(Department.code)
    if not user.has_role(R.COMMITTEE):
        query = query.where(Department.id.in_(sorted(user.managed_department_ids) or [0]))
    return [(d.id, '%s — %s' % (d.code, d.name)) for d in query
            if d.active or d.id == include]


def people_choices():
    """Active accounts with a role other than administration only, by name (one query)."""
    content = UserRole.select(UserRole.user).where(UserRole.role != R.ADMIN)
    query = (User.select(User.id, User.name, Department.code)
             .join(Department, on=(User.department == Department.id))
             .where(User.id.in_(content) & (User.active == True))  # noqa: E712
             .order_by(Department.code, User.name))
    return [(u.id, '%s — %s' % (u.name, u.department.code)) for u in query]


def approvers(area):
    """Who may approve a device for ``area``: its department's managers, then the committee
    (two queries)."""
    found = {}
    for user in managers_by_department([area.department_id]).get(area.department_id, []):
        found[user.id] = user
    for user in holders(R.COMMITTEE):
        found.setdefault(user.id, user)
    return list(found.values())


class AreaForm(FlaskForm):
    name = text(_l('Name of the area'), 100, required=True,
                description=_l('As the sign on the door says, e.g. "Server room, 3rd floor".'))
    department = ChoiceField(_l('Department in charge'), coerce=int,
                             validators=[InputRequired(message=_l('Choose the department.'))],
                             invalid_message=_l('Choose one of the listed departments.'))
    location = text(_l('Location'), 200)
    note = TextAreaField(_l('Rules of the area'), validators=[Length(max=4000)],
                         filters=[strip], render_kw={'rows': 3},
                         description=_l('What visitors must know: devices allowed, '
                                        'escort, photography.'))
    active = BooleanField(_l('In use'), default=True)

    def __init__(self, *args, user=None, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.department.set_choices(department_choices(
            user, include=area.department_id if area else None))

    def validate_name(self, field):
        from .models import ServerArea
        if not field.data or str(self.department.data) not in choice_values(
                self.department.choices):
            return
        query = ServerArea.select().where((ServerArea.name == field.data)
                                          & (ServerArea.department == self.department.data))
        if self.area is not None:
            query = query.where(ServerArea.id != self.area.id)
        if query.exists():
            raise ValidationError(_l('The department already has an area of this name.'))

    def service_data(self):
        return {'name': self.name.data, 'department': int(self.department.data),
                'location': self.location.data or '', 'note': self.note.data or '',
                'active': bool(self.active.data)}


class AreaEditForm(VersionedForm, AreaForm):
    pass


class AuthoriseForm(FlaskForm):
    user = ChoiceField(_l('Person'),
                       validators=[InputRequired(message=_l('Choose the person.'))],
                       invalid_message=_l('Choose one of the listed people.'))
    valid_from = required_date(_l('Authorised from'))
    valid_until = optional_date(_l('Authorised until'),
                                description=_l('Leave empty for no end date.'))
    note = text(_l('Note'), 200, description=_l('e.g. "Backup operator", "Facility '
                                                 'maintenance contract".'))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user.set_choices([('', _l('Choose…'))] + people_choices())

    def validate_valid_until(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_l('The end cannot be before the start.'))


class EntryForm(FlaskForm):
    """The door: a purpose (buttons), then the person's button, or a visitor's name and
    company with the escort's button."""
    purpose = ChoiceField(_l('Purpose'), choices=C.PURPOSES,
                          validators=[InputRequired(message=_l('Choose the purpose first.'))])
    purpose_detail = text(_l('Purpose in a few words'), 200)
    person = ChoiceField(_l('Who enters'),
                         validators=[InputRequired(message=_l('Choose who enters.'))],
                         invalid_message=_l('This person is not on the list.'))
    visitor_name = text(_l("Visitor's name"), 120)
    visitor_company = text(_l("Visitor's company"), 120)
    escort = ChoiceField(_l('Escort'), coerce=str,
                         invalid_message=_l('Choose the escort among the authorised persons.'))

    def __init__(self, *args, people=(), **kwargs):
        """``people``: the ``AuthorisedPerson`` rows valid today, with their accounts."""
        super().__init__(*args, **kwargs)
        pairs = [(str(p.user.id), p.user.name) for p in people]
        self.person.set_choices(pairs + [(VISITOR, _l('Visitor or someone not authorised'))])
        self.escort.set_choices([('', _l('No escort'))] + pairs)

    def validate_purpose_detail(self, field):
        if self.purpose.data == C.OTHER and not field.data:
            raise ValidationError(_l('Say what the other purpose is.'))

    def validate_visitor_name(self, field):
        if self.person.data == VISITOR and not field.data:
            raise ValidationError(_l("Enter the visitor's name."))

    def person_id(self):
        return None if self.person.data == VISITOR else int(self.person.data)

    def escort_id(self):
        return int(self.escort.data) if self.escort.data else None


class DeviceForm(FlaskForm):
    kind = ChoiceField(_l('Device'), choices=C.DEVICE_KINDS,
                       validators=[InputRequired(message=_l('Choose the kind of device.'))])
    description = text(_l('Description'), 200,
                       description=_l('Maker, model or asset tag, if known.'))
    inspected = ChoiceField(_l('Inspected at the door'),
                            choices=[('yes', _l('Inspected')), ('no', _l('Not inspected'))],
                            validators=[InputRequired(
                                message=_l('Say whether the device was inspected.'))])
    approver = ChoiceField(_l('Approved by'), coerce=str,
                           invalid_message=_l('Choose a manager of the area or a committee '
                                              'member.'))

    def __init__(self, *args, approver_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.approver.set_choices([('', _l('Not approved yet'))] + [
            (str(u.id), u.name) for u in approver_choices])

    def validate_description(self, field):
        if self.kind.data == C.OTHER and not field.data:
            raise ValidationError(_l('Describe the device.'))

    def approver_id(self):
        return int(self.approver.data) if self.approver.data else None


class ConfirmForm(FlaskForm):
    """A one-button POST (exit, approve, take out, end an authorisation)."""


class EntryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = text(_l('Search'), 100)
    area = ChoiceField(_l('Area'), invalid_message=_l('Choose one of the listed areas.'))
    state = ChoiceField(_l('Show'), choices=[('', _l('All entries'))] + list(C.ENTRY_STATES))
    day_from = optional_date(_l('Entered from'))
    day_to = optional_date(_l('Entered until'))

    def __init__(self, formdata, areas=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.area.set_choices([('', _l('All'))] + list(areas))

    def filters(self):
        return {'q': self.q.data or None,
                'area_id': int(self.area.data) if self.area.data else None,
                'state': self.state.data or None, 'day_from': self.day_from.data,
                'day_to': self.day_to.data}


class DeviceFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = text(_l('Search'), 100)
    area = ChoiceField(_l('Area'), invalid_message=_l('Choose one of the listed areas.'))
    state = ChoiceField(_l('Show'), choices=[('', _l('All devices'))] + list(C.DEVICE_STATES))

    def __init__(self, formdata, areas=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.area.set_choices([('', _l('All'))] + list(areas))

    def filters(self):
        return {'q': self.q.data or None,
                'area_id': int(self.area.data) if self.area.data else None,
                'state': self.state.data or None}

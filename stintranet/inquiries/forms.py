"""Forms of inquiries and complaints."""
import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..forms import ChoiceField, VersionedForm, not_in_future, optional_date, required_date
from ..timezone import office_zone, today_local
from . import catalogue as C

REQUIRED = _l('This field is required.')


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label, max_length, required=False, **kwargs):
    validators = [DataRequired(message=REQUIRED)] if required else []
    return StringField(label, validators=validators + [Length(max=max_length)],
                       filters=[strip], **kwargs)


def area(label, max_length, required=False, rows=4, **kwargs):
    validators = [DataRequired(message=REQUIRED)] if required else []
    return TextAreaField(label, validators=validators + [Length(max=max_length)],
                         filters=[strip], render_kw={'rows': rows}, **kwargs)


def valid_time(form, field):
    if field.data and not _parse_time(field.data):
        raise ValidationError(_l('Enter the time as HH:MM (24-hour clock).'))


def _parse_time(raw):
    try:
        return datetime.datetime.strptime(raw.strip(), '%H:%M').time()
    except ValueError:
        return None


class InquiryForm(FlaskForm):
    kind = ChoiceField(_l('Inquiry or complaint'), choices=C.KINDS,
                       validators=[InputRequired(message=_l('Choose inquiry or complaint.'))])
    channel = ChoiceField(_l('Received by'), choices=[('', _l('Choose…'))] + list(C.CHANNELS),
                          validators=[InputRequired(message=_l('Choose how it was received.'))])
    received_on = required_date(_l('Received on'), not_in_future)
    received_time = StringField(_l('Received at (time)'), filters=[strip],
                                validators=[Length(max=5), valid_time],
                                description=_l('HH:MM, Japan time; empty for the start of '
                                               'the day.'))
    category = ChoiceField(_l('Category'), choices=[('', _l('Choose…'))] + list(C.CATEGORIES),
                           validators=[InputRequired(message=_l('Choose the category.'))])
    subject = text(_l('Subject'), 200, required=True,
                   description=_l('A few words for the list, without personal data, e.g. '
                                  '"Why a catalogue was sent".'))
    contact_name = text(_l('Name of the person'), 200,
                        description=_l('Stored encrypted; every read is logged.'))
    contact_details = area(_l('Contact details'), 1000, rows=3,
                           description=_l('Address, telephone or e-mail for the answer. '
                                          'Stored encrypted.'))
    # Not "content": the page's <main> has that id.
    statement = area(_l('What the person said'), 10000, required=True, rows=6,
                   description=_l('Stored encrypted.'))
    due_on = optional_date(_l('Answer due by'),
                           description=_l('Empty: the default number of days after receipt.'))

    def received_at_local(self):
        """The moment received, in the office's zone (naive)."""
        moment = _parse_time(self.received_time.data) if self.received_time.data else None
        return datetime.datetime.combine(self.received_on.data, moment or datetime.time())

    def validate_due_on(self, field):
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError(_l('The due date cannot be before the day received.'))

    def validate_received_time(self, field):
        if (field.data and self.received_on.data == today_local()
                and _parse_time(field.data) is not None):
            now = datetime.datetime.now(office_zone()).time()
            if _parse_time(field.data) > now:
                raise ValidationError(_l('The time cannot be in the future.'))

    def service_data(self):
        return {name: getattr(self, name).data or '' for name in (
            'kind', 'channel', 'category', 'subject', 'contact_name', 'contact_details')} | {
            'content': self.statement.data or '', 'received_local': self.received_at_local(),
            'due_on': self.due_on.data}


class InquiryEditForm(VersionedForm, InquiryForm):
    pass


class AnswerForm(VersionedForm):
    answer = area(_l('The answer given'), 10000, required=True, rows=5,
                  description=_l('What was answered, and how (telephone, letter, e-mail). '
                                 'Stored encrypted.'))
    answered_on = required_date(_l('Answered on'), not_in_future)


class StateForm(VersionedForm):
    """Close or reopen (the version only)."""


class LinkForm(FlaskForm):
    kind = ChoiceField(_l('It became'), choices=C.LINK_KINDS,
                       validators=[InputRequired(message=_l('Choose what it became.'))])
    reference = text(_l('Reference'), 20, required=True,
                     description=_l('DR-00012 for a Request for Disclosure, INC-2026-0007 for '
                                    'an incident.'))
    note = text(_l('Note'), 200)


class UnlinkForm(FlaskForm):
    """Remove a link (CSRF only)."""


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = text(_l('Search'), 100)
    status = ChoiceField(_l('Status'), choices=C.STATUS_FILTERS)
    kind = ChoiceField(_l('Inquiry or complaint'), choices=[('', _l('All'))] + list(C.KINDS))
    category = ChoiceField(_l('Category'), choices=[('', _l('All'))] + list(C.CATEGORIES))

    def filters(self):
        return {'q': self.q.data or None, 'status': self.status.data or None,
                'kind': self.kind.data or None, 'category': self.category.data or None}

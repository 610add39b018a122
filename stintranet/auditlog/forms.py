"""The audit-log filter form (GET)."""
import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import PersonField

# Dates outside this range overflow when turned into UTC bounds (year 1 or 9999).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2999, 12, 31)


def within_range(form, field):
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l('Choose a date between %(start)s and %(end)s.',
                                 start=EARLIEST.isoformat(), end=LATEST.isoformat()))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = PersonField(_l('Person'))
    action = SelectField(_l('Action'), coerce=str, validators=[Optional()])
    object_type = SelectField(_l('Object type'), coerce=str, validators=[Optional()])
    object_id = StringField(_l('Object id'), validators=[Optional(), Length(max=64)])
    date_from = DateField(lazy_pgettext('date range', 'From'),
                          validators=[Optional(), within_range])
    date_to = DateField(lazy_pgettext('date range', 'To'), validators=[Optional(), within_range])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l('The end date is before the start date.'))

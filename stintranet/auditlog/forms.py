"""The audit-log filter form (GET)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = SelectField(_l('Person'), coerce=str, validators=[Optional()])
    action = SelectField(_l('Action'), coerce=str, validators=[Optional()])
    object_type = SelectField(_l('Object type'), coerce=str, validators=[Optional()])
    object_id = StringField(_l('Object id'), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l('From'), validators=[Optional()])
    date_to = DateField(_l('To'), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l('The end date is before the start date.'))

"""Forms of the management review: its details, the meeting, a decision per input area
(with the corrective action it may raise), the list's filters."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..corrective.forms import owner_choices
from ..forms import ChoiceField, VersionedForm, not_in_future, optional_date, required_date
from ..inputs import int_arg
from ..timezone import today_local
from . import catalogue as C

REQUIRED = _l('This field is required.')
TEXT_MAX = 10000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def area(label, max_length=TEXT_MAX, rows=4, **kwargs):
    return TextAreaField(label, validators=[Length(max=max_length)], filters=[strip],
                         render_kw={'rows': rows}, **kwargs)


class ReviewForm(VersionedForm):
    """The details of a review (new: ``new=True``; the conclusion is written later)."""
    title = StringField(_l('Title'), filters=[strip],
                        validators=[DataRequired(message=REQUIRED), Length(max=200)],
                        description=_l('e.g. “2026年度 マネジメントレビュー”.'))
    period_start = required_date(_l('Period reviewed: from'))
    period_end = required_date(_l('Period reviewed: to'))
    planned_on = required_date(_l('Meeting planned on'))
    top_management = StringField(_l('Top management (代表者)'), filters=[strip],
                                 validators=[Length(max=200)],
                                 description=_l('Who reviews: e.g. “代表取締役社長 山田 太郎”. '
                                                'Needed before the review is marked held.'))
    attendees = area(_l('Attendees'), 2000, rows=2,
                     description=_l('e.g. the personal-information protection manager, the '
                                    'audit manager, the committee members.'))
    law_changes = area(_l('Changes in laws, guidelines and the environment'), rows=5,
                       description=_l('Typed by the committee: amendments of the APPI, new '
                                      'PPC guidelines or Q&As, JIS Q 15001, contracts, '
                                      'changes in the business and its risks.'))

    def validate_period_end(self, field):
        start = self.period_start.data
        if field.data and start and field.data < start:
            raise ValidationError(_('The end of the period cannot be before its start.'))
        if field.data and start and (field.data - start).days > 731:
            raise ValidationError(_('A review covers at most two years.'))

    def validate_period_start(self, field):
        if field.data and field.data > today_local():
            raise ValidationError(_('The period cannot start in the future.'))

    def service_data(self):
        names = ('title', 'period_start', 'period_end', 'planned_on', 'top_management',
                 'attendees', 'law_changes')
        return {name: getattr(self, name).data for name in names}


class EditForm(ReviewForm):
    summary = area(_l('Conclusion of the review'), rows=5,
                   description=_l('The top management\'s overall conclusion on whether the '
                                  'management system is suitable, adequate and effective. '
                                  'Needed to close the review.'))

    def service_data(self):
        return dict(super().service_data(), summary=self.summary.data)


class HoldForm(VersionedForm):
    held_on = required_date(_l('Held on'), not_in_future)


class StateForm(VersionedForm):
    """Gather the inputs again, or close (the version only)."""


class DecisionForm(FlaskForm):
    """The decision on one input area; an action title raises a corrective action."""
    version = HiddenField()
    decision = area(_l('Decision'), rows=3,
                    description=_l('What the top management concluded and decided on this '
                                   'input; “no change needed” is a decision too.'))
    action_title = StringField(_l('Action to take'), filters=[strip],
                               validators=[Length(max=200)])
    action_owner = ChoiceField(_l('Owner of the action'), validators=[Optional()])
    action_due = optional_date(_l('Action due by'))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_owner.set_choices([('', _l('— choose —'))]
                                      + [(str(k), v) for k, v in owner_choices()])

    def validate_decision(self, field):
        if not field.data:
            raise ValidationError(_('Write the decision.'))

    def validate_version(self, field):
        raw = (field.data or '').strip()
        if raw and int_arg(raw, minimum=1) is None:
            raise ValidationError(_('This form is incomplete or damaged: open the page again '
                                    'and repeat your change.'))

    def validate_action_due(self, field):
        if field.data is not None and field.data < today_local():
            raise ValidationError(_('The due date cannot be in the past.'))

    def validate(self, extra_validators=None):
        """An action needs its owner and due date (checked here: both fields are optional
        alone, and an optional field's own checks stop when it is empty)."""
        ok = super().validate(extra_validators)
        if self.action_title.data:
            if not self.action_owner.data and not self.action_owner.errors:
                self.action_owner.errors = [_('Choose who owns the action.')]
                ok = False
            if self.action_due.data is None and not self.action_due.errors:
                self.action_due.errors = [_('Give the date the action is due by.')]
                ok = False
        return ok

    def version_value(self):
        return int_arg((self.version.data or '').strip(), minimum=1)

    def action(self):
        """(title, owner id, due date) of the action to raise, or None."""
        if not self.action_title.data:
            return None
        return self.action_title.data, int(self.action_owner.data), self.action_due.data


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = ChoiceField(_l('Status'), choices=C.STATUS_FILTERS)
    year = StringField(_l('Year of the meeting'), filters=[strip],
                       validators=[Length(max=4)])

    def validate_year(self, field):
        if field.data and (int_arg(field.data) is None or not 2000 <= int(field.data) <= 2100):
            raise ValidationError(_('Enter a year such as 2026.'))

    def filters(self):
        return {'status': self.status.data or None,
                'year': int(self.year.data) if self.year.data else None}

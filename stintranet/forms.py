"""Form pieces shared by the capabilities: choice fields, dates and the versioned form.

Choices are given as (value, label) pairs and handed to WTForms as ``SelectChoice``
objects: WTForms 3.3 deprecates tuple choices and 3.4 removes them.
"""
import datetime

from babel import Locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, html_params

from .inputs import int_arg
from .timezone import today_local

EARLIEST = datetime.date(2000, 1, 1)
DATE_FORMAT_MESSAGE = _l('Enter the date as YYYY-MM-DD.')


def options(pairs):
    """(value, label) pairs (or ``SelectChoice`` objects, kept) as WTForms choices."""
    return [pair if isinstance(pair, SelectChoice) else SelectChoice(value=pair[0],
                                                                     label=pair[1])
            for pair in pairs or ()]


def choice_values(choices):
    """The values of ``choices`` as strings, as they come back from a form."""
    return {str(choice.value) for choice in options(choices)}


class ChoiceField(SelectField):
    """A select; a value that is not among the choices gets a readable message.

    An empty value passes here and is left to the field's validators
    (``InputRequired`` or ``Optional``).
    """

    def __init__(self, label=None, validators=None, choices=(), invalid_message=None,
                 **kwargs):
        super().__init__(label, validators, choices=options(choices), **kwargs)
        self.invalid_message = invalid_message

    def set_choices(self, pairs):
        self.choices = options(pairs)

    def pre_validate(self, form):
        if self.data in (None, ''):
            return
        if str(self.data) not in choice_values(self.choices):
            message = self.invalid_message or _l('Choose one of the options.')
            raise ValidationError(message % {'value': self.data})


class _MultipleChoices(SelectMultipleField):
    """Several values among the choices; an unknown one gets a readable message,
    which may name the unknown values as ``%(values)s``."""

    def __init__(self, label=None, validators=None, choices=(), unknown_message=None,
                 **kwargs):
        super().__init__(label, validators, choices=options(choices), **kwargs)
        self.unknown_message = unknown_message

    def set_choices(self, pairs):
        self.choices = options(pairs)

    def pre_validate(self, form):
        known = choice_values(self.choices)
        unknown = [str(value) for value in self.data or () if str(value) not in known]
        if unknown:
            message = self.unknown_message or _l(
                'One of the ticked options is not available to you.')
            raise ValidationError(message % {'values': ', '.join(unknown)})


class CheckboxesField(_MultipleChoices):
    """Check boxes; the form macro shows them in a fieldset whose legend is the label
    (the field's ``checkboxes`` flag)."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flags.checkboxes = True


class MultiChoiceField(_MultipleChoices):
    """A multiple select, for long lists such as countries."""


class DateInput(DateField):
    """A date (YYYY-MM-DD) from 2000 on, with a readable message for anything else."""

    def __init__(self, label=None, validators=None, parse_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parse_message = parse_message or DATE_FORMAT_MESSAGE

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.parse_message) from None
        if self.data is not None and self.data < EARLIEST:
            self.data = None
            raise ValueError(_('Enter a date from %(day)s on.', day=EARLIEST.isoformat()))


def required_date(label, *extra, message=None, **kwargs):
    """A date that must be given; ``message`` when it is missing or unreadable."""
    message = message or DATE_FORMAT_MESSAGE
    return DateInput(label, validators=[InputRequired(message=message), *extra],
                     parse_message=message, **kwargs)


def optional_date(label, *extra, **kwargs):
    return DateInput(label, validators=[Optional(), *extra], **kwargs)


def not_in_future(form, field):
    """No later than today in Japan."""
    if field.data is not None and field.data > today_local():
        raise ValidationError(_('The date cannot be in the future.'))


DAMAGED_MESSAGE = _l('This form is incomplete or damaged: open the page again and repeat '
                     'your change.')


class HiddenNumber(HiddenField):
    """A hidden whole number the page filled in (an id, the number a text is based on),
    validated like a visible field: missing (unless ``required=False``), not a whole
    number, or below ``minimum``, and the form does not validate. ``data`` stays text."""

    def __init__(self, label=None, validators=None, minimum=0, required=True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.required = minimum, required

    def pre_validate(self, form):
        raw = '' if self.data is None else str(self.data)
        if raw == '' and not self.required:
            return
        if int_arg(raw, minimum=self.minimum) is None:
            raise ValidationError(DAMAGED_MESSAGE)

    def number(self):
        """The value as an int (None when it is not one)."""
        return int_arg('' if self.data is None else str(self.data), minimum=self.minimum)


class VersionedForm(FlaskForm):
    """Carries the version the person saw, so a stale save gets 409 instead of winning.

    The hidden ``version`` is validated like any field: missing or not a whole
    number, the form does not validate and the view answers 422 with it. A form
    for a new record (``new=True``) has no version yet.
    """
    version = HiddenField()

    def __init__(self, *args, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_record = new

    def validate_version(self, field):
        if not self.new_record and self.version_of(field.data) is None:
            raise ValidationError(DAMAGED_MESSAGE)

    @staticmethod
    def version_of(raw):
        """``raw`` (posted text, or the int a view set) as a version, or None."""
        return int_arg('' if raw is None else str(raw), minimum=1)

    def version_value(self):
        """The version posted, as an int (None when the form did not validate)."""
        return self.version_of(self.version.data)


class CountryInput:
    """A text input offering the countries in a ``<datalist>``: the person types a few
    letters and picks from the browser's suggestions by keyboard or mouse; without
    JavaScript or datalist support it is a plain text field that the server reads."""
    input_type = 'text'

    def __call__(self, field, **kwargs):
        list_id = '%s-options' % field.id
        kwargs.setdefault('id', field.id)
        kwargs.update(type='text', name=field.name, value=field.display_value(),
                      list=list_id, autocomplete='off')
        options_html = ''.join('<option value="%s"></option>' % escape(label)
                               for label in field.option_labels())
        return Markup('<input %s><datalist id="%s">%s</datalist>'
                      % (html_params(**kwargs), list_id, options_html))


class CountryField(StringField):
    """One country of a long list, typed and picked from suggestions (see
    ``CountryInput``). Accepts the suggestion ("Japan (JP)"), the name in the person's
    language or in English, or the two-letter code; ``data`` is the code, '' when
    nothing was typed, None when what was typed is not a country (an error)."""
    widget = CountryInput()

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message
        self.pairs = []
        self.typed = None

    def set_choices(self, pairs):
        """(code, name) pairs, in the order they are offered."""
        self.pairs = [(str(code), str(name)) for code, name in pairs]
        if self.typed is not None:
            self.data = self.lookup(self.typed)

    @staticmethod
    def label_of(code, name):
        return '%s (%s)' % (name, code)

    def option_labels(self):
        return [self.label_of(code, name) for code, name in self.pairs]

    def lookup(self, text):
        """The code of the country ``text`` names, '' for nothing, None if none."""
        key = (text or '').strip().casefold()
        if not key:
            return ''
        for code, name in self.pairs:
            if key in (code.casefold(), name.casefold(), self.label_of(code, name).casefold()):
                return code
        offered = {code for code, _name in self.pairs}
        for code, name in english_country_names():
            if code in offered and key == name.casefold():
                return code
        return None

    def process_formdata(self, valuelist):
        if valuelist:
            self.typed = valuelist[0]
            self.data = self.lookup(self.typed)

    def pre_validate(self, form):
        if self.data is None:
            raise ValidationError(self.invalid_message or _l('Choose a country from the list.'))

    def display_value(self):
        """What the input shows: the typed text while it is not a country, else the
        country's suggestion."""
        if self.data is None:
            return self.typed or ''
        for code, name in self.pairs:
            if code == self.data:
                return self.label_of(code, name)
        return self.data or ''


class PersonField(CountryField):
    """One person of many (hundreds of accounts), typed and picked from suggestions like a
    country: accepts the suggestion ("Name <e-mail>"), the e-mail address, or the
    account's number (links to a filtered page carry it); ``data`` is the account's
    number as a string, '' when nothing was typed, None when no account matches.

    A type-to-search field rather than a select: a select of every account is long to
    scroll and costs a WTForms option per account on every page view."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault('default', '')  # not in the query: anyone
        super().__init__(label, validators, **kwargs)

    def set_people(self, people):
        """(id, name, e-mail) of the people offered, in order."""
        self.emails = {str(uid): email.casefold() for uid, _name, email in people}
        self.set_choices([(uid, '%s <%s>' % (name, email)) for uid, name, email in people])

    @staticmethod
    def label_of(code, name):
        return name

    def lookup(self, text):
        key = (text or '').strip().casefold()
        if not key:
            return ''
        for code, label in self.pairs:
            if key in (code, label.casefold(), getattr(self, 'emails', {}).get(code)):
                return code
        return None

    def pre_validate(self, form):
        if self.data is None:
            raise ValidationError(self.invalid_message or _l('Choose a person from the list.'))


def english_country_names():
    """(code, English name) of every territory Babel knows (names typed in English are
    accepted whatever the interface language)."""
    return Locale.parse('en').territories.items()

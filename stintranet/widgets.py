"""Form widgets and field checks shared by the capabilities."""
from markupsafe import Markup, escape
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params

try:  # WTForms 3.3: options are declared as SelectChoice and rendered from Choice
    from wtforms.fields.choices import Choice, SelectChoice
except ImportError:  # pragma: no cover - older WTForms: the plain Select
    Choice = SelectChoice = None


class OptionsSelect(Select):
    """WTForms' ``Select``, with each ``<option>`` rendered once per value, label and
    state and then kept (per process, bounded): WTForms takes ~15 µs an option, and
    the ledger list's filters show 90 options, the entry form's countries 250 and the
    audit log's people 500. Options with attributes or groups, and values that are not
    strings, render as WTForms renders them."""

    MAX_OPTIONS = 5000
    _options = {}

    def __call__(self, field, **kwargs):
        choices = field.choices
        if self.multiple or Choice is None or not isinstance(choices, (list, tuple)):
            return super().__call__(field, **kwargs)
        kwargs.setdefault('id', field.id)
        flags = getattr(field, 'flags', {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = ['<select %s>' % html_params(name=field.name, **kwargs)]
        options, coerce, data = self._options, field.coerce, field.data
        for choice in choices:
            if isinstance(choice, SelectChoice):
                if choice.render_kw or choice.optgroup is not None:
                    return super().__call__(field, **kwargs)
                value, label = choice.value, choice.label
            elif isinstance(choice, tuple) and len(choice) == 2:
                value, label = choice
            else:
                return super().__call__(field, **kwargs)
            if type(value) is not str:
                return super().__call__(field, **kwargs)
            selected = coerce(value) == data
            # the key is what the option shows: a plain label is escaped, anything else
            # (a lazy translation, Markup) shows escape(label or value)
            if type(label) is str:
                key = (value, label, selected, False)
            else:
                key = (value, escape(label or value), selected, True)
            option = options.get(key)
            if option is None:
                option = self.render_option(Choice(value=value, label=label,
                                                   selected=selected, render_kw={}))
                if len(options) >= self.MAX_OPTIONS:
                    options.clear()
                options[key] = option
            html.append(option)
        html.append('</select>')
        return Markup(''.join(html))


def choice_is_known(form, field):
    """Check ``field``'s value against its choices, given after the form validated (a
    list page reads its choices with its rows); False, with the field's error, if not."""
    try:
        field.pre_validate(form)
    except ValidationError as exc:
        field.errors = list(field.errors or ()) + [str(exc)]
        return False
    return True

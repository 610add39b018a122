"""Field checks shared by the capabilities."""
from wtforms.validators import ValidationError


def choice_is_known(form, field):
    """Check ``field``'s value against its choices, given after the form validated (a
    list page reads its choices with its rows); False, with the field's error, if not."""
    try:
        field.pre_validate(form)
    except ValidationError as exc:
        field.errors = list(field.errors or ()) + [str(exc)]
        return False
    return True

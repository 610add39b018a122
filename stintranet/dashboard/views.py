"""Home: what needs the signed-in person, then the panels of their roles, each loaded apart."""
from flask import abort, make_response, render_template
from flask_login import current_user

from .. import panels
from ..db import utcnow
from ..htmx import is_htmx, vary_on_htmx
from ..timezone import today_local
from . import bp, worklist


@bp.route('/')
def home():
    """The work list, then a placeholder per panel the user's roles may see.

    The page reads only the work list (one query per kind of item the user's roles call
    for); each panel comes from ``panel`` once the page is shown, so a slow panel never
    holds the page. Without JavaScript each placeholder is a link to its panel.
    """
    work = worklist.for_user(current_user, today_local(), utcnow())
    return render_template('dashboard/home.html', worklist=work,
                           panels=panels.visible_to(current_user))


@bp.route('/home/panels/<name>')
def panel(name):
    """One home-page panel: the fragment for htmx, a small page of its own otherwise.

    A panel the user's roles may not see is 404, as one that does not exist.
    """
    found = panels.get(name)
    if found is None or not current_user.has_role(*found.roles):
        abort(404)
    context = {'panel': found.context(current_user), 'found': found}
    template = found.template if is_htmx() else 'dashboard/panel.html'
    return vary_on_htmx(make_response(render_template(template, **context)))


from . import general  # noqa: E402,F401  the panels of no capability

"""Plain code: stintranet/ reads no private attribute of a library object (issue 13)."""
import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / 'stintranet'

# The private names of peewee, Flask, Flask-Babel, WTForms and the pool that the
# performance layer used; never allowed, whatever the object.
FORBIDDEN = {'_cursor_wrapper', '_get_cursor_wrapper', '_returning', '_order_by', '_cv_app',
             '_flask_babel', '_dirty', '_state', '_connections', '_in_use', '_simple_distinct',
             '_distinct', '_limit', '_offset', '_alias', '_pk'}

# Underscore attributes that are allowed: the app's own, and the documented exceptions.
ALLOWED = {
    '_meta': "peewee's documented Model._meta (table name, fields)",
    '_get_current_object': "Werkzeug's documented way to get what a LocalProxy "
                           '(current_user) stands for',
    '_roles': 'User: its role names, cached by the session loader and set_roles',
    '_managed': 'User: its managed department ids, cached like _roles',
    '_unread': 'User: the unread count read with the session user',
    '_department_ids': "Course: its audience's department ids, cached by the sync",
    '_item_rows': 'LedgerEntry: the item rows a service writes with the entry',
    '_finding': 'audits.sources.FindingSource: its own lookup',
    '_incident': 'incidents.sources.IncidentSource: its own lookup',
    '_joined': 'serverarea models: their own base query',
    '_consent_requires': 'registers.forms.ProvisionForm: its own check',
    '_after_awareness': 'incidents.forms: its own date check',
    '_check_complete': 'ledger.forms.EntryForm: its own check',
    '_risk_assessment': 'LedgerEntry: its assessment, read once or attached for a page',
    '_decision': 'management.sources.DecisionSource: its own lookup',
}


def private_names(tree):
    """(line, name, how) of every private name the module reads or sets on an object,
    names in getattr/setattr/hasattr, and private names imported from outside the app."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name, how = node.attr, 'attribute'
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ('getattr', 'setattr', 'hasattr', 'delattr')
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str)):
            name, how = node.args[1].value, node.func.id
        elif (isinstance(node, ast.ImportFrom) and node.level == 0
              and not (node.module or '').startswith('stintranet')):
            found += [(node.lineno, alias.name, 'import from %s' % node.module)
                      for alias in node.names if _private(alias.name)]
            continue
        else:
            continue
        if _private(name):
            found.append((node.lineno, name, how))
    return found


def _private(name):
    return name.startswith('_') and not name.startswith('__') and name != '_'


def test_allow_list_holds_no_library_private_name():
    """Does the allow-list stay clear of the library internals the issue names?"""
    assert not FORBIDDEN & set(ALLOWED)


def test_no_private_attribute_of_a_library_object():
    """Does no module of stintranet/ use a library's private attribute or import a private name?"""
    offences = []
    for path in sorted(PACKAGE.rglob('*.py')):
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, name, how in private_names(tree):
            if name in FORBIDDEN or name not in ALLOWED:
                offences.append('%s:%d: %s (%s)' % (path.relative_to(PACKAGE.parent), line,
                                                    name, how))
    assert not offences, 'private attributes (allow the app\'s own in ALLOWED):\n' + \
        '\n'.join(offences)


# The performance layer issue 13 removed: its modules, and the names that would mean it is
# back (the option cache, the batched reads, the compiled SQL, a gettext of our own).
GONE_MODULES = ('batch.py', 'compiled.py', 'widgets.py', 'i18n.py')
GONE_NAMES = ('Reads', 'OptionsSelect', 'compiled_sql', 'CompiledQuery')


def test_the_performance_layer_stays_gone():
    """Are batch.py, compiled.py, widgets.py and the old i18n.py gone, nothing imports
    them, and wtforms is not pinned below 3.4 any more?"""
    assert not [name for name in GONE_MODULES if (PACKAGE / name).exists()]
    offences = []
    for path in sorted(PACKAGE.rglob('*.py')):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (
                    node.level or (node.module or '').startswith('stintranet')):
                module = node.module or ''  # the app's own imports (wtforms.widgets is fine)
                names = {alias.name for alias in node.names}
                if module.split('.')[-1] in ('batch', 'compiled', 'widgets', 'i18n') \
                        or names & {'batch', 'compiled', 'widgets', 'i18n'} \
                        or names & set(GONE_NAMES):
                    offences.append('%s:%d' % (path.relative_to(PACKAGE.parent), node.lineno))
    assert not offences, offences
    pyproject = (PACKAGE.parent / 'pyproject.toml').read_text()
    assert 'wtforms<' not in pyproject.replace(' ', '')

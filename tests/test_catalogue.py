"""The Japanese catalogue is complete, and nothing a person reads escapes it.

``pybabel extract`` runs over stintranet/ and templates/ as a maintainer would (the
command is ``EXTRACT`` below); every message must be in
translations/ja/LC_MESSAGES/messages.po, translated, not fuzzy, with the same
placeholders. The templates are then read token by token: text a person sees (text
nodes and the title, aria-label, placeholder and alt attributes) outside ``{{ }}`` and
``{% %}`` must not hold words, apart from the names and codes of ``ALLOWED``. Python
code is checked where its strings reach a person: flash(), ValidationError(), the
labels of form fields and the subjects of notifications.
"""
import ast
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO = os.path.join(ROOT, 'translations', 'ja', 'LC_MESSAGES', 'messages.po')
PYBABEL = os.path.join(os.path.dirname(sys.executable), 'pybabel')
# Folders starting with '_' (templates/_macros, templates/_documents) are extracted too:
# babel skips them by default ('.*' and '_*').
EXTRACT = [PYBABEL, '--quiet', 'extract', '-F', 'babel.cfg', '--ignore-dirs', '.* __pycache__',
           '-k', '_l', '-k', 'lazy_gettext', '-k', 'lazy_ngettext:1,2',
           '-k', 'lazy_pgettext:1c,2', '--width', '100']

LETTERS = re.compile(r'[A-Za-z\u3040-\u30ff\u3400-\u9fff]')
# Proper names, codes and symbols that are the same in every language.
ALLOWED = {
    'stintranet', 'PDF', 'CSV', 'XLSX', 'ID', 'URL', 'PPC', 'APPI', 'JIS', 'Q', 'SHA',
    'LE', 'INC', 'REQ', 'e-mail', 'htmx', 'S.T.', 'English', '日本語', 'Ctrl', 'P', 'A4',
    'KB', 'MB', 'F',
    # The Japanese names an English heading shows beside itself (not in the Japanese page).
    '個人情報管理台帳', '内部監査',
}
# CSS class names and ids written between tags ({% block body_class %}letter-page...).
IDENTIFIER = re.compile(r'^[a-z0-9]+(-[a-z0-9]+)+$')
SEEN_ATTRIBUTES = ('title', 'aria-label', 'placeholder', 'alt')


@pytest.fixture(scope='module')
def template_catalogue(tmp_path_factory):
    pot = tmp_path_factory.mktemp('catalogue') / 'messages.pot'
    subprocess.run(EXTRACT + ['-o', str(pot), '.'], cwd=ROOT, check=True)
    with open(pot, 'rb') as fh:
        return read_po(fh)


@pytest.fixture(scope='module')
def japanese():
    with open(PO, 'rb') as fh:
        return read_po(fh, locale='ja')


def _where(message):
    return ', '.join('%s:%s' % location for location in message.locations[:2])


def test_the_templates_folders_starting_with_underscore_are_extracted(template_catalogue):
    """Are templates/_macros (and so _documents, with the same rule) read by extract?"""
    assert any(path.startswith('templates/_macros/')
               for message in template_catalogue for path, _line in message.locations)


def test_every_message_is_translated(template_catalogue, japanese):
    """Is every message of the code in the Japanese catalogue, translated and not fuzzy?"""
    problems = []
    for message in template_catalogue:
        if not message.id:
            continue
        found = japanese.get(message.id, message.context)
        text = message.id if isinstance(message.id, str) else message.id[0]
        if found is None:
            problems.append('missing: %r (%s)' % (text, _where(message)))
        elif found.fuzzy:
            problems.append('fuzzy: %r (%s)' % (text, _where(message)))
        elif not found.string or (isinstance(found.string, tuple) and not all(found.string)):
            problems.append('untranslated: %r (%s)' % (text, _where(message)))
    assert not problems, '%d messages:\n%s' % (len(problems), '\n'.join(problems[:60]))


def test_translations_keep_their_placeholders(japanese):
    """Does every translation use the placeholders of its message, and no other?"""
    problems = []
    for message in japanese:
        if not message.id:
            continue
        errors = list(message.check(japanese))
        if errors:
            problems.append('%r: %s' % (message.id, '; '.join(str(e) for e in errors)))
    assert not problems, '\n'.join(problems[:60])


def _template_paths():
    folder = os.path.join(ROOT, 'templates')
    for base, _dirs, files in os.walk(folder):
        for name in files:
            if name.endswith('.html'):
                yield os.path.relpath(os.path.join(base, name), ROOT)


class _Seen(HTMLParser):
    """Text and the attributes a person sees, with the line each is on; the content of
    script, style and code elements is not read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'style', 'code'):
            self.skip += 1
        for name, value in attrs:
            if name in SEEN_ATTRIBUTES and value:
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag):
        if tag in ('script', 'style', 'code'):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.found.append((self.getpos()[0], data))


def literals(source):
    """(line, text) of the words a template shows outside {{ }} and {% %}."""
    environment = Environment(extensions=['jinja2.ext.i18n'])
    pieces = []
    for _line, kind, value in environment.lex(source):
        # Expressions and statements vanish (keeping their line breaks), so the tags and
        # the attributes around them stay whole.
        pieces.append(value if kind == 'data' else '\n' * value.count('\n'))
    parser = _Seen()
    parser.feed(''.join(pieces))
    parser.close()
    found = []
    for line, text in parser.found:
        words = [w for w in re.split(r'[\s()\[\]·:;,/|—–•#*+=<>%"\'“”]+', text) if w]
        words = [w for w in words
                 if LETTERS.search(w) and w not in ALLOWED and not IDENTIFIER.match(w)]
        if words:
            found.append((line, ' '.join(words)))
    return found


def test_templates_show_no_words_outside_gettext():
    """Does every template put its words through gettext (names and codes aside)?"""
    problems = []
    for path in sorted(_template_paths()):
        with open(os.path.join(ROOT, path), encoding='utf-8') as fh:
            for line, words in literals(fh.read()):
                problems.append('%s (near line %d): %s' % (path, line, words))
    assert not problems, '%d template literals:\n%s' % (len(problems), '\n'.join(problems))


def test_the_literal_check_finds_literals():
    """Does the template check see words in text and in a title, and not in gettext?"""
    assert literals('<p>Hello {{ name }}</p>') == [(1, 'Hello')]
    assert literals('<a title="Open it" href="{{ u }}">{{ _("x") }}</a>') == [(1, 'Open it')]
    assert literals('<p>{{ _("Hello") }} · PDF</p>{# a note #}') == []
    assert literals('<p>監査責任者</p>') == [(1, '監査責任者')]


# Calls whose string arguments reach a person: (function name, which positional
# arguments, which keywords).
SEEN_CALLS = {
    'flash': ((0,), ()),
    'ValidationError': ((0,), ('message',)),
    'notify': ((2, 4), ('subject', 'body')),
}
FIELDS = re.compile(r'^[A-Z]\w*Field$')


def _python_paths():
    for base, _dirs, files in os.walk(os.path.join(ROOT, 'stintranet')):
        for name in files:
            if name.endswith('.py') and 'migrations' not in base:
                yield os.path.join(base, name)


GETTEXT = {'_', '_l', 'gettext', 'ngettext', 'pgettext', 'npgettext', 'lazy_gettext',
           'lazy_ngettext', 'lazy_pgettext'}
# Variables that hold a notification's text before it is passed on.
SEEN_NAMES = {'subject', 'body'}


def _name(node):
    return getattr(node, 'id', None) or getattr(node, 'attr', None)


def _bare_strings(node):
    """The string constants in ``node`` that are not inside a gettext call."""
    if isinstance(node, ast.Call) and _name(node.func) in GETTEXT:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
        return
    for child in ast.iter_child_nodes(node):
        yield from _bare_strings(child)


def _seen_values(node):
    """The expressions of ``node`` (a call or an assignment) that a person reads."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in SEEN_NAMES:
                yield node.value
            elif isinstance(target, ast.Tuple):
                for i, element in enumerate(target.elts):
                    if _name(element) in SEEN_NAMES:
                        yield (node.value.elts[i] if isinstance(node.value, ast.Tuple)
                               and len(node.value.elts) == len(target.elts) else node.value)
        return
    name = _name(node.func)
    if name in SEEN_CALLS:
        positions, keywords = SEEN_CALLS[name]
    elif name and FIELDS.match(name):
        positions, keywords = (0,), ('label',)
    else:
        return
    yield from (node.args[i] for i in positions if i < len(node.args))
    yield from (k.value for k in node.keywords if k.arg in keywords)


def python_literals(source):
    """(line, text) of literals passed where a person reads them, outside gettext: words
    (letters and a space) in the arguments of ``SEEN_CALLS`` and field labels, and in
    what is assigned to ``subject`` or ``body``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Call, ast.Assign)):
            continue
        for value in _seen_values(node):
            for text in _bare_strings(value):
                if LETTERS.search(text) and ' ' in text.strip():
                    found.append((node.lineno, text))
    return found


def test_python_shows_no_words_outside_gettext():
    """Do flash(), ValidationError(), field labels and notifications use gettext?"""
    problems = []
    for path in sorted(_python_paths()):
        with open(path, encoding='utf-8') as fh:
            for line, text in python_literals(fh.read()):
                problems.append('%s:%d: %r' % (os.path.relpath(path, ROOT), line, text))
    assert not problems, '%d literals:\n%s' % (len(problems), '\n'.join(problems))


def test_the_python_check_finds_literals():
    """Does the Python check see a literal flash and notification, and pass gettext?"""
    assert python_literals("flash('It was saved.')") == [(1, 'It was saved.')]
    assert python_literals("notify(u, k, 'Due on %s' % d)") == [(1, 'Due on %s')]
    assert python_literals("flash(_('It was saved.'))") == []
    assert python_literals("StringField(_l('Title'))") == []
    assert python_literals("key, subject = 'k', 'Review of %s due' % ref") == [
        (1, 'Review of %s due')]
    assert python_literals("subject = _l('Due on %(day)s', day=d) if x else 'Due now'") == [
        (1, 'Due now')]

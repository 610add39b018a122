"""Course material and guideline text: Markdown rendered, then sanitised; the quiz format.

Markdown may carry raw HTML; ``nh3`` (ammonia) keeps only a short allow-list of
tags and attributes afterwards, so a course author cannot put script, styles,
event handlers, frames or forms on an employee's page. Links may only be
http(s) or mailto and get ``rel="noopener noreferrer"``.
"""
import hashlib
import re
import unicodedata

import markdown
import nh3
from flask_babel import gettext as _
from markupsafe import Markup

ALLOWED_TAGS = {
    'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'code',
    'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th',
    'td', 'dl', 'dt', 'dd', 'abbr', 'sub', 'sup', 'del', 'ins',
}
ALLOWED_ATTRIBUTES = {'a': {'href', 'title'}, 'abbr': {'title'}, 'th': {'scope'},
                      'td': set(), 'ol': {'start'}}
URL_SCHEMES = {'http', 'https', 'mailto'}


def render_markdown(text, top=2):
    """Safe HTML (Markup) from the author's Markdown; its "#" becomes ``<h{top}>``."""
    html = markdown.markdown(text or '', extensions=['tables', 'sane_lists', 'def_list',
                                                     'abbr'],
                             output_format='html')
    # Headings shift down so they nest under the page's own (the page title is the h1).
    html = re.sub(r'<(/?)h([1-6])\b',
                  lambda m: '<%sh%d' % (m.group(1), min(int(m.group(2)) + top - 1, 6)), html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=URL_SCHEMES, link_rel='noopener noreferrer',
                      strip_comments=True)
    return Markup(clean)


def normalise_text(text):
    """Line endings to \\n, no trailing spaces, one final newline at most."""
    lines = (text or '').replace('\r\n', '\n').replace('\r', '\n').split('\n')
    return '\n'.join(line.rstrip() for line in lines).strip('\n')


def sha256_text(text):
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def name_key(name):
    """A name compared case- and space-insensitively (full-width forms folded too)."""
    folded = unicodedata.normalize('NFKC', name or '').casefold()
    return ''.join(folded.split())


QUIZ_HELP = ('One question per block: a line starting with "?" is the question, then '
             'one line per choice starting with "-" (wrong) or "*" (correct). Each '
             'question needs two to eight choices, exactly one of them correct.')

MAX_QUESTIONS = 50


class ParsedQuestion:
    def __init__(self, text, line):
        self.text, self.line, self.choices = text, line, []  # [(text, correct)]


def parse_quiz(source):
    """Parse the quiz text: ([ParsedQuestion], [error messages]); empty text, no quiz."""
    questions, errors = [], []
    current = None
    for number, raw in enumerate(normalise_text(source).split('\n'), start=1):
        line = raw.strip()
        if not line:
            continue
        marker, rest = line[0], line[1:].strip()
        if marker == '?':
            if not rest:
                errors.append(_('Line %(n)d: the question is empty.', n=number))
            current = ParsedQuestion(rest, number)
            questions.append(current)
        elif marker in '-*':
            if current is None:
                errors.append(_('Line %(n)d: a choice comes before any question '
                                '(start a question with "?").', n=number))
            elif not rest:
                errors.append(_('Line %(n)d: the choice is empty.', n=number))
            else:
                current.choices.append((rest, marker == '*'))
        else:
            errors.append(_('Line %(n)d: start the line with "?" (question), "-" (wrong '
                            'choice) or "*" (correct choice).', n=number))
    for q in questions:
        if not 2 <= len(q.choices) <= 8:
            errors.append(_('The question on line %(n)d needs two to eight choices.',
                            n=q.line))
        correct = sum(1 for _text, ok in q.choices if ok)
        if correct != 1:
            errors.append(_('The question on line %(n)d needs exactly one correct choice '
                            '(marked "*"); it has %(c)d.', n=q.line, c=correct))
        if len(q.text) > 2000 or any(len(t) > 1000 for t, _ok in q.choices):
            errors.append(_('The question on line %(n)d is too long.', n=q.line))
    if len(questions) > MAX_QUESTIONS:
        errors.append(_('A quiz has at most %(n)d questions.', n=MAX_QUESTIONS))
    return questions, errors


def quiz_to_text(questions):
    """The stored quiz (questions with prefetched choices) back in the text format."""
    blocks = []
    for q in questions:
        lines = ['? ' + q.text]
        lines += [('* ' if c.is_correct else '- ') + c.text for c in q.choices]
        blocks.append('\n'.join(lines))
    return '\n\n'.join(blocks)

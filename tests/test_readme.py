"""The README and docs/ stand alone: every relative link and image resolves to a file of
the repository, never outside it, and every #anchor to a heading of its target (issue 20).

Links are read as Markdown writes them: inline links and images, reference definitions,
and the ``href``/``src`` of HTML tags; code blocks and code spans are not links. Anchors
are GitHub's heading slugs (lower case, punctuation dropped, spaces to hyphens, -1, -2 for
repeats) and explicit ``id``/``name`` attributes.
"""
import pathlib
import re
from urllib.parse import unquote

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / 'README.md'] + sorted((ROOT / 'docs').glob('*.md'))

FENCE = re.compile(r'^\s{0,3}(```|~~~)')
CODE_SPAN = re.compile(r'(`+)(?:(?!\1).)+?\1', re.S)
INLINE = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)')
REFERENCE = re.compile(r'^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$', re.M)
HTML_ATTR = re.compile(r'<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["\']([^"\']*)["\']', re.I)
HTML_ID = re.compile(r'<[a-z]+\b[^>]*?\b(?:id|name)\s*=\s*["\']([^"\']+)["\']', re.I)
HEADING = re.compile(r'^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$')
SCHEME = re.compile(r'^[a-z][a-z0-9+.-]*:', re.I)


def without_fences(text):
    """``text`` with the lines of its fenced code blocks emptied."""
    lines, inside = [], None
    for line in text.splitlines():
        fence = FENCE.match(line)
        if inside is None and fence:
            inside = fence.group(1)
            lines.append('')
        elif inside is not None:
            if line.strip().startswith(inside):
                inside = None
            lines.append('')
        else:
            lines.append(line)
    return '\n'.join(lines)


def prose(text):
    """``text`` without its code blocks and code spans: what may hold links."""
    return CODE_SPAN.sub('', without_fences(text))


def links(text):
    """Every link and image target written in ``text``, in order."""
    body = prose(text)
    found = INLINE.findall(body) + REFERENCE.findall(body) + HTML_ATTR.findall(body)
    return [target for target in found if target]


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', heading)  # a link keeps its text
    text = re.sub(r'<[^>]+>', '', text).replace('`', '')
    text = re.sub(r'[^\w\- ]', '', text.lower())
    return text.replace(' ', '-')


def anchors(text):
    """The anchors a Markdown file offers: its headings' slugs and explicit ids."""
    found, seen = set(), {}
    for line in without_fences(text).splitlines():
        match = HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else '%s-%d' % (base, count))
    found.update(HTML_ID.findall(text))
    return found


def problems(document, root=ROOT):
    """What is wrong with the relative links of ``document``, one message each."""
    text = document.read_text(encoding='utf-8')
    found = []
    for target in links(text):
        if SCHEME.match(target) or target.startswith('//'):
            continue  # a web address: not a file of the repository
        path_part, _sep, anchor = target.partition('#')
        path_part = unquote(path_part.split('?')[0])
        if path_part.startswith('/'):
            found.append('%s: %s is an absolute path; link relative to the file'
                         % (document.name, target))
            continue
        resolved = (document.parent / path_part).resolve() if path_part else document
        if resolved != root and root not in resolved.parents:
            found.append('%s: %s leads outside the repository' % (document.name, target))
            continue
        if not resolved.exists():
            found.append('%s: %s does not exist' % (document.name, target))
            continue
        if anchor and resolved.suffix == '.md':
            if unquote(anchor) not in anchors(resolved.read_text(encoding='utf-8')):
                found.append('%s: %s names no heading of %s'
                             % (document.name, target, resolved.relative_to(root)))
    return found


@pytest.mark.parametrize('document', DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_resolve_inside_the_repository(document):
    """Does every relative link and image of this document open a file of the repository
    (and its #anchor a heading there)?"""
    assert problems(document) == []


def test_readme_links_the_docs_and_shows_the_home_page():
    """Does the README lead to docs/design.md and docs/architecture.md, and show the home
    page's screenshot from docs/?"""
    text = (ROOT / 'README.md').read_text(encoding='utf-8')
    targets = links(text)
    assert 'docs/design.md' in targets
    assert 'docs/architecture.md' in targets
    assert re.search(r'!\[[^\]]+\]\(docs/home\.png\)', prose(text))
    assert (ROOT / 'docs' / 'home.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_the_check_finds_broken_links(tmp_path):
    """Would the check catch a missing file, a missing heading, a path out of the
    repository and an absolute path, while passing good links and ignoring code?"""
    (tmp_path / 'docs').mkdir()
    (tmp_path / 'docs' / 'other.md').write_text('# Other page\n\n## Second: part `two`\n')
    (tmp_path / 'docs' / 'pic.png').write_bytes(b'')
    page = tmp_path / 'docs' / 'page.md'
    page.write_text('\n'.join([
        '# Page', '',
        '[fine](other.md#second-part-two) ![pic](pic.png) [here](#page) [web](https://example.com)',
        '[gone](missing.md) [nohead](other.md#nowhere) [out](../../shared/DESIGN.md)',
        '[abs](/etc/passwd) <img src="nothere.png" alt="x">', '',
        '```', '[in code](not-checked.md)', '```',
        'and `[in a span](not-checked-either.md)`',
        '', '[ref]: also-missing.md',
    ]))
    found = problems(page, root=tmp_path)
    assert found == [
        'page.md: missing.md does not exist',
        'page.md: other.md#nowhere names no heading of docs/other.md',
        'page.md: ../../shared/DESIGN.md leads outside the repository',
        'page.md: /etc/passwd is an absolute path; link relative to the file',
        'page.md: also-missing.md does not exist',
        'page.md: nothere.png does not exist',
    ]

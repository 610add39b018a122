"""The change between two versions, line by line with words marked, as data.

The template renders every piece with autoescaping (``<del>``/``<ins>`` are
the template's own), so nothing in a guideline's text can become markup.
"""
import difflib
import re

WORDS = re.compile(r'\S+\s*|\s+')


class DiffLine:
    def __init__(self, kind, old_no=None, new_no=None, old=None, new=None):
        self.kind = kind  # 'same', 'removed', 'added', 'changed'
        self.old_no, self.new_no = old_no, new_no
        self.old = old or []  # [(tag, text)], tag in same/del
        self.new = new or []  # [(tag, text)], tag in same/ins


def _word_diff(old, new):
    a, b = WORDS.findall(old), WORDS.findall(new)
    old_parts, new_parts = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == 'equal':
            old_parts.append(('same', ''.join(a[i1:i2])))
            new_parts.append(('same', ''.join(b[j1:j2])))
        else:
            if i2 > i1:
                old_parts.append(('del', ''.join(a[i1:i2])))
            if j2 > j1:
                new_parts.append(('ins', ''.join(b[j1:j2])))
    return old_parts, new_parts


def diff_lines(old_text, new_text, context=3):
    """Hunks of DiffLine: changed lines with ``context`` unchanged lines around them."""
    a, b = old_text.split('\n'), new_text.split('\n')
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        lines = []
        for tag, i1, i2, j1, j2 in group:
            if tag == 'equal':
                for offset in range(i2 - i1):
                    lines.append(DiffLine('same', i1 + offset + 1, j1 + offset + 1,
                                          [('same', a[i1 + offset])], [('same', b[j1 + offset])]))
                continue
            paired = min(i2 - i1, j2 - j1) if tag == 'replace' else 0
            for offset in range(paired):
                old, new = _word_diff(a[i1 + offset], b[j1 + offset])
                lines.append(DiffLine('changed', i1 + offset + 1, j1 + offset + 1, old, new))
            for i in range(i1 + paired, i2):
                lines.append(DiffLine('removed', old_no=i + 1, old=[('del', a[i])]))
            for j in range(j1 + paired, j2):
                lines.append(DiffLine('added', new_no=j + 1, new=[('ins', b[j])]))
        hunks.append(lines)
    return hunks


def summary(hunks):
    """(lines added, lines removed, lines changed)."""
    kinds = [line.kind for hunk in hunks for line in hunk]
    return kinds.count('added'), kinds.count('removed'), kinds.count('changed')

"""Text hygiene for `handbook fmt`: soft hyphens, zero-width and bidi control characters pasted
from Word are removed, and a no-break space in an odd place becomes a plain space
(`generator.core.text_rules.hygiene_fixes` says which; the invisible-character check warns about
the same ones).

Why in the file's text, not in loaded data: every other byte of the file stays as it was
(comments, quoting, order). A character is fixed only where it is written as itself inside a
value (not as an escape such as "\\u00ad", never in a key or a comment), and only when the file
then parses to the same tree with those values cleaned and nothing else changed (a removed
character could turn «\\u200b- x» into a list or «\\u200b12» into a number): a value that would
change otherwise is left as it is, and the check keeps warning about it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.core.text_rules import MARKED, clean_text, hygiene_fixes

Edit = tuple[int, str]  # (index in the file's text, replacement for the one character there)


def clean_source(text: str, root: Node) -> str:
    """`text` (whose node tree is `root`) with the hygiene fixes made in its values."""
    edits = {id(node): fixes for node in _values(root) if (fixes := _source_fixes(text, node))}
    if not edits:
        return text
    everything = [edit for fixes in edits.values() for edit in fixes]
    if _same_but_cleaned(root, _apply(text, everything), set(edits)):
        return _apply(text, everything)
    accepted: list[Edit] = []  # one value at a time: keep each fix that stands on its own
    cleaned: set[int] = set()
    for node_id, fixes in edits.items():
        if _same_but_cleaned(root, _apply(text, accepted + fixes), cleaned | {node_id}):
            accepted += fixes
            cleaned.add(node_id)
    return _apply(text, accepted)


def _values(root: Node) -> Iterator[ScalarNode]:
    """Every scalar that is a value (of a key or in a list), not a key; each node once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            yield node
        elif isinstance(node, MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def _source_fixes(text: str, node: ScalarNode) -> list[Edit]:
    """The fixes of the node's value, at their places in the file; none when the marked
    characters of the value are not each written as itself in the file (an escape)."""
    fixes = hygiene_fixes(node.value)
    if not fixes:
        return []
    start = node.start_mark.index
    source = text[start : node.end_mark.index]
    in_value = [m.start() for m in MARKED.finditer(node.value)]
    in_source = [m.start() for m in MARKED.finditer(source)]
    if [node.value[i] for i in in_value] != [source[j] for j in in_source]:
        return []
    place = dict(zip(in_value, in_source, strict=True))
    return [(start + place[index], replacement) for index, replacement in fixes]


def _apply(text: str, edits: list[Edit]) -> str:
    parts, last = [], 0
    for index, replacement in sorted(edits):
        parts += [text[last:index], replacement]
        last = index + 1
    return "".join([*parts, text[last:]])


def _same_but_cleaned(before: Node, text: str, cleaned: set[int]) -> bool:
    """Whether `text` parses to the tree `before` with the values in `cleaned` (node ids)
    replaced by their clean text, and nothing else different (keys, tags, shape)."""
    try:
        after = YAML(typ="safe").compose(text)
    except YAMLError:
        return False
    if after is None:
        return False
    stack = [(before, after)]
    seen: set[int] = set()
    while stack:
        old, new = stack.pop()
        if id(old) in seen:
            continue
        seen.add(id(old))
        if type(old) is not type(new) or old.tag != new.tag:
            return False
        if isinstance(old, ScalarNode):
            if new.value != (clean_text(old.value) if id(old) in cleaned else old.value):
                return False
        elif len(old.value) != len(new.value):
            return False
        elif isinstance(old, MappingNode):
            for (old_key, old_item), (new_key, new_item) in zip(old.value, new.value, strict=True):
                if not isinstance(old_key, ScalarNode) or not isinstance(new_key, ScalarNode):
                    stack.append((old_key, new_key))
                elif old_key.value != new_key.value or old_key.tag != new_key.tag:
                    return False
                stack.append((old_item, new_item))
        else:
            stack.extend(zip(old.value, new.value, strict=True))
    return True

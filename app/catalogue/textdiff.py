"""Two versions of a text, side by side, with the changed words marked."""

import difflib

from markupsafe import Markup, escape


def word_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """Both texts escaped, with removed words in <del> and added ones in <ins>."""
    a, b = old.split(" "), new.split(" ")
    left: list[Markup] = []
    right: list[Markup] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        removed, added = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if op == "equal":
            left.append(escape(removed))
            right.append(escape(added))
            continue
        if removed:
            left.append(Markup("<del>{}</del>").format(removed))
        if added:
            right.append(Markup("<ins>{}</ins>").format(added))
    return Markup(" ").join(left), Markup(" ").join(right)

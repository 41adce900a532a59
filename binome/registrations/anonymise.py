"""Strip contact details and the registrant's names from a free-text need (pure Python).

What an association sees before it accepts a request must not identify the person:
e-mail addresses, phone numbers, links, social handles and the names given in the form are
replaced by "[…]". This is a screen, not a guarantee, so the card also shows the text only
as "what the person is looking for", never as identity.
"""

import re
import unicodedata

MASK = "[…]"

_EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\]| at )\s*[\w-]+(?:\s*(?:\.|\(dot\)| dot )\s*[\w-]+)+", re.I
)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:fr|com|org|net|be|eu|io)(?:/\S*)?\b", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
# Phone numbers: +33 6 12 34 56 78, 06.12.34.56.78, 0612345678, 0032 470 12 34 56…
_PHONE = re.compile(r"(?:\+|00)?\d(?:[\s.\-/()]*\d){7,14}")


def _fold(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def redact(text, names=()):
    """``text`` with contact details and the given names masked."""
    if not text:
        return ""
    out = _EMAIL.sub(MASK, text)
    out = _URL.sub(MASK, out)
    out = _HANDLE.sub(MASK, out)
    out = _PHONE.sub(MASK, out)
    words = {w for name in names if name for w in re.split(r"[\s\-']+", name) if len(w) >= 2}
    if words:
        folded = {_fold(w) for w in words}

        def mask_word(match):
            return MASK if _fold(match.group(0)) in folded else match.group(0)

        out = re.sub(r"[^\W\d_]+", mask_word, out)
    return out

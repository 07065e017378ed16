"""The language of a release, told offline from its text.

The detector is CLD2, the compact language detector of Chromium (the ``pycld2`` package): its
model is built into the library, so nothing is downloaded, and it reads the start of a release in
a fraction of a millisecond.  A text too short or too mixed for CLD2 to be sure of is taken to be
English, the language the extractor reads (:data:`READ`), so a release is only ever left unread
when its language is known.
"""

from __future__ import annotations

import re

import pycld2

#: The languages the extractor reads (ISO 639-1 codes).
READ = ("en",)
#: The language of a text the detector cannot tell.
DEFAULT = "en"
#: How much of the start of a text the detector reads (characters, white space collapsed).
SAMPLE = 1000
#: Characters CLD2 refuses as input: control characters and lone surrogates.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
#: CLD2's older codes -> the ISO 639-1 codes of today.
_RENAMED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}


def detect(text: str) -> str:
    """The ISO 639-1 code of the language of ``text`` ("en", "zh", "fr", ...); :data:`DEFAULT` when
    the detector is not sure."""
    sample = _REFUSED.sub(" ", " ".join(text[: SAMPLE * 4].split())[:SAMPLE])
    try:
        reliable, _, found = pycld2.detect(sample, bestEffort=False)
    except pycld2.error:  # input CLD2 does not take is text it cannot tell
        return DEFAULT
    code = str(found[0][1]).split("-")[0].lower()
    if not reliable or code in ("un", "xx", ""):
        return DEFAULT
    return _RENAMED.get(code, code)


def readable(language: str) -> bool:
    """Whether the extractor reads releases in ``language``."""
    return language in READ
